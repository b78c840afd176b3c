import { randomBytes } from 'node:crypto';
import {
  applyTransition, type Action, type ActionInput, type CaseActor, type CaseEventDraft, type CaseSnapshot, type WorkflowEnv,
} from '../../../../shared/cases/index.js';
import { onPostgres, type Db, type Executor } from '../../../platform/db.js';
import { insertRows, type Cell } from '../../../platform/insert.js';
import { applyEventToStats, type StatsBatch, type StatsEvent } from '../stats.js';
import { nextTurn, unmarkCounted } from '../catchup.js';
import { CASE_COLUMNS, newCaseRow } from '../../cases/cases.repo.js';
import { eventRowOf, type EventWho } from './caserow.js';

/**
 * A case's whole life, driven through the real workflow (`applyTransition`, the one transition
 * table) with a simulated clock, then written in bulk with its events and its counts. The demo
 * year and historical imports build cases this way; nothing here writes a count by hand.
 */
export class WorkflowRefusal extends Error {
  constructor(readonly action: Action, readonly refusal: string, readonly state: string) {
    super(`${action} refused in state ${state}: ${refusal}`);
  }
}

export interface LifeEvent {
  draft: CaseEventDraft;
  who: EventWho;
  /** The case right after this event. */
  after: CaseSnapshot;
}

export class CaseLife {
  snapshot: CaseSnapshot | null = null;
  readonly events: LifeEvent[] = [];

  constructor(private readonly env: WorkflowEnv) {}

  /** Applies one action at `at`; throws WorkflowRefusal when the table refuses it. */
  act(action: Action, input: ActionInput, actor: CaseActor, at: number, who: EventWho = { userId: null, name: null }): CaseSnapshot {
    // times are whole milliseconds, as in every column that holds one
    const r = applyTransition(this.snapshot, action, input, actor, Math.round(at), this.env);
    if (!r.ok) throw new WorkflowRefusal(action, r.refusal, this.snapshot?.state ?? 'new');
    this.snapshot = r.case;
    this.events.push({ draft: r.event, who, after: r.case });
    return r.case;
  }

  get at(): number {
    return this.events[this.events.length - 1]?.draft.at ?? 0;
  }
}

/** Where the case is and who reported it: the columns the workflow does not decide. */
export interface CasePlace {
  number?: string;
  grid_code: string;
  lon: number;
  lat: number;
  address: string | null;
  description: string;
  reporter_name?: string | null;
  reporter_phone?: string | null;
}

const TRACKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function trackingCode(): string {
  return [...randomBytes(10)].map((b) => TRACKING_ALPHABET[b % TRACKING_ALPHABET.length]).join('');
}

