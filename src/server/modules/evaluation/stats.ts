import type { Selectable } from 'kysely';
import type { CaseEventsTable } from '../../db/schema.js';
import type { Db, Executor } from '../../platform/db.js';
import { marksOfCase, markKey, personOf, type CaseFacts, type EventFacts, type Mark } from './marks.js';
import { RollupDelta } from './rollup.js';
import { clearStats, markOfRow, marksOfCasesRows, writeActors, writeDelta, writeMarks, type ActorInfo } from './stats.repo.js';

/**
 * Keeping the evaluation's counts as cases change. A case's marks are recomputed from its whole
 * history and replace the stored ones that changed, and the rollups move by exactly the
 * difference. The case loop's events are counted by the catch-up job (catchup.ts, through
 * `recountCases`); bulk writers (the demo year, imports) call `applyEventToStats` with a
 * `StatsBatch` in their own transactions.
 *
 * `rebuildStats` recounts everything from case_events; a property test checks that applying events
 * one by one always gives the same rows.
 */
export type StatsEvent = Omit<Selectable<CaseEventsTable>, 'id'> & { id?: number };
export type StatsCase = CaseFacts & { id: number };

const EVENT_COLUMNS = [
  'case_id', 'seq', 'action', 'from_state', 'to_state', 'at', 'actor_id', 'actor_kind', 'actor_user_id', 'actor_name',
  'actor_level', 'actor_division_code', 'actor_department_code', 'input', 'step', 'due_at', 'withdrawn_request', 'comment',
] as const;

function actorInfo(e: StatsEvent): ActorInfo | null {
  const id = personOf(e);
  if (!id) return null;
  return {
    actor_id: id, user_id: e.actor_user_id, name: e.actor_name, level: e.actor_level, division_code: e.actor_division_code,
    department_code: e.actor_department_code, updated_at: e.at,
  };
}

/**
 * Changes to marks, rollups and people gathered over many events, written in one go. Bulk writers
 * (the demo year, imports, the full recount) keep one open per transaction; it remembers the marks
 * of the cases it has seen so their next events need no reads.
 */
export class StatsBatch {
  readonly delta = new RollupDelta();
  private readonly added: { caseId: number; mark: Mark }[] = [];
  private readonly removedIds: number[] = [];
  private readonly actors = new Map<string, ActorInfo>();
  /** Current marks per case, with the row id of those already stored. */
  private readonly known = new Map<number, { mark: Mark; id: number | null }[]>();

  get pending(): number {
    return this.delta.size + this.added.length;
  }

  /** The case's marks before this event: from memory, or from the database the first time. */
  private async current(tx: Executor, caseId: number): Promise<{ mark: Mark; id: number | null }[]> {
    await this.preload(tx, [caseId]);
    return this.known.get(caseId)!;
  }

  /** Reads the stored marks of many cases in one query (those with none get none). */
  async preload(tx: Executor, caseIds: readonly number[]): Promise<void> {
    const todo = caseIds.filter((id) => !this.known.has(id));
    for (const id of todo) this.known.set(id, []);
    for (let i = 0; i < todo.length; i += 1000) {
      for (const r of await marksOfCasesRows(tx, todo.slice(i, i + 1000))) {
        this.known.get(Number(r.case_id))!.push({ mark: markOfRow(r), id: Number(r.id) });
      }
    }
  }

  /** A case that did not exist before this batch: nothing to read. */
  noteNewCase(caseId: number): void {
    if (!this.known.has(caseId)) this.known.set(caseId, []);
  }

  async apply(tx: Executor, caseRow: StatsCase, events: readonly EventFacts[], actor: ActorInfo | null): Promise<void> {
    const before = await this.current(tx, caseRow.id);
    const after = marksOfCase(caseRow, events);
    // multiset difference by the marks' full content
    const pool = new Map<string, { mark: Mark; id: number | null }[]>();
    for (const b of before) {
      const k = markKey(b.mark);
      pool.set(k, [...(pool.get(k) ?? []), b]);
    }
    const kept: { mark: Mark; id: number | null }[] = [];
    for (const m of after) {
      const same = pool.get(markKey(m))?.pop();
      if (same) kept.push(same);
      else {
        this.delta.add(m, 1);
        this.added.push({ caseId: caseRow.id, mark: m });
        kept.push({ mark: m, id: null });
      }
    }
    for (const gone of [...pool.values()].flat()) {
      this.delta.add(gone.mark, -1);
      if (gone.id !== null) this.removedIds.push(gone.id);
      else {
        const i = this.added.findIndex((a) => a.caseId === caseRow.id && a.mark === gone.mark);
        if (i >= 0) this.added.splice(i, 1);
      }
    }
    this.known.set(caseRow.id, kept);
    this.noteActor(actor);
  }

  noteActor(actor: ActorInfo | null): void {
    if (!actor) return;
    const seen = this.actors.get(actor.actor_id);
    if (!seen || seen.updated_at <= actor.updated_at) this.actors.set(actor.actor_id, actor);
  }

