import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { sql } from 'kysely';
import { onPostgres, type Db, type Executor } from '../../platform/db.js';
import { insertRow } from '../../platform/insert.js';
import type { AppContext } from '../../platform/http.js';
import { recountCases } from './stats.js';

/**
 * Keeping the evaluation's counts behind the case loop without slowing it: every case event marks
 * its case in `eval_pending` in the event's own transaction (one small row); this job recounts the
 * marked cases in batches, and unmarks them in the same transaction as it moves their counts.
 *
 * Nothing is missed: a mark commits with its event, and is removed only by a transaction that then
 * reads the case's history (on PostgreSQL the DELETE comes first, so a later statement sees every
 * event committed before it; an event committing meanwhile marks its case again, or waits for the
 * DELETE and re-inserts its mark). Nothing is counted twice: recounting a case moves the rollups
 * by the difference between its stored marks and those its history gives, which is nothing the
 * second time. One job runs at a time (per process by a queue, across nodes by an advisory lock).
 *
 * The job starts a moment after each change, so reports and actions share a few transactions
 * between them; every evaluation read first waits for it (`statsUpToDate`), so a figure read after
 * an action always includes it.
 */
const CASES_PER_TRANSACTION = 200;
/** How long after a change the job waits to gather more changes into one batch. */
const GATHER_MS = 150;
/** PostgreSQL advisory lock key: one catch-up at a time across every node. */
const LOCK_KEY = 7_340_123;

/** Marks a case for recounting; call in the transaction of its event. */
export async function markCasePending(tx: Executor, caseId: number, eventId: number): Promise<void> {
  await insertRow(tx, 'eval_pending', { case_id: caseId, event_id: eventId }, 'on conflict (case_id) do update set event_id = excluded.event_id');
}

/** Recounts up to `limit` marked cases in one transaction; returns how many it took. */
export async function catchUpOnce(db: Db, limit = CASES_PER_TRANSACTION): Promise<number> {
  return db.transaction().execute(async (tx) => {
    if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    const ids = (await tx.selectFrom('eval_pending').select('case_id').orderBy('case_id').limit(limit).execute()).map((r) => Number(r.case_id));
    if (ids.length === 0) return 0;
    await tx.deleteFrom('eval_pending').where('case_id', 'in', ids).execute();
    await recountCases(tx, ids);
    return ids.length;
  });
}

/** Recounts every marked case, a batch per transaction, letting requests in between batches. */
export async function catchUpAll(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await catchUpOnce(db);
    total += n;
    if (n < CASES_PER_TRANSACTION) return total;
    await yieldToRequests();
  }
}

interface Runner {
  timer: NodeJS.Timeout | null;
  /** The run in progress (runs never overlap within a process). */
  running: Promise<void>;
  stopped: boolean;
}

const runners = new WeakMap<AppContext, Runner>();

function runnerOf(ctx: AppContext): Runner {
  let r = runners.get(ctx);
  if (!r) runners.set(ctx, (r = { timer: null, running: Promise.resolve(), stopped: false }));
  return r;
}

/** Queues a run after the ones in progress; a failure is logged and retried on the next change. */
function enqueue(ctx: AppContext, r: Runner): Promise<void> {
  r.running = r.running
    .then(() => catchUpAll(ctx.db))
    .then(() => undefined, (err: unknown) => ctx.log.error({ err }, 'evaluation catch-up failed; it runs again on the next change'));
  return r.running;
}

/** After a committed change: a run soon, gathering the changes of the next moment into it. */
export function scheduleCatchUp(ctx: AppContext): void {
  const r = runnerOf(ctx);
  if (r.timer || r.stopped) return;
  r.timer = setTimeout(() => {
    r.timer = null;
    void enqueue(ctx, r);
  }, GATHER_MS);
  r.timer.unref();
}

/** Before an evaluation read: every change committed so far is counted when this resolves. */
export async function statsUpToDate(ctx: AppContext): Promise<void> {
  const r = runnerOf(ctx);
  await r.running;
  const pending = await ctx.db.selectFrom('eval_pending').select('case_id').limit(1).executeTakeFirst();
  if (!pending) return;
  // a failure here is the reader's to see, not to swallow
  await catchUpAll(ctx.db);
}

/** At shutdown: no new runs; waits for the one in progress, so the database can close after it. */
export async function stopCatchUp(ctx: AppContext): Promise<void> {
  const r = runnerOf(ctx);
  r.stopped = true;
  if (r.timer) clearTimeout(r.timer);
  r.timer = null;
  await r.running;
}
