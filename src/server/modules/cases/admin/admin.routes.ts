import { z } from 'zod';
import { CategoryTreeSchema, OfficeHoursSchema } from '../../../../shared/cases/index.js';
import { assertDistrictWide } from '../../../platform/access.js';
import { audit } from '../../../platform/audit.js';
import { AppError } from '../../../platform/errors.js';
import { type App, auditContext, commonErrors, intParam, requireActor } from '../../../platform/http.js';
import { bumpReferenceStamp, caseReference, setOfficeHours } from '../cases.service.js';
import { CalendarYearBody, calendarYear, setCalendarYear } from './calendar.js';
import { categoryTreeAt, categoryVersions, editCategoryTree } from './categories.js';
import { CaseSettingsSchema, caseSettingsOf, saveCaseSettings } from './workflow-settings.js';

/** Admin screens for the case loop's reference data: categories, calendar, timing settings. Every change is audited. */
const versionOut = z.object({ version: z.number(), note: z.string().nullable(), createdAt: z.number(), createdBy: z.number().nullable() });
const treeOut = CategoryTreeSchema;
const dayOut = z.object({ date: z.string(), name: z.string().nullable() });
const yearOut = z.object({ year: z.number(), holidays: z.array(dayOut), workdays: z.array(dayOut), workingDays: z.number(), version: z.string() });
const settingsOut = CaseSettingsSchema.extend({ officeHours: z.array(z.tuple([z.number(), z.number()])) });

/** A unique-key clash while publishing means another admin published at the same moment. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export async function adminRoutes(app: App): Promise<void> {
  const { ctx } = app;
  const { db } = ctx;
  /** This node uses a change at once; the others within seconds (the reference stamp). */
  const reload = () => caseReference(ctx).load();

  app.get('/api/admin/categories', {
    schema: {
      tags: ['cases'], summary: 'The current category tree and every published version',
      response: { 200: z.object({ current: versionOut, tree: treeOut, versions: z.array(versionOut) }), ...commonErrors },
    },
  }, async (req) => {
    await assertDistrictWide(db, requireActor(req), 'categories.manage');
    const at = await categoryTreeAt(db);
    if (!at) throw new AppError('not_found', 'No category tree is published yet.');
    return { current: at.version, tree: at.tree, versions: await categoryVersions(db) };
  });

  app.get('/api/admin/categories/versions/:version', {
    schema: {
      tags: ['cases'], summary: 'A published version of the category tree',
      params: z.strictObject({ version: intParam(z.number().int().positive()) }),
      response: { 200: z.object({ current: versionOut, tree: treeOut }), ...commonErrors },
    },
  }, async (req) => {
    await assertDistrictWide(db, requireActor(req), 'categories.manage');
    const at = await categoryTreeAt(db, req.params.version);
    if (!at) throw new AppError('not_found', 'No such category version.');
    return { current: at.version, tree: at.tree };
  });

  app.put('/api/admin/categories', {
    schema: {
      tags: ['cases'], summary: 'Publish an edited category tree as a new version (cases keep the limits they were filed under)',
      body: z.strictObject({
        baseVersion: z.number().int().positive(),
        note: z.string().trim().min(1).max(500).optional(),
        tree: z.object({ classes: z.array(z.unknown()) }).passthrough(),
      }),
      response: {
        200: z.object({
          version: z.number(), previousVersion: z.number(),
          changes: z.object({ added: z.array(z.string()), removed: z.array(z.string()), limitsChanged: z.array(z.object({ code: z.string(), from: z.string(), to: z.string() })) }),
        }),
        ...commonErrors,
      },
    },
  }, async (req) => {
    const actor = requireActor(req);
    await assertDistrictWide(db, actor, 'categories.manage');
    let result;
    try {
      result = await db.transaction().execute((tx) => editCategoryTree(tx, { ...auditContext(req, ctx.clock.now()), actor }, req.body));
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('stale_version', 'Someone published the categories at the same moment; reload them.');
      throw err;
    }
    await reload();
    return result;
  });

  const yearParam = z.strictObject({ year: intParam(z.number().int().min(1970).max(2200)) });

  app.get('/api/admin/calendar/:year', {
    schema: { tags: ['cases'], summary: 'Holidays and adjusted working days of a year', params: yearParam, response: { 200: yearOut, ...commonErrors } },
  }, async (req) => {
    await assertDistrictWide(db, requireActor(req), 'calendar.manage');
    return calendarYear(db, req.params.year);
  });

  app.put('/api/admin/calendar/:year', {
    schema: {
      tags: ['cases'], summary: 'Replace a year\'s holidays and adjusted working days (due times already set are kept)',
      params: yearParam, body: CalendarYearBody, response: { 200: yearOut, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    await assertDistrictWide(db, actor, 'calendar.manage');
    const out = await db.transaction().execute((tx) => setCalendarYear(tx, { ...auditContext(req, ctx.clock.now()), actor }, req.params.year, req.body));
    await reload();
    return out;
  });

  app.get('/api/admin/workflow-settings', {
    schema: { tags: ['cases'], summary: 'Office hours, the yellow-card share, archive and reopen windows, scheduler interval', response: { 200: settingsOut, ...commonErrors } },
  }, async (req) => {
    await assertDistrictWide(db, requireActor(req), 'calendar.manage');
    const { calendar } = await caseReference(ctx).current();
    return { ...(await caseSettingsOf(db)), officeHours: calendar.officeHours.map(([s, e]) => [s, e] as [number, number]) };
  });

  app.put('/api/admin/workflow-settings', {
    schema: {
      tags: ['cases'], summary: 'Change some of the timing settings (office hours as minutes after midnight)',
      body: CaseSettingsSchema.partial().extend({ officeHours: OfficeHoursSchema.optional() }).strict(),
      response: { 200: settingsOut, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    await assertDistrictWide(db, actor, 'calendar.manage');
    const now = ctx.clock.now();
    const { officeHours, ...rest } = req.body;
    const beforeHours = (await caseReference(ctx).current()).calendar.officeHours.map(([s, e]) => [s, e]);
    await db.transaction().execute(async (tx) => {
      const before = await caseSettingsOf(tx);
      const after = { ...before, ...rest };
      await saveCaseSettings(tx, after, now);
      if (officeHours) await setOfficeHours(tx, officeHours, now);
      else await bumpReferenceStamp(tx, now);
      await audit(tx, auditContext(req, now), {
        action: 'cases.settings.update', targetType: 'settings', targetId: 'cases',
        detail: { before: { ...before, officeHours: beforeHours }, after: { ...after, officeHours: officeHours ?? beforeHours } },
      });
    });
    await reload();
    const { calendar } = await caseReference(ctx).current();
    return { ...(await caseSettingsOf(db)), officeHours: calendar.officeHours.map(([s, e]) => [s, e] as [number, number]) };
  });
}
