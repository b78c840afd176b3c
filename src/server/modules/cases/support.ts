import type { PlatformLevel } from '../../../shared/cases/index.js';
import type { AppContext, App, ModuleManifest } from '../../platform/http.js';
import type { Executor } from '../../platform/db.js';
import { adminRoutes } from './admin/admin.routes.js';
import { actOnCase, caseReference, onCaseChange, onCaseEvent, setDuplicateFinder, type AfterCommit, type CaseChange } from './cases.service.js';
import { duplicateRoutes } from './duplicates/duplicates.routes.js';
import { findDuplicateCandidates, limitsIn } from './duplicates/duplicates.service.js';
import { inboxRoutes } from './notifications/inbox.routes.js';
import { announce, notifyForEvent } from './notifications/notify.js';
import { ruleRoutes } from './rules/rules.routes.js';
import { autoDispatchFor } from './rules/rules.service.js';
import { startScheduler, stopScheduler } from './scheduler/scheduler.js';

/**
 * The parts of the cases module around the workflow: dispatch rules, duplicates, the inbox, the
 * scheduler (cards and archiving) and the admin screens for categories, calendar and settings.
 * The cases manifest calls `registerCaseSupport` from its `routes`, `startCaseSupport` from its
 * `start` and `stopCaseSupport` from its `stop`. Each is done once per app, so calling it twice
 * (the manifest and a test harness) is harmless.
 *
 * They plug into the core through its extension points (cases.service.ts): the event hook, run
 * inside the transaction of every case event; the change listener, told after each commit; and
 * the duplicate finder, asked inside the reporting transaction.
 */
const registered = new WeakSet<AppContext>();

/**
 * Inbox rows for a case event, written in the event's own transaction (so an event and its
 * notifications commit or vanish together); the live push to open pages goes out after the commit.
 */
export async function notifyWithEvent(ctx: AppContext, tx: Executor, change: CaseChange): Promise<AfterCommit> {
  const notified = await notifyForEvent(
    tx,
    { id: change.eventId, action: change.action, to_state: change.to, actor_user_id: change.actorUserId, input: { ...change.input }, at: change.at },
    change.row,
    ctx.access,
  );
  return () => announce(ctx.live, notified);
}

/** A case just accepted goes where an automatic dispatch rule sends it, recorded as the rule's doing. */
export async function autoDispatchAfterChange(ctx: AppContext, change: CaseChange): Promise<void> {
  if (change.action !== 'accept' || change.to !== 'accepted') return;
  const auto = await autoDispatchFor(ctx.db, { categoryCode: change.case.category_code, gridCode: change.gridCode, level: change.case.level as PlatformLevel });
  if (!auto) return;
  await actOnCase(ctx, auto.caller, change.caseId, auto.action, auto.input, change.version);
}

export async function registerCaseSupport(app: App): Promise<void> {
  const { ctx } = app;
  if (registered.has(ctx)) return;
  registered.add(ctx);
  onCaseEvent(ctx, (tx, change) => notifyWithEvent(ctx, tx, change));
  onCaseChange(ctx, (change) => autoDispatchAfterChange(ctx, change));
  setDuplicateFinder(ctx, async (db, c) => {
    const limits = limitsIn((await caseReference(ctx).current()).tree, c.categoryCode ?? '');
    const found = await findDuplicateCandidates(db, { categoryCode: c.categoryCode, lon: c.lon, lat: c.lat, at: c.at, excludeCaseId: c.id }, c.scope, limits);
    return found.map(({ id, number, state, distanceM }) => ({ id, number, state, distanceM }));
  });
  await ruleRoutes(app);
  await duplicateRoutes(app);
  await inboxRoutes(app);
  await adminRoutes(app);
}

/** Starts the scheduler (not on a test's manual clock: the test ticks it). */
export async function startCaseSupport(ctx: AppContext): Promise<void> {
  await startScheduler(ctx);
}

export async function stopCaseSupport(ctx: AppContext): Promise<void> {
  await stopScheduler(ctx);
}

/** The same as a manifest of its own, for an app that lists it beside the cases module. */
export const caseSupportModule: ModuleManifest = {
  name: 'cases-support',
  routes: registerCaseSupport,
  start: startCaseSupport,
  stop: stopCaseSupport,
};
