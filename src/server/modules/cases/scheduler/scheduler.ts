import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../../platform/clock.js';
import { AppError } from '../../../platform/errors.js';
import type { AppContext } from '../../../platform/http.js';
import { actOnCase, caseReference, type SystemCaller } from '../cases.service.js';
import { caseSettingsOf } from '../admin/workflow-settings.js';
import { announce as announceInbox } from '../notifications/notify.js';
import { announceCards, giveDueCards, type GivenCard } from './cards.js';
import { acquireLease, releaseLease } from './lease.js';

/**
 * The case loop's timers. Nothing is kept in memory between ticks: each tick reads the due times
 * from the cases, what was already given from `case_cards`, and takes a lease so that with several
 * app nodes only one ticks at a time; so a restart, a second node or a doubled tick changes nothing.
 */
export const SCHEDULER_LEASE = 'cases.scheduler';
/** A node that dies mid-tick blocks the others at most this long. */
const LEASE_TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const ARCHIVE_BATCH = 200;

/** The archiving job acts as the system, with only the permission archiving needs. */
export const ARCHIVER: SystemCaller = { kind: 'system', name: '系统定时归档', permissions: ['cases.close'] };

export interface TickResult {
  /** False when another tick held the lease: this one did nothing. */
  ran: boolean;
  cards: GivenCard[];
  archived: number[];
}

const NODE = randomBytes(6).toString('hex');
let ticks = 0;

/** Archives closed cases whose archive delay has passed, through the workflow (action `archive`). */
async function archiveDue(ctx: AppContext, now: number, afterDays: number): Promise<number[]> {
  const done: number[] = [];
  let afterId = 0;
  for (;;) {
    const due = await ctx.db.selectFrom('cases').select(['id', 'version'])
      .where('state', '=', 'closed').where('closed_at', '<=', now - afterDays * DAY_MS).where('id', '>', afterId)
      .orderBy('id').limit(ARCHIVE_BATCH).execute();
    for (const r of due) {
      const id = Number(r.id);
      try {
        await actOnCase(ctx, ARCHIVER, id, 'archive', {}, r.version);
        done.push(id);
      } catch (err) {
        // someone acted on it meanwhile, or the workflow's own delay differs: the next tick looks again
        if (!(err instanceof AppError)) throw err;
        ctx.log.debug({ caseId: id, code: err.code }, 'archive skipped');
      }
    }
    if (due.length < ARCHIVE_BATCH) return done;
    afterId = Number(due[due.length - 1]!.id);
  }
}

/**
 * One tick at `now` (default: the app's clock): cards, then archiving. Exported for tests and for a
 * CLI; the interval in `startScheduler` calls it too.
 */
export async function runSchedulerTick(ctx: AppContext, now: number = ctx.clock.now()): Promise<TickResult> {
  const owner = `${NODE}:${++ticks}`;
  if (!(await acquireLease(ctx.db, SCHEDULER_LEASE, owner, now, LEASE_TTL_MS))) return { ran: false, cards: [], archived: [] };
  try {
    const settings = await caseSettingsOf(ctx.db);
    const { calendar } = await caseReference(ctx).current();
    const cards = await giveDueCards(ctx.db, now, calendar, settings.yellowShare, ctx.access);
    announceInbox(ctx.live, ...cards.notified);
    announceCards(ctx, cards.given);
    const archived = await archiveDue(ctx, now, settings.archiveAfterDays);
    return { ran: true, cards: cards.given, archived };
  } finally {
    await releaseLease(ctx.db, SCHEDULER_LEASE, owner, ctx.clock.now());
  }
}

interface Running {
  timer: NodeJS.Timeout | null;
  tick: Promise<unknown> | null;
  stopped: boolean;
}
const running = new WeakMap<AppContext, Running>();

/**
 * Ticks every `schedulerIntervalSeconds` (a setting, read again each time). An app on a manual
 * clock is driven by its test, which calls `runSchedulerTick` itself, so it is not started there
 * unless asked.
 */
export async function startScheduler(ctx: AppContext, opts: { force?: boolean; intervalMs?: number } = {}): Promise<void> {
  if (running.has(ctx)) return;
  if (ctx.clock instanceof ManualClock && !opts.force) return;
  const state: Running = { timer: null, tick: null, stopped: false };
  running.set(ctx, state);
  const schedule = async () => {
    if (state.stopped) return;
    const seconds = opts.intervalMs ? null : (await caseSettingsOf(ctx.db).catch(() => null))?.schedulerIntervalSeconds;
    state.timer = setTimeout(() => {
      state.tick = runSchedulerTick(ctx)
        .catch((err) => ctx.log.error({ err }, 'case scheduler tick failed'))
        .finally(() => {
          state.tick = null;
          void schedule();
        });
    }, opts.intervalMs ?? (seconds ?? 30) * 1000);
    state.timer.unref();
  };
  await schedule();
}

/** Stops ticking and waits for a tick in progress, so the database can close after it. */
export async function stopScheduler(ctx: AppContext): Promise<void> {
  const state = running.get(ctx);
  if (!state) return;
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
  await state.tick;
  running.delete(ctx);
}
