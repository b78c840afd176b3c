import { z } from 'zod';
import { SUBJECT_KINDS } from '../../../shared/evaluation/indicators.js';
import { GRADES } from '../../../shared/evaluation/scores.js';
import { intParam } from '../../platform/http.js';

/** Request and response schemas of the evaluation routes (they drive validation and the OpenAPI document). */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const areaCode = z.string().regex(/^\d{6}(\d{3}){0,3}$/, 'a division code of 6, 9, 12 or 15 digits');

/**
 * A period (`2013`, `2013-Q2`, `2013-05`, `2013-W18`, `2013-05-06`, `a..b`) or from/to dates; one
 * still running is read up to now (the answer's `range` says which days).
 */
export const rangeQuery = {
  period: z.string().max(40).optional()
    .describe('2013, 2013-Q2, 2013-05, 2013-W18, 2013-05-06 or 2013-01-01..2013-03-31; a period still running is read up to now (see range in the answer)'),
  from: date.optional(),
  to: date.optional(),
};

export const formatQuery = z.enum(['json', 'csv', 'xlsx']).default('json');
export const langQuery = z.enum(['zh', 'en']).default('zh');

export const dashboardQuery = z.strictObject({ ...rangeQuery, area: areaCode.optional() });

export const tableQuery = z.strictObject({
  ...rangeQuery,
  subject: z.enum(SUBJECT_KINDS).default('street'),
  area: areaCode.optional(),
  format: formatQuery,
  lang: langQuery,
});

export const casesQuery = z.strictObject({
  ...rangeQuery,
  indicator: z.string().min(1).max(40),
  subject: z.string().regex(/^(\d{6,15}|dept:[A-Za-z0-9_-]{1,32}|person:.{1,120})$/).optional(),
  area: areaCode.optional(),
  class: z.string().regex(/^\d{2}$/).optional(),
  source: z.string().max(20).optional(),
  only: z.enum(['hit', 'miss']).optional(),
  limit: intParam(z.number().int().min(1).max(500)).default(50),
  /** `<at>:<markId>` of the last row of the previous page. */
  after: z.string().regex(/^\d+:\d+$/).optional(),
  format: formatQuery,
  lang: langQuery,
});

const nullableNumber = z.number().nullable();
export const figuresOut = z.object({
  values: z.record(z.string(), nullableNumber),
  score: nullableNumber,
  grade: z.enum(GRADES).nullable(),
});
export const tableRowOut = z.object({
  id: z.string(), name: z.string(), nameEn: z.string().optional(), place: z.string().nullable(), figures: figuresOut,
  /** false: too little work in the period to take a place (the weights' rankMinimum); listed after every ranked row */
  ranked: z.boolean(),
});
const named = z.object({ code: z.string(), name: z.string() });
/** The days an answer covers; a range still running is read up to now, and says until when. */
const rangeOut = z.object({
  from: z.string(),
  to: z.string(),
  until: z.string().optional().describe('for a range read up to an instant of its last day (a period still running: now), that instant (ISO 8601)'),
});
const areaSubject = z.enum(['district', 'street', 'community', 'grid']);

export const dashboardOut = z.object({
  area: z.object({ code: z.string(), name: z.string(), subject: areaSubject }),
  path: z.array(named),
  range: rangeOut,
  figures: figuresOut,
  /** the period before (上期) and the headline figures in it */
  previous: z.object({ range: rangeOut, figures: figuresOut }),
  trend: z.object({
    grain: z.enum(['day', 'week', 'month']),
    points: z.array(z.object({
      start: z.string(), reported: z.number(), closed: z.number(), handled: z.number(), handled_on_time: z.number(), due: z.number(), closed_on_time: z.number(),
    })),
  }),
  categories: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), reported: z.number(), closed: z.number(), completionRate: nullableNumber })),
  sources: z.array(z.object({ source: z.string(), reported: z.number(), closed: z.number() })),
  children: z.object({ subject: areaSubject.nullable(), rows: z.array(tableRowOut) }),
  departments: z.array(tableRowOut),
  workers: z.array(tableRowOut),
  map: z.object({
    layer: z.enum(['communities', 'grids']),
    focus: z.string(),
    items: z.array(z.object({ code: z.string(), name: z.string(), reported: z.number(), closed: z.number(), density: nullableNumber })),
  }),
  heat: z.array(z.tuple([z.number(), z.number(), z.number()])),
  /** the least work for a place in the rankings (the weights' rankMinimum) */
  rankMinimum: z.number().int(),
});

export const tableOut = z.object({
  subject: z.enum(SUBJECT_KINDS),
  area: named,
  range: rangeOut,
  indicators: z.array(z.string()),
  rows: z.array(tableRowOut),
  /** the least work for a place (the weights' rankMinimum): rows below it say ranked: false */
  rankMinimum: z.number().int(),
});

export const drillRowOut = z.object({
  markId: z.number(), caseId: z.number(), number: z.string(), state: z.string(), categoryCode: z.string().nullable(),
  categoryName: z.string().nullable(), source: z.string(), gridCode: z.string(), gridName: z.string().nullable(),
  address: z.string().nullable(), description: z.string(), reportedAt: z.number(), closedAt: z.number().nullable(),
  at: z.number(), department: z.string().nullable(), actorId: z.string().nullable(), actorName: z.string().nullable(),
  hit: z.boolean().nullable(), hours: nullableNumber,
});

export const casesOut = z.object({
  indicator: z.string(),
  range: rangeOut,
  total: z.number(),
  items: z.array(drillRowOut),
  next: z.string().nullable(),
});

export const caseDetailOut = z.object({
  case: z.object({
    id: z.number(), number: z.string(), state: z.string(), source: z.string(), categoryCode: z.string().nullable(), categoryName: z.string().nullable(),
    gridCode: z.string(), gridName: z.string().nullable(), address: z.string().nullable(), description: z.string(),
    lon: z.number(), lat: z.number(), reportedAt: z.number(), closedAt: z.number().nullable(), dueAt: z.number().nullable(), reworkCount: z.number(),
  }),
  events: z.array(z.object({
    seq: z.number(), action: z.string(), from: z.string(), to: z.string(), at: z.number(), actorName: z.string().nullable(),
    department: z.string().nullable(), comment: z.string().nullable(), dueAt: z.number().nullable(),
  })),
  marks: z.array(z.object({ kind: z.string(), at: z.number(), department: z.string().nullable(), actorId: z.string().nullable(), flags: z.array(z.string()), hours: nullableNumber })),
});

export const metaOut = z.object({
  areas: z.array(named),
  years: z.array(z.number()),
  latestDay: z.string().nullable(),
  canConfigure: z.boolean(),
  canExport: z.boolean(),
});
