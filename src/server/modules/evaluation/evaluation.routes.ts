import { z } from 'zod';
import { indicatorsFor } from '../../../shared/evaluation/indicators.js';
import { dateOfDay } from '../../../shared/evaluation/periods.js';
import { EvaluationWeightsSchema } from '../../../shared/evaluation/scores.js';
import { assertCan, assertDistrictWide, can, canDistrictWide, type Actor } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { type App, auditContext, commonErrors, intParam, type Reply, requireActor } from '../../platform/http.js';
import { caseDetail } from './case.detail.js';
import { statsUpToDate } from './catchup.js';
import { dashboard } from './dashboard.service.js';
import { allCases, checkDrillQuery, countCases, listCases, resolveSubject, type DrillQuery } from './drill.js';
import {
  caseDetailOut, casesOut, casesQuery, dashboardOut, dashboardQuery, metaOut, tableOut, tableQuery,
} from './evaluation.schemas.js';
import { contentDisposition, csvStream, EXPORT_TYPES, exportFileName, xlsxStream, type ExportColumn } from './export.js';
import { caseColumns, rangeOf, rangeOut, tableColumns } from './present.js';
import { evaluationScope, resolveArea } from './scope.js';
import { indicatorTable } from './table.service.js';
import { currentWeights, saveWeights } from './weights.js';

/**
 * 综合评价 over HTTP: parse → scope (404 outside jurisdiction) → query the rollups → present.
 * `format=csv|xlsx` on the table and the case lists streams an export instead (exports.run).
 */
async function sendExport<T>(
  app: App, reply: Reply, actor: Actor, req: Parameters<typeof auditContext>[0],
  format: 'csv' | 'xlsx', name: string, display: string, columns: readonly ExportColumn<T>[], rows: AsyncIterable<T>, detail: Record<string, unknown>,
): Promise<Reply> {
  assertCan(actor, 'exports.run');
  await audit(app.ctx.db, auditContext(req, app.ctx.clock.now()), { action: 'evaluation.export', targetType: 'evaluation', detail: { ...detail, format } });
  const stream = format === 'csv' ? csvStream(columns, rows) : xlsxStream(display, columns, rows);
  return reply
    .header('content-type', EXPORT_TYPES[format])
    .header('content-disposition', contentDisposition(exportFileName(name, format), `${display}.${format}`))
    .header('cache-control', 'no-store')
    .send(stream);
}