function beijingYmd(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Hands out case numbers (district + yyyyMMdd + 5 digits) from the same daily counters the service
 * uses: one upsert for all the days of a batch (an import's chunk spans hundreds of days), the days
 * in order, so two writers take the counters' locks in the same order.
 */
async function allocateNumbers(tx: Executor, prefixes: string[]): Promise<string[]> {
  const need = new Map<string, number>();
  for (const p of prefixes) need.set(p, (need.get(p) ?? 0) + 1);
  const days = [...need.keys()].sort();
  const counted = await insertRows<{ day: string; n: number | string }>(tx, 'case_counters', ['day', 'n'], days.map((d) => [d, need.get(d)!]),
    { suffix: 'on conflict (day) do update set n = case_counters.n + excluded.n returning day, n' });
  const next = new Map(counted.map((r) => [r.day, Number(r.n) - need.get(r.day)! + 1]));
  return prefixes.map((p) => {
    const n = next.get(p)!;
    next.set(p, n + 1);
    return p + String(n).padStart(5, '0');
  });
}

/** A yellow light at 80% of the step's time (continuous approximation; the scheduler refines it). */
function warnAt(s: CaseSnapshot): number | null {
  return s.step_started_at !== null && s.due_at !== null ? s.step_started_at + Math.round(0.8 * (s.due_at - s.step_started_at)) : null;
}

const INSERT_BATCH = 400;

/** The event a bulk writer's mark names (none: a later event of the case marks it with its own). */
export const BULK_MARK = -1;

/** After the transaction of `writeLives` committed: removes the marks it left, where no later event replaced them (SQLite). */
export async function unmarkBulk(db: Db, ids: readonly number[]): Promise<void> {
  await unmarkCounted(db, ids.map((id) => ({ case_id: id, event_id: BULK_MARK })));
}

/**
 * Writes finished lives: case rows, case_events rows, the departments that held each case, and
 * their counts through `applyEventToStats` (gathered in `batch`, which the caller flushes in the
 * same transaction). Returns the new case ids in the order given.
 *
 * On SQLite that transaction spans the main file and the evaluation's, which commit one after the
 * other (the main file first). So the new cases are also marked for the catch-up (`BULK_MARK`) in the main file: if a
 * crash kept the cases but not their counts, the catch-up counts them; after the commit the caller
 * removes the marks (`unmarkBulk`), and a case counted already would have moved nothing anyway.
 */
export async function writeLives(
  tx: Executor,
  items: readonly { place: CasePlace; life: CaseLife }[],
  departmentIds: ReadonlyMap<string, number>,
  batch: StatsBatch,
): Promise<number[]> {
  const lives = items.filter((i) => i.life.snapshot !== null);
  if (lives.length !== items.length) throw new Error('a case without events cannot be written');
  const numbers = await allocateNumbers(tx, lives.filter((i) => !i.place.number).map((i) => i.place.grid_code.slice(0, 6) + beijingYmd(i.life.events[0]!.draft.at)));
  let k = 0;
  const rows = lives.map(({ place, life }) => {
    const s = life.snapshot!;
    const holderDept = s.holder?.kind === 'department' ? (departmentIds.get(s.holder.code) ?? null) : null;
    const row = newCaseRow(s, {
      number: place.number ?? numbers[k++]!,
      tracking_code: trackingCode(),
      reporter_user_id: life.events[0]!.who.userId,
      reporter_name: place.reporter_name ?? life.events[0]!.who.name,
      reporter_phone: place.reporter_phone ?? null,
      warn_at: warnAt(s),
      grid_code: place.grid_code,
      lon: place.lon,
      lat: place.lat,
      address: place.address,
      description: place.description,
      department_id: holderDept,
      created_at: life.events[0]!.draft.at,
      updated_at: life.at,
    });
    row.version = life.events.length;
    return row;
  });
  const back = await insertRows<{ id: number; number: string }>(tx, 'cases', CASE_COLUMNS, rows.map((r) => CASE_COLUMNS.map((c) => r[c] as Cell)), { suffix: 'returning id, number', rowsPerStatement: INSERT_BATCH });
  const byNumber = new Map(back.map((b) => [b.number, Number(b.id)]));
  const ids = rows.map((r) => byNumber.get(r.number)!);

  const eventRows: StatsEvent[] = [];
  const held: { case_id: number; department_id: number; since: number }[] = [];
  lives.forEach(({ life }, i) => {
    const caseId = ids[i]!;
    const seen = new Set<number>();
    life.events.forEach((e, j) => {
      eventRows.push(eventRowOf(caseId, j + 1, e.draft, e.who));
      const h = e.after.holder;
      const dept = h?.kind === 'department' ? departmentIds.get(h.code) : undefined;
      if (dept !== undefined && !seen.has(dept)) {
        seen.add(dept);
        held.push({ case_id: caseId, department_id: dept, since: e.draft.at });
      }
    });
  });
  const eventColumns = Object.keys(eventRows[0] ?? {}) as (keyof StatsEvent)[];
  await insertRows(tx, 'case_events', eventColumns, eventRows.map((e) => eventColumns.map((c) => e[c] as Cell)));
  await insertRows(tx, 'case_departments', ['case_id', 'department_id', 'since'], held.map((h) => [h.case_id, h.department_id, h.since]));

  if (!onPostgres(tx)) {
    await insertRows(tx, 'eval_pending', ['case_id', 'event_id'], ids.map((id) => [id, BULK_MARK]));
    await nextTurn(tx); // counts are written: a backup's two snapshots must not straddle them
  }

  // the counts: each case through applyEventToStats with its whole history, as the service would
  // leave them after applying its events one by one (the property test checks the two agree)
  let offset = 0;
  for (let i = 0; i < lives.length; i++) {
    const { place, life } = lives[i]!;
    const history = eventRows.slice(offset, offset + life.events.length);
    offset += life.events.length;
    const after = life.snapshot!;
    const facts = { id: ids[i]!, grid_code: place.grid_code, source: after.source, category_code: after.category_code, state: after.state };
    batch.noteNewCase(facts.id);
    await applyEventToStats(tx, history[history.length - 1]!, facts, { events: history, batch });
  }
  return ids;
}
