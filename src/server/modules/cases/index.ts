import type { ModuleManifest } from '../../platform/http.js';
import { casesRoutes } from './cases.routes.js';
import { publicRoutes } from './public.routes.js';
import { CaseReference, seedReferenceData } from './reference.js';
import { referenceRoutes } from './reference.routes.js';
import { registerCaseSupport, startCaseSupport, stopCaseSupport } from './support.js';

/**
 * cases: the case record and its closed loop (采集上报 → 指挥派遣 → 处置反馈 → 任务核查 → 结单归档),
 * categories, the working calendar, photos, work lists and public tracking; with the parts around
 * it (dispatch rules, duplicates, inbox, scheduler, admin) registered by support.ts. The service
 * functions other code calls are exported from cases.service.ts.
 */
export const casesModule: ModuleManifest = {
  name: 'cases',
  async routes(app) {
    app.ctx.services.caseReference = new CaseReference(app.ctx.db, () => app.ctx.clock.now());
    await casesRoutes(app);
    await publicRoutes(app);
    await referenceRoutes(app);
    await registerCaseSupport(app);
  },
  async start(ctx) {
    await seedReferenceData(ctx.db, ctx.clock.now());
    await (ctx.services.caseReference as CaseReference).load();
    await startCaseSupport(ctx);
  },
  async stop(ctx) {
    await stopCaseSupport(ctx);
  },
};
