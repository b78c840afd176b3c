import type { ModuleManifest } from '../../platform/http.js';
import { evaluationRoutes } from './evaluation.routes.js';
import { importRoutes } from './import/import.routes.js';
import { onCaseEvent } from '../cases/context.js';
import { refreshCaseStats } from './stats.js';

/**
 * evaluation (综合评价): indicators per period and subject counted from case events, kept in
 * rollups by `applyEventToStats` (stats.ts) in the same transaction as each event; the dashboard,
 * indicator tables with scores and grades, the cases behind every figure, streamed exports, and
 * historical imports.
 */
export { applyDraftToStats, applyEventToStats, rebuildStats, refreshCaseStats, StatsBatch } from './stats.js';

export const evaluationModule: ModuleManifest = {
  name: 'evaluation',
  async routes(app) {
    // the counts move in the same transaction as every case event, so they never miss or double one
    onCaseEvent(app.ctx, async (tx, change) => {
      await refreshCaseStats(tx, change.caseId);
    });
    await evaluationRoutes(app);
    await importRoutes(app);
  },
};
