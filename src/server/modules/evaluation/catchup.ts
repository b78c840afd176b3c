import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { onPostgres, runText, type Db, type Executor } from '../../platform/db.js';
import { writeTransaction } from '../../platform/group-commit.js';
import { insertRow } from '../../platform/insert.js';
import type { AppContext } from '../../platform/http.js';
import { countCases, recountCases, type StatsBatch } from './stats.js';
import { CatchUpThread } from './catchup.thread.js';

/**
 * Keeping the evaluation's counts behind the case loop without slowing it: every case event marks
 * its case in `eval_pending` in the event's own transaction (one small row); this job recounts the
 * marked cases in batches, and unmarks them in the same transaction as it moves their counts
 * (PostgreSQL) or just after (SQLite, where the counts have a file of their own: `writeCounted`).
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

/**
 * The marks a catch-up takes and removes are only those no other transaction holds (PostgreSQL;
 * SQLite has one writer). A mark held is being set again by an event in progress and is counted in
 * a later round; waiting for it could deadlock, since a transaction that marks several cases (a
 * merge marks the duplicate, then its original) may lock them in another order than the catch-up.
 */
function unheld<Q extends SelectQueryBuilder<Database, 'eval_pending', any>>(tx: Executor, q: Q): Q {
  return onPostgres(tx) ? (q.forUpdate().skipLocked() as Q) : q;
}

/** Marks a case for recounting; call in the transaction of its event. */
export async function markCasePending(tx: Executor, caseId: number, eventId: number): Promise<void> {
  await insertRow(tx, 'eval_pending', { case_id: caseId, event_id: eventId }, 'on conflict (case_id) do update set event_id = excluded.event_id');
}

/**
 * Recounts up to `limit` marked cases; returns how many it took. PostgreSQL: in one transaction.
 * SQLite: counted in a snapshot, written to the evaluation's file, then unmarked (see `writeCounted`).
 */
export async function catchUpOnce(db: Db, limit = CASES_PER_TRANSACTION): Promise<number> {
  if (!onPostgres(db)) {
    for (;;) {
      const counted = await countMarked(db, limit);
      if (!counted) return 0;
      if (!(await writeCounted(db, counted))) continue; // another catch-up wrote meanwhile: count again
      await unmarkCounted(db, counted.marks);
      return counted.marks.length;
    }
  }
  return db.transaction().execute(async (tx) => {
    await lockCounts(tx);
    const ids = (await unheld(tx, tx.selectFrom('eval_pending').select('case_id').orderBy('case_id').limit(limit)).execute()).map((r) => Number(r.case_id));
    if (ids.length === 0) return 0;
    await tx.deleteFrom('eval_pending').where('case_id', 'in', ids).execute();
    await nextTurn(tx);
    await recountCases(tx, ids);
    return ids.length;
  });
}

/** PostgreSQL: holds other catch-ups (and writers that take counts away) off until this transaction ends. */
export async function lockCounts(tx: Executor): Promise<void> {
  if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
}

/**
 * Every write of counts moves the turn (in its transaction): a catch-up counting outside the lock
 * can tell, and so can a backup taking the two files' snapshots (platform/backup.ts).
 */
export async function nextTurn(tx: Executor, from?: number): Promise<boolean> {
  let q = tx.updateTable('eval_catchup').set((eb) => ({ turn: eb('turn', '+', 1) })).where('id', '=', 1);
  if (from !== undefined) q = q.where('turn', '=', from);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

/** A batch counted in a read-only snapshot, to be written by `writeCounted`. */
export interface Counted {
  marks: { case_id: number; event_id: number }[];
  batch: StatsBatch;
  turn: number;
}

/**
 * The reading and counting half of `catchUpOnce`, without the write lock (SQLite's snapshot reads
 * run beside the server's writes): the marked cases, their histories and stored marks, and the
 * changes they make. Null when nothing is marked.
 */
export async function countMarked(db: Db, limit = CASES_PER_TRANSACTION): Promise<Counted | null> {
  // one snapshot for every read (SQLite's transactions are; PostgreSQL's by default are not)
  const begin = onPostgres(db) ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return begin.execute(async (tx) => {
    const turn = Number((await tx.selectFrom('eval_catchup').select('turn').where('id', '=', 1).executeTakeFirstOrThrow()).turn);
    const marks = (await tx.selectFrom('eval_pending').select(['case_id', 'event_id']).orderBy('case_id').limit(limit).execute())
      .map((m) => ({ case_id: Number(m.case_id), event_id: Number(m.event_id) }));
    if (marks.length === 0) return null;
    return { marks, batch: await countCases(tx, marks.map((m) => m.case_id)), turn };
  });
}

/**
 * The writing half: only if no other catch-up wrote since the counting began (else false: count
 * again, nothing written). A mark is removed only if it is still the one counted: a case whose
 * newer event marked it again meanwhile stays marked and is counted again from what this writes.
 *
 * On PostgreSQL the marks are removed in the same transaction as the counts are written. On SQLite
 * the counts are in the evaluation's file and the marks in the main one, each with its own writer
 * (EVALUATION_SCHEMA, platform/db.ts): this transaction writes the evaluation's file alone, beside
 * the server's writes, and `unmarkCounted` removes the marks afterwards among the server's writes.
 * Cut short between the two (a crash), the marks stay and the cases are counted again, which moves
 * nothing: their stored marks already equal their histories.
 */
export async function writeCounted(db: Db, counted: Counted): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if (!(await nextTurn(tx, counted.turn))) return false;
    if (onPostgres(tx)) await deleteMarks(tx, counted.marks);
    await counted.batch.flush(tx);
    return true;
  });
}