  /** Writes everything gathered so far; the batch can go on afterwards (stored marks get their ids on next read). */
  async flush(tx: Executor): Promise<void> {
    await writeMarks(tx, this.removedIds, this.added);
    await writeDelta(tx, this.delta);
    await writeActors(tx, [...this.actors.values()]);
    // marks just inserted have ids only the database knows: their cases are read again next time
    for (const { caseId } of this.added) this.known.delete(caseId);
    this.added.length = 0;
    this.removedIds.length = 0;
    this.actors.clear();
    this.delta.stats.clear();
    this.delta.actors.clear();
    this.delta.durations.clear();
  }
}

async function historyOf(tx: Executor, caseId: number): Promise<StatsEvent[]> {
  return tx.selectFrom('case_events').select(EVENT_COLUMNS).where('case_id', '=', caseId).orderBy('seq').execute();
}

/**
 * Call in the transaction that wrote the case_events row `event` of `caseRow` (the case row as it
 * is after the event: grid_code, source, category_code, state). With `opts.events` (the case's
 * whole history including this event, oldest first) nothing is read; with `opts.batch` nothing is
 * written until the batch is flushed in the same transaction.
 */
export async function applyEventToStats(
  tx: Executor,
  event: StatsEvent,
  caseRow: StatsCase,
  opts: { events?: readonly StatsEvent[]; batch?: StatsBatch } = {},
): Promise<void> {
  let events = opts.events ?? (await historyOf(tx, caseRow.id));
  if (!events.some((e) => e.seq === event.seq)) events = [...events, event].sort((a, b) => a.seq - b.seq);
  const batch = opts.batch ?? new StatsBatch();
  if (event.seq === 1 && event.from_state === 'new') batch.noteNewCase(caseRow.id);
  await batch.apply(tx, caseRow, events, actorInfo(event));
  // a caller handing over a whole history (bulk writers) names everyone who acted in it
  if (opts.events) for (const e of opts.events) batch.noteActor(actorInfo(e));
  if (!opts.batch) await batch.flush(tx);
}

/**
 * Recounts every figure from case_events: empties the rollups, then walks the cases in id order,
 * a few thousand per transaction, taking their marks for the catch-up as it goes. Meant for an idle
 * system (a migration, a restore); figures are incomplete while it runs, and after a crash it is
 * run again.
 */
export async function rebuildStats(db: Db, opts: { casesPerBatch?: number; onProgress?: (done: number) => void } = {}): Promise<{ cases: number }> {
  const per = opts.casesPerBatch ?? 2000;
  await db.transaction().execute((tx) => clearStats(tx));
  let last = 0;
  let done = 0;
  for (;;) {
    const ids = (await db.selectFrom('cases').select('id').where('id', '>', last).orderBy('id').limit(per).execute()).map((c) => Number(c.id));
    if (ids.length === 0) break;
    last = ids[ids.length - 1]!;
    await db.transaction().execute(async (tx) => {
      // their marks, as the catch-up would take them: an event committed from here on marks its case again
      await tx.deleteFrom('eval_pending').where('case_id', 'in', ids).execute();
      await recountCases(tx, ids, { fresh: true });
    });
    done += ids.length;
    opts.onProgress?.(done);
  }
  return { cases: done };
}

/**
 * Recounts the given cases from their whole histories in `tx`: their marks, and the rollups by
 * exactly the difference from the marks stored before (none when `fresh`: the rollups were
 * emptied). Recounting a case twice changes nothing the second time.
 */
export async function recountCases(tx: Executor, ids: readonly number[], opts: { fresh?: boolean } = {}): Promise<void> {
  if (ids.length === 0) return;
  await (await countCases(tx, ids, opts)).flush(tx);
}

/** `recountCases` without the writing: reads in `tx`, and the batch to flush (in `tx` or a later transaction). */
export async function countCases(tx: Executor, ids: readonly number[], opts: { fresh?: boolean } = {}): Promise<StatsBatch> {
  const cases = await tx.selectFrom('cases').select(['id', 'grid_code', 'source', 'category_code', 'state'])
    .where('id', 'in', ids).orderBy('id').execute();
  const events = await tx.selectFrom('case_events').select(EVENT_COLUMNS).where('case_id', 'in', ids).orderBy('case_id').orderBy('seq').execute();
  const byCase = new Map<number, StatsEvent[]>();
  for (const e of events) {
    const id = Number(e.case_id);
    let list = byCase.get(id);
    if (!list) byCase.set(id, (list = []));
    list.push(e);
  }
  const batch = new StatsBatch();
  if (opts.fresh) for (const id of ids) batch.noteNewCase(id);
  else await batch.preload(tx, ids);
  for (const c of cases) {
    const history = byCase.get(Number(c.id)) ?? [];
    await batch.apply(tx, { id: Number(c.id), grid_code: c.grid_code, source: c.source, category_code: c.category_code, state: c.state }, history, null);
    for (const e of history) batch.noteActor(actorInfo(e));
  }
  return batch;
}
