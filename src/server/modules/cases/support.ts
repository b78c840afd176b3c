import type { AppContext, App, ModuleManifest } from '../../platform/http.js';
import { inboxRoutes } from './notifications/inbox.routes.js';
import { ruleRoutes } from './rules/rules.routes.js';

/**
 * The parts of the cases module around the workflow: dispatch rules, duplicates, the inbox, the
 * scheduler (cards and archiving) and the admin screens for categories, calendar and settings.
 * The cases manifest calls `registerCaseSupport` from its `routes`, `startCaseSupport` from its
 * `start` and `stopCaseSupport` from its `stop`. Each is done once per app, so calling it twice
 * (the manifest and a test harness) is harmless.
 */
const registered = new WeakSet<AppContext>();

export async function registerCaseSupport(app: App): Promise<void> {
  if (registered.has(app.ctx)) return;
  registered.add(app.ctx);
  await ruleRoutes(app);
  await inboxRoutes(app);
}

export async function startCaseSupport(_ctx: AppContext): Promise<void> {}

export async function stopCaseSupport(_ctx: AppContext): Promise<void> {}

/** The same as a manifest of its own, for an app that lists it beside the cases module. */
export const caseSupportModule: ModuleManifest = {
  name: 'cases-support',
  routes: registerCaseSupport,
  start: startCaseSupport,
  stop: stopCaseSupport,
};
