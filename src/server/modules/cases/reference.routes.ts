import { z } from 'zod';
import { type App, commonErrors, intParam } from '../../platform/http.js';
import { dayFromKey } from './clock/calendar.js';
import { dayKey, isWorkingDay } from './clock/index.js';
import { caseReference } from './context.js';
import { formatOfficeHours } from './reference.js';

/** The current category tree and the working calendar: public reference data (the resident's form needs the categories). */
const limitOut = z.object({ amount: z.number(), unit: z.string() });
const conditionOut = z.object({ code: z.string(), text_zh: z.string(), text_en: z.string() });
const treeOut = z.object({
  version: z.number(),
  classes: z.array(z.object({
    code: z.string(), kind: z.string(), name_zh: z.string(), name_en: z.string(),
    subcategories: z.array(z.object({
      code: z.string(), name_zh: z.string(), name_en: z.string(), default_department: z.string(), platform_level: z.string(),
      duplicate_radius_m: z.number(), duplicate_window_h: z.number(),
      filing_conditions: z.array(conditionOut.extend({ limit: limitOut })),
      closing_conditions: z.array(conditionOut),
    })),
  })),
});

export async function referenceRoutes(app: App): Promise<void> {
  const ctx = app.ctx;

  app.get('/api/categories', {
    schema: {
      tags: ['cases'], summary: 'The current category tree (events, components, social-governance events) with filing conditions and time limits',
      response: { 200: treeOut, ...commonErrors },
    },
  }, async (_req, reply) => {
    const ref = await caseReference(ctx).current();
    reply.header('cache-control', 'public, max-age=60');
    return ref.tree;
  });

  app.get('/api/calendar/:year', {
    schema: {
      tags: ['cases'], summary: 'The working calendar of a year: office hours, holidays and adjusted working days (调休)',
      params: z.strictObject({ year: intParam(z.number().int().min(1970).max(2200)) }),
      response: {
        200: z.object({
          year: z.number(),
          officeHours: z.array(z.tuple([z.string(), z.string()])),
          holidays: z.array(z.object({ date: z.string(), name: z.string().nullable() })),
          workdays: z.array(z.object({ date: z.string(), name: z.string().nullable() })),
          workingDayCount: z.number(),
        }),
        ...commonErrors,
      },
    },
  }, async (req) => {
    const { year } = req.params;
    const ref = await caseReference(ctx).current();
    const rows = await ctx.db.selectFrom('calendar_days').select(['date', 'kind', 'name'])
      .where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).orderBy('date').execute();
    let workingDayCount = 0;
    for (let d = dayFromKey(`${year}-01-01`); d <= dayFromKey(`${year}-12-31`); d++) if (isWorkingDay(dayKey(d), ref.calendar)) workingDayCount++;
    return {
      year,
      officeHours: formatOfficeHours(ref.calendar),
      holidays: rows.filter((r) => r.kind === 'holiday').map((r) => ({ date: r.date, name: r.name })),
      workdays: rows.filter((r) => r.kind === 'workday').map((r) => ({ date: r.date, name: r.name })),
      workingDayCount,
    };
  });
}