/** SQLite: removes the marks of a batch `writeCounted` wrote, where they are still the ones counted (PostgreSQL: removed already). */
export async function unmarkCounted(db: Db, marks: Counted['marks']): Promise<void> {
  if (onPostgres(db) || marks.length === 0) return;
  // among the server's writes: one compiled statement run for each mark, on the connection the shared commit holds
  await writeTransaction(db, async (tx) => {
    for (const m of marks) await runText(tx, 'delete from eval_pending where case_id = ? and event_id = ?', [m.case_id, m.event_id]);
  });
}

async function deleteMarks(tx: Executor, marks: Counted['marks']): Promise<void> {
  for (let i = 0; i < marks.length; i += 100) {
    const part = marks.slice(i, i + 100);
    await tx.deleteFrom('eval_pending').where('case_id', 'in', unheld(tx, tx.selectFrom('eval_pending').select('case_id')
      .where((eb) => eb.or(part.map((m) => eb.and([eb('case_id', '=', m.case_id), eb('event_id', '=', m.event_id)]))))))
      .execute();
  }
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
  /** The thread that counts (config `EVALUATION_THREAD`); null: this thread counts; undefined: not decided yet. */
  thread: CatchUpThread | null | undefined;
}

const runners = new WeakMap<AppContext, Runner>();

function runnerOf(ctx: AppContext): Runner {
  let r = runners.get(ctx);
  if (!r) runners.set(ctx, (r = { timer: null, running: Promise.resolve(), stopped: false, thread: undefined }));
  return r;
}

function threadOf(ctx: AppContext, r: Runner): CatchUpThread | null {
  if (r.thread === undefined) {
    const { database } = ctx.config;
    // an in-memory SQLite database is this connection's alone: nobody else can count it
    const shareable = database.kind === 'postgres' || database.file !== ':memory:';
    r.thread = ctx.config.evaluationThread && shareable && !r.stopped ? new CatchUpThread(database) : null;
  }
  return r.thread;
}

/**
 * Every marked case recounted, in the catch-up thread when there is one, a batch at a time. On
 * PostgreSQL the thread counts and writes a batch in one transaction. On SQLite the thread reads
 * and counts a batch in a snapshot and writes the counts to the evaluation's file, both beside this
 * process's writes; this process then removes the batch's marks among its own writes.
 */
async function catchUp(ctx: AppContext, r: Runner): Promise<number> {
  const thread = threadOf(ctx, r);
  if (!thread) return catchUpAll(ctx.db);
  let total = 0;
  try {
    for (;;) {
      let n: number;
      if (onPostgres(ctx.db)) n = await thread.once();
      else {
        const marks = await thread.count();
        n = marks.length;
        if (n > 0) {
          if (!(await thread.write())) continue; // another catch-up wrote: again
          await unmarkCounted(ctx.db, marks);
        }
      }
      total += n;
      if (n < CASES_PER_TRANSACTION) return total;
    }
  } catch (err) {
    if (thread.alive) throw err;
    ctx.log.error({ err }, "the evaluation's catch-up thread stopped; counting goes on in the server's thread");
    r.thread = null;
    return total + (await catchUpAll(ctx.db));
  }
}

/** The catch-up thread of a running app, once it has started (null: counting in the server's thread). */
export function catchUpThreadOf(ctx: AppContext): CatchUpThread | null {
  return runnerOf(ctx).thread ?? null;
}

/** Queues a run after the ones in progress; a failure is logged and retried on the next change. */
function enqueue(ctx: AppContext, r: Runner): Promise<void> {
  r.running = r.running
    .then(() => catchUp(ctx, r))
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
  const run = r.running.then(() => catchUp(ctx, r));
  r.running = run.then(() => undefined, () => undefined);
  await run;
}

/** At shutdown: no new runs; waits for the one in progress, so the database can close after it. */
export async function stopCatchUp(ctx: AppContext): Promise<void> {
  const r = runnerOf(ctx);
  r.stopped = true;
  if (r.timer) clearTimeout(r.timer);
  r.timer = null;
  await r.running;
  await r.thread?.close();
  r.thread = null;
}
