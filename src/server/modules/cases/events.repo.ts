import type { Selectable } from 'kysely';
import {
  findRow, isCardAction, type Action, type CardAction, type ActionInput, type ActorLevel, type CaseActor, type CaseEventDraft, type FromState, type ReplayEvent,
} from '../../../shared/cases/index.js';
import type { CaseEventsTable, CasePhotosTable } from '../../db/schema.js';
import { onPostgres, runText, type Executor } from '../../platform/db.js';
import { insertRows, type Cell } from '../../platform/insert.js';

/** The only SQL for case_events and case_photos: append-only history and the photos of each event. */
export type CaseEventRow = Selectable<CaseEventsTable>;
export type CasePhotoRow = Selectable<CasePhotosTable>;
export const PHOTO_KINDS = ['report', 'before', 'after', 'feedback', 'check'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export interface EventWho {
  userId: number | null;
  name: string | null;
}

/**
 * Writes a workflow event. A case's events are numbered 1, 2, 3 … in the order they were written
 * (the version counts only the workflow's changes, so the two part as soon as a supervision card
 * is recorded). `seq` 'next' numbers the event after the case's last one, inside the INSERT
 * itself: only after the case row is locked in the same transaction (the version's
 * compare-and-set, or a card's `select … for update`), so that writers of one case queue on it
 * and the INSERT, a statement begun after the lock, sees every event committed before; on SQLite
 * every write transaction runs alone anyway.
 * `id`: the event's id taken from its sequence beforehand (the INSERT then answers nothing); with a
 * `seq` given only.
 */
export async function insertEvent(db: Executor, caseId: number, seq: number | 'next', e: CaseEventDraft, who: EventWho, id?: number): Promise<{ id: number; seq: number }> {
  // typed as the table's row, so a missing or misspelt column fails to compile
  const values: Omit<CaseEventsTable, 'id' | 'seq'> = {
    case_id: caseId,
    action: e.action,
    from_state: e.from,
    to_state: e.to,
    at: e.at,
    actor_id: e.actor.id,
    actor_kind: e.actor.kind,
    actor_user_id: who.userId,
    actor_name: who.name,
    actor_level: e.actor.level ?? null,
    actor_division_code: e.actor.division_code ?? null,
    actor_department_code: e.actor.department_code ?? null,
    input: JSON.stringify(e.input),
    step: e.step,
    due_at: e.due_at,
    withdrawn_request: e.withdrawn_request,
    comment: e.input.comment ?? e.input.reason ?? null,
  };
  return insertEventRow(db, values, seq, id);
}

const nextSeqTexts = new Map<string, string>();

/** The row with its number given, or numbered after the case's last event by the INSERT itself. */
async function insertEventRow(db: Executor, values: Omit<CaseEventsTable, 'id' | 'seq'>, seq: number | 'next', id?: number): Promise<{ id: number; seq: number }> {
  if (seq !== 'next' && id !== undefined) {
    await insertRows(db, 'case_events', ['id', ...Object.keys(values), 'seq'], [[id, ...(Object.values(values) as Cell[]), seq]]);
    return { id, seq };
  }
  if (seq !== 'next') {
    // seq beside the values, not spread into a copy of them (a spread with a field after it is V8's slow path)
    const [row] = await insertRows<{ id: number }>(db, 'case_events', [...Object.keys(values), 'seq'], [[...(Object.values(values) as Cell[]), seq]], { suffix: 'returning id' });
    return { id: Number(row!.id), seq };
  }
  const rest = Object.keys(values).filter((c) => c !== 'case_id') as (keyof typeof values)[];
  const postgres = onPostgres(db);
  const key = `${postgres}|${rest.join(',')}`;
  let text = nextSeqTexts.get(key);
  if (!text) {
    const p = (n: number) => (postgres ? `$${n}` : '?');
    text = `insert into case_events (case_id, seq, ${rest.join(', ')}) values (${p(1)}, `
      + `(select coalesce(max(seq), 0) + 1 from case_events where case_id = ${p(2)}), ${rest.map((_, i) => p(i + 3)).join(', ')}) returning id, seq`;
    nextSeqTexts.set(key, text);
  }
  const params = [values.case_id, values.case_id, ...rest.map((c) => values[c] ?? null)];
  const [row] = await runText<{ id: number; seq: number }>(db, text, params);
  return { id: Number(row!.id), seq: Number(row!.seq) };
}

export interface CardEventDraft {
  action: CardAction;
  state: string;
  step: string | null;
  dueAt: number;
  at: number;
}

/** The system's supervision, as case_events rows show it (the scheduler gives cards, nobody in person). */
export const SUPERVISOR = { id: 'system', kind: 'system', name: '系统督办' } as const;

/** A yellow or red card in the case's history: its state stays, and the step's due time is kept with it. */
export async function insertCardEvent(db: Executor, caseId: number, seq: number | 'next', card: CardEventDraft): Promise<number> {
  const values: Omit<CaseEventsTable, 'id' | 'seq'> = {
    case_id: caseId,
    action: card.action,
    from_state: card.state,
    to_state: card.state,
    at: card.at,
    actor_id: SUPERVISOR.id,
    actor_kind: SUPERVISOR.kind,
    actor_user_id: null,
    actor_name: SUPERVISOR.name,
    actor_level: null,
    actor_division_code: null,
    actor_department_code: null,
    input: '{}',
    step: card.step,
    due_at: card.dueAt,
    withdrawn_request: null,
    comment: null,
  };
  return (await insertEventRow(db, values, seq)).id;
}

/** The events the workflow took, without the supervision cards: what replay reads. */
export function workflowEvents<E extends { action: string }>(events: readonly E[]): E[] {
  return events.filter((e) => !isCardAction(e.action));
}

export async function insertPhotos(db: Executor, caseId: number, eventId: number, photos: readonly { sha256: string; kind: PhotoKind }[]): Promise<void> {
  if (photos.length === 0) return;
  await db.insertInto('case_photos').values(photos.map((p, i) => ({ case_id: caseId, event_id: eventId, sha256: p.sha256, kind: p.kind, sort: i }))).execute();
}

export async function eventsOfCase(db: Executor, caseId: number): Promise<CaseEventRow[]> {
  return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
}

export async function photosOfCase(db: Executor, caseId: number) {
  return db.selectFrom('case_photos').innerJoin('files', 'files.sha256', 'case_photos.sha256')
    .select(['case_photos.event_id', 'case_photos.sha256', 'case_photos.kind', 'case_photos.sort', 'files.mime', 'files.width', 'files.height', 'files.size'])
    .where('case_photos.case_id', '=', caseId).orderBy('case_photos.event_id').orderBy('case_photos.sort').execute();
}

/**
 * The workflow's actor as it was when the event was accepted. The event proves the actor held the
 * row's permission then, so replay grants exactly that one: a later change of the role table does
 * not rewrite history.
 */
export function actorOfEvent(e: CaseEventRow): CaseActor {
  const row = findRow(e.action as Action, e.from_state as FromState);
  return {
    id: e.actor_id,
    kind: e.actor_kind as CaseActor['kind'],
    permissions: row ? [row.permission] : [],
    level: e.actor_level as ActorLevel | null,
    division_code: e.actor_division_code,
    department_code: e.actor_department_code,
  };
}

export function replayEventOf(e: CaseEventRow): ReplayEvent {
  return { action: e.action as Action, input: JSON.parse(e.input) as ActionInput, actor: actorOfEvent(e), at: e.at };
}