export async function evaluationRoutes(app: App): Promise<void> {
  const { db, clock } = app.ctx;
  // every figure read includes every change committed before it
  const upToDate = async () => statsUpToDate(app.ctx);

  app.get('/api/evaluation/meta', {
    preHandler: upToDate,
    schema: {
      tags: ['evaluation'], summary: 'Areas one may evaluate, the years that have figures, and what one may do',
      response: { 200: metaOut, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const s = await evaluationScope(db, actor);
    const areas = s.scope.divisionPrefixes.length
      ? await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', s.scope.divisionPrefixes).orderBy('code').execute()
      : [];
    const span = await db.selectFrom('eval_stats').select((eb) => [eb.fn.min('period').as('lo'), eb.fn.max('period').as('hi')])
      .where('grain', '=', 'd').where('dim', '=', '').where('level', '=', 30).where('reported', '>', 0).executeTakeFirst();
    const lo = span?.lo == null ? null : Number(span.lo);
    const hi = span?.hi == null ? null : Number(span.hi);
    const years: number[] = [];
    if (lo !== null && hi !== null) for (let y = Number(dateOfDay(hi).slice(0, 4)); y >= Number(dateOfDay(lo).slice(0, 4)); y--) years.push(y);
    return {
      areas, years, latestDay: hi === null ? null : dateOfDay(hi),
      canConfigure: await canDistrictWide(db, actor, 'evaluation.configure'), canExport: can(actor, 'exports.run'),
    };
  });

  app.get('/api/evaluation/dashboard', {
    preHandler: upToDate,
    schema: {
      tags: ['evaluation'], summary: 'Dashboard of an area over a period: headline figures, trend, breakdowns, rankings, density',
      querystring: dashboardQuery,
      response: { 200: dashboardOut, ...commonErrors },
    },
  }, async (req) => {
    const s = await evaluationScope(db, requireActor(req));
    const area = await resolveArea(db, s, req.query.area);
    return dashboard(db, s, area, rangeOf(req.query, clock.now()), await currentWeights(db));
  });

  app.get('/api/evaluation/indicators', {
    preHandler: upToDate,
    schema: {
      tags: ['evaluation'], summary: 'Indicator table of the streets, communities, grids, departments, grid workers or dispatchers of an area, with scores and grades (format=csv|xlsx exports it)',
      querystring: tableQuery,
      response: { 200: tableOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const s = await evaluationScope(db, actor);
    const area = await resolveArea(db, s, req.query.area);
    const range = rangeOf(req.query, clock.now());
    const { subject, format, lang } = req.query;
    const weights = await currentWeights(db);
    const rows = await indicatorTable(db, s, subject, area, range, weights);
    if (format !== 'json') {
      const r = rangeOut(range);
      async function* each() {
        yield* rows;
      }
      return sendExport(app, reply, actor, req, format, `indicators-${subject}-${area.code}-${r.from}-${r.to}`,
        `${area.name}-${subject}-${r.from}-${r.to}`, tableColumns(subject, lang, rows), each(), { subject, area: area.code, ...r });
    }
    return {
      subject, area: { code: area.code, name: area.name }, range: rangeOut(range),
      indicators: indicatorsFor(subject).map((i) => i.key), rows, rankMinimum: weights.rankMinimum,
    };
  });

  app.get('/api/evaluation/cases', {
    preHandler: upToDate,
    schema: {
      tags: ['evaluation'], summary: 'The cases behind a figure (indicator × subject × period), in your scope; format=csv|xlsx exports every row',
      querystring: casesQuery,
      response: { 200: casesOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const s = await evaluationScope(db, actor);
    const range = rangeOf(req.query, clock.now());
    const subject = await resolveSubject(db, s, req.query.subject, req.query.area);
    const q: DrillQuery = { indicator: req.query.indicator, subject, range, cls: req.query.class, source: req.query.source, only: req.query.only };
    checkDrillQuery(q);
    if (req.query.format !== 'json') {
      const r = rangeOut(range);
      const who = subject.kind === 'person' ? subject.actorId : subject.kind === 'department' ? `${subject.code}-${subject.area.code}` : subject.area.code;
      return sendExport(app, reply, actor, req, req.query.format, `cases-${q.indicator}-${who}-${r.from}-${r.to}`,
        `cases-${q.indicator}-${r.from}-${r.to}`, caseColumns(req.query.lang), allCases(db, s, q), { indicator: q.indicator, subject: req.query.subject ?? null, ...r });
    }
    const after = req.query.after ? { at: Number(req.query.after.split(':')[0]), markId: Number(req.query.after.split(':')[1]) } : undefined;
    const [total, items] = await Promise.all([countCases(db, s, q), listCases(db, s, q, req.query.limit, after)]);
    const last = items[items.length - 1];
    return {
      indicator: q.indicator, range: rangeOut(range), total, items,
      next: items.length === req.query.limit && last ? `${last.at}:${last.markId}` : null,
    };
  });

  app.get('/api/evaluation/cases/:id', {
    preHandler: upToDate,
    schema: {
      tags: ['evaluation'], summary: 'A case behind a figure: its record, its events and the figures it counts in',
      params: z.strictObject({ id: intParam(z.number().int().positive()) }),
      response: { 200: caseDetailOut, ...commonErrors },
    },
  }, async (req) => {
    const s = await evaluationScope(db, requireActor(req));
    return caseDetail(db, s, req.params.id);
  });

  app.get('/api/evaluation/weights', {
    schema: {
      tags: ['evaluation'], summary: 'Score weights and grade bands in force',
      response: { 200: EvaluationWeightsSchema, ...commonErrors },
    },
  }, async (req) => {
    assertCan(requireActor(req), 'evaluation.read');
    return currentWeights(db);
  });

  app.put('/api/evaluation/weights', {
    schema: {
      tags: ['evaluation'], summary: 'Change the score weights and grade bands (evaluation.configure, with a grant covering the whole district)',
      body: EvaluationWeightsSchema,
      response: { 200: EvaluationWeightsSchema, ...commonErrors },
    },
  }, async (req) => {
    // the weights apply to every area of the installation
    await assertDistrictWide(db, requireActor(req), 'evaluation.configure');
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      const before = await currentWeights(tx);
      await saveWeights(tx, req.body, now);
      await audit(tx, auditContext(req, now), { action: 'evaluation.weights', targetType: 'settings', targetId: 'evaluation.weights', detail: { before, after: req.body } });
    });
    return currentWeights(db);
  });
}
