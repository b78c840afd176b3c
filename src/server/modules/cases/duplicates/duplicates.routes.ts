import { z } from 'zod';
import { STATES } from '../../../../shared/cases/index.js';
import { assertCan, scopeOf } from '../../../platform/access.js';
import { type App, commonErrors, intParam, numberParam, requireActor } from '../../../platform/http.js';
import { caseReference, loadForCaller } from '../cases.service.js';
import { findDuplicateCandidates, limitsIn } from './duplicates.service.js';

/** Duplicate candidates for the report screen (before submitting) and for a dispatcher looking at a case. */
const candidate = z.object({
  id: z.number(),
  number: z.string(),
  state: z.enum(STATES),
  gridCode: z.string(),
  address: z.string().nullable(),
  description: z.string(),
  createdAt: z.number(),
  distanceM: z.number(),
});
const answer = z.object({ radiusM: z.number(), windowH: z.number(), items: z.array(candidate) });

export async function duplicateRoutes(app: App): Promise<void> {
  const { ctx } = app;

  app.get('/api/cases/duplicates', {
    schema: {
      tags: ['cases'], summary: 'Open cases of a category near a point, reported within its window: check before submitting a report',
      querystring: z.strictObject({
        category: z.string().regex(/^\d{5}$/),
        lon: numberParam(z.number().min(-180).max(180)),
        lat: numberParam(z.number().min(-90).max(90)),
      }),
      response: { 200: answer, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.report');
    const { category, lon, lat } = req.query;
    const limits = limitsIn((await caseReference(ctx).current()).tree, category);
    const items = await findDuplicateCandidates(ctx.db, { categoryCode: category, lon, lat, at: ctx.clock.now() }, scopeOf(actor, 'cases.read'), limits);
    return { ...limits, items };
  });

  app.get('/api/cases/:id/duplicates', {
    schema: {
      tags: ['cases'], summary: 'Open cases that may report the same problem as this one (to merge)',
      params: z.strictObject({ id: intParam(z.number().int().positive()) }),
      response: { 200: answer, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.read');
    const row = await loadForCaller(ctx.db, actor, req.params.id);
    // a report without a category (a resident's, not yet accepted) has nothing to compare with
    const limits = limitsIn((await caseReference(ctx).current()).tree, row.category_code ?? '');
    const items = await findDuplicateCandidates(
      ctx.db, { categoryCode: row.category_code, lon: row.lon, lat: row.lat, at: row.created_at, excludeCaseId: Number(row.id) },
      scopeOf(actor, 'cases.read'), limits,
    );
    return { ...limits, items };
  });
}
