import { z } from 'zod';
import { PLATFORM_LEVELS } from '../../../../shared/cases/index.js';
import { assertCan, inScope, scopeOf } from '../../../platform/access.js';
import { type App, auditContext, commonErrors, intParam, requireActor } from '../../../platform/http.js';
import { loadForCaller } from '../cases.service.js';
import { listRules, type RuleRow } from './rules.repo.js';
import { changeRule, createRule, dispatchStepFor, managedRule, removeRule, suggestDispatch } from './rules.service.js';

/** Admin screens for dispatch rules: parse → authorize (scoped by area) → service → present. */
const categoryCode = z.string().regex(/^\d{2}(\d{3})?$/, 'a class (2 digits) or sub-category (5 digits) code');
const areaCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a district (6), street (9) or community (12) code');

export const ruleBody = z.strictObject({
  categoryCode,
  areaCode,
  departmentCode: z.string().regex(/^[A-Z0-9_]{2,32}$/).nullish(),
  level: z.enum(PLATFORM_LEVELS).nullish(),
  priority: z.number().int().min(-1000).max(1000).default(0),
  auto: z.boolean().default(false),
  note: z.string().trim().max(500).nullish(),
});

export const ruleSchema = z.object({
  id: z.number(),
  categoryCode: z.string(),
  areaCode: z.string(),
  departmentCode: z.string().nullable(),
  level: z.enum(PLATFORM_LEVELS).nullable(),
  priority: z.number(),
  auto: z.boolean(),
  note: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  updatedBy: z.number().nullable(),
  /** False for rules set above the actor's area that apply inside it. */
  editable: z.boolean(),
});

function present(r: RuleRow, editable: boolean): z.infer<typeof ruleSchema> {
  return {
    id: Number(r.id), categoryCode: r.category_code, areaCode: r.area_code, departmentCode: r.department_code,
    level: (r.level as z.infer<typeof ruleSchema>['level']) ?? null, priority: r.priority, auto: r.auto === 1, note: r.note,
    createdAt: r.created_at, updatedAt: r.updated_at, updatedBy: r.updated_by === null ? null : Number(r.updated_by), editable,
  };
}

const idParam = z.strictObject({ id: intParam(z.number().int().positive()) });

const suggestionSchema = z.object({
  suggestion: z.object({
    departmentCode: z.string().nullable(),
    level: z.enum(PLATFORM_LEVELS).nullable(),
    ownerDepartmentCode: z.string().nullable(),
    auto: z.boolean(),
    ruleId: z.number().nullable(),
    source: z.enum(['rule', 'category']),
  }).nullable(),
  /** The workflow action that carries the suggestion out from the case's level, ready for the dispatch form. */
  step: z.object({
    action: z.enum(['dispatch', 'assign']),
    input: z.object({ department: z.string().optional(), level: z.enum(PLATFORM_LEVELS).optional(), division: z.string().optional() }),
  }).nullable(),
});

export async function ruleRoutes(app: App): Promise<void> {
  const { db } = app.ctx;

  app.get('/api/dispatch-rules', {
    schema: {
      tags: ['cases'], summary: 'Dispatch rules for areas in your jurisdiction, and those set above it that apply inside it',
      querystring: z.strictObject({ category: categoryCode.optional(), area: areaCode.optional() }),
      response: { 200: z.object({ items: z.array(ruleSchema) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'dispatch_rules.manage');
    const scope = scopeOf(actor, 'dispatch_rules.manage');
    const rows = await listRules(db, scope, { categoryCode: req.query.category, areaCode: req.query.area });
    return { items: rows.map((r) => present(r, inScope(scope, { divisionCode: r.area_code }))) };
  });

  app.get('/api/cases/:id/dispatch-suggestion', {
    schema: {
      tags: ['cases'], summary: 'Where the dispatch rules (or the category) would send this case',
      params: idParam, response: { 200: suggestionSchema, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.dispatch');
    const row = await loadForCaller(db, actor, req.params.id);
    const suggestion = row.category_code ? await suggestDispatch(db, { categoryCode: row.category_code, gridCode: row.grid_code }) : null;
    const step = suggestion ? dispatchStepFor(suggestion, { level: row.level as (typeof PLATFORM_LEVELS)[number], gridCode: row.grid_code }) : null;
    return { suggestion, step };
  });

  app.get('/api/dispatch-rules/:id', {
    schema: { tags: ['cases'], summary: 'One dispatch rule', params: idParam, response: { 200: ruleSchema, ...commonErrors } },
  }, async (req) => present(await managedRule(db, requireActor(req), req.params.id), true));

  app.post('/api/dispatch-rules', {
    schema: { tags: ['cases'], summary: 'Add a dispatch rule', body: ruleBody, response: { 201: ruleSchema, ...commonErrors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const row = await db.transaction().execute(async (tx) => {
      const id = await createRule(tx, { ...auditContext(req, app.ctx.clock.now()), actor }, req.body);
      return managedRule(tx, actor, id);
    });
    return reply.code(201).send(present(row, true));
  });

  app.put('/api/dispatch-rules/:id', {
    schema: { tags: ['cases'], summary: 'Change a dispatch rule', params: idParam, body: ruleBody, response: { 200: ruleSchema, ...commonErrors } },
  }, async (req) => {
    const actor = requireActor(req);
    const row = await db.transaction().execute(async (tx) => {
      await changeRule(tx, { ...auditContext(req, app.ctx.clock.now()), actor }, req.params.id, req.body);
      return managedRule(tx, actor, req.params.id);
    });
    return present(row, true);
  });

  app.delete('/api/dispatch-rules/:id', {
    schema: { tags: ['cases'], summary: 'Remove a dispatch rule', params: idParam, response: { 200: z.object({ ok: z.literal(true) }), ...commonErrors } },
  }, async (req) => {
    const actor = requireActor(req);
    await db.transaction().execute((tx) => removeRule(tx, { ...auditContext(req, app.ctx.clock.now()), actor }, req.params.id));
    return { ok: true as const };
  });
}
