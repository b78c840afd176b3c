import type { ModuleManifest } from '../../platform/http.js';
import { evaluationRoutes } from './evaluation.routes.js';
import { importRoutes, recoverImportsSoon, stopImports } from './import/import.routes.js';
import { onCaseChange, onCaseEvent } from '../cases/context.js';
import { markCasePending, scheduleCatchUp, stopCatchUp } from './catchup.js';

/**
 * evaluation (综合评价): indicators per period and subject counted from case events, kept in
 * rollups: each event marks its case in its own transaction and a catch-up job (catchup.ts) moves
 * the counts of the marked cases in batches; bulk writers use `StatsBatch` directly; the dashboard,
 * indicator tables with scores and grades, the cases behind every figure, streamed exports, and
 * historical imports.
 */
export { applyEventToStats, rebuildStats, recountCases, StatsBatch } from './stats.js';
export { catchUpAll, statsUpToDate } from './catchup.js';

export const evaluationModule: ModuleManifest = {
  name: 'evaluation',
  async routes(app) {
    // each event marks its case in its own transaction, so the catch-up can never miss or double one
    onCaseEvent(app.ctx, async (tx, change) => {
      await markCasePending(tx, change.caseId, change.eventId);
    });
    onCaseChange(app.ctx, () => scheduleCatchUp(app.ctx));
    await evaluationRoutes(app);
    await importRoutes(app);
  },
  // anything marked before a restart is counted at once; an import a stopped process left is undone
  start: (ctx) => {
    scheduleCatchUp(ctx);
    recoverImportsSoon(ctx, true);
  },
  stop: async (ctx) => {
    await stopImports(ctx);
    await stopCatchUp(ctx);
  },
};
