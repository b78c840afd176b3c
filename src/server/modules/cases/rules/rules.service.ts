import { LEVELS } from '../../../../shared/permissions.js';
import { PLATFORM_LEVELS, type Action, type ActionInput, type PlatformLevel } from '../../../../shared/cases/index.js';
import { assertCan, type Actor } from '../../../platform/access.js';
import { audit, type AuditContext } from '../../../platform/audit.js';
import type { Executor } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import type { SystemCaller } from '../cases.service.js';
import { bestRule, deleteRule, findRule, insertRule, updateRule, type RuleRow, type RuleValues } from './rules.repo.js';

/**
 * Dispatch rules (派遣规则): category × area → a department or a platform level. The rule that
 * applies is the most specific one (see `bestRule`); without a rule, the category's own default
 * answers, following the responsibility principle of DOMAIN.md: components go to their owner first
 * (先属主、后属地), events to the locality first (先属地、后属主).
 */
export interface DispatchSuggestion {
  /** Dispatch (派遣) to this department; null when the case should go to a platform level first. */
  departmentCode: string | null;
  /** Assign (交办) to this platform level first; null when a department is named. */
  level: PlatformLevel | null;
  /** The category's responsible department, for when the locality cannot solve it. */
  ownerDepartmentCode: string | null;
  /** Dispatch at once when the case is accepted (rules only). */
  auto: boolean;
  ruleId: number | null;
  source: 'rule' | 'category';
}

interface CategoryDefaults {
  kind: string;
  default_department: string | null;
  platform_level: string | null;
}

async function categoryDefaults(db: Executor, code: string): Promise<CategoryDefaults | undefined> {
  const rows = await db
    .selectFrom('categories')
    .select(['code', 'kind', 'default_department', 'platform_level'])
    .where('code', 'in', [...new Set([code, code.slice(0, 2)])])
    .execute();
  const sub = rows.find((r) => r.code === code);
  if (!sub) return undefined;
  const cls = rows.find((r) => r.code === code.slice(0, 2));
  return { kind: cls?.kind ?? sub.kind, default_department: sub.default_department, platform_level: sub.platform_level };
}

const isLevel = (v: string | null): v is PlatformLevel => !!v && (PLATFORM_LEVELS as readonly string[]).includes(v);

export async function suggestDispatch(
  db: Executor,
  where: { categoryCode: string; gridCode: string },
): Promise<DispatchSuggestion | null> {
  const category = await categoryDefaults(db, where.categoryCode);
  const owner = category?.default_department ?? null;
  const rule = await bestRule(db, where.categoryCode, where.gridCode);
  if (rule) {
    return {
      departmentCode: rule.department_code,
      level: isLevel(rule.level) ? rule.level : null,
      ownerDepartmentCode: owner,
      auto: rule.auto === 1,
      ruleId: Number(rule.id),
      source: 'rule',
    };
  }
  if (!category) return null;
  // an event belongs to the locality first, unless its category is coordinated by the district itself
  const locality = category.kind !== 'component' && isLevel(category.platform_level) && category.platform_level !== 'district';
  if (!locality && !owner) return null;
  return {
    departmentCode: locality ? null : owner,
    level: locality ? (category.platform_level as PlatformLevel) : null,
    ownerDepartmentCode: owner,
    auto: false,
    ruleId: null,
    source: 'category',
  };
}

export interface DispatchStep {
  action: Extract<Action, 'dispatch' | 'assign'>;
  input: Pick<ActionInput, 'department' | 'level' | 'division'>;
}

/**
 * The workflow action that carries out a suggestion for a case coordinated at `caseLevel`: a
 * department is dispatched to; a level is assigned to only when it lies below the case's level (a
 * street sub-centre cannot assign to itself), otherwise the owner department is the way on.
 */
export function dispatchStepFor(s: DispatchSuggestion, c: { level: PlatformLevel; gridCode: string }): DispatchStep | null {
  if (s.departmentCode) return { action: 'dispatch', input: { department: s.departmentCode } };
  if (s.level && s.level !== 'district' && LEVELS[s.level] < LEVELS[c.level]) {
    const division = s.level === 'community' ? c.gridCode.slice(0, 12) : c.gridCode.slice(0, 9);
    return { action: 'assign', input: { level: s.level, division } };
  }
  if (s.ownerDepartmentCode) return { action: 'dispatch', input: { department: s.ownerDepartmentCode } };
  return null;
}

/** Who an automatic dispatch is recorded under: the system, acting for the rule at the case's level. */
export function ruleCaller(ruleId: number, level: PlatformLevel): SystemCaller {
  return { kind: 'system', name: `派遣规则 #${ruleId}`, permissions: ['cases.dispatch'], level };
}

/**
 * What to do right after a case is accepted: the dispatch an `auto` rule asks for, with the caller
 * to record it under, or null when no automatic rule applies.
 */
export async function autoDispatchFor(
  db: Executor,
  c: { categoryCode: string | null; gridCode: string; level: PlatformLevel },
): Promise<(DispatchStep & { caller: SystemCaller; ruleId: number }) | null> {
  if (!c.categoryCode) return null;
  const s = await suggestDispatch(db, { categoryCode: c.categoryCode, gridCode: c.gridCode });
  if (!s?.auto || s.ruleId === null) return null;
  const step = dispatchStepFor(s, c);
  return step ? { ...step, caller: ruleCaller(s.ruleId, c.level), ruleId: s.ruleId } : null;
}

export interface RuleInput {
  categoryCode: string;
  areaCode: string;
  departmentCode?: string | null;
  level?: PlatformLevel | null;
  priority: number;
  auto: boolean;
  note?: string | null;
}

/** Checks the codes against the current tables; every problem is named at once. */
async function validated(db: Executor, input: RuleInput): Promise<RuleValues> {
  const problems: { field: string; message: string }[] = [];
  const department = input.departmentCode ?? null;
  const level = input.level ?? null;
  if ((department === null) === (level === null)) problems.push({ field: 'departmentCode', message: 'name exactly one target: a department or a platform level' });
  const category = await db.selectFrom('categories').select('code').where('code', '=', input.categoryCode).executeTakeFirst();
  if (!category) problems.push({ field: 'categoryCode', message: 'no such category or class' });
  const area = await db.selectFrom('divisions').select('level').where('code', '=', input.areaCode).executeTakeFirst();
  if (!area || area.level < LEVELS.community) problems.push({ field: 'areaCode', message: 'must be a district, street or community' });
  if (department && !(await db.selectFrom('departments').select('id').where('code', '=', department).executeTakeFirst())) {
    problems.push({ field: 'departmentCode', message: 'no such department' });
  }
  if (problems.length) throw new AppError('validation_failed', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { issues: problems });
  return {
    category_code: input.categoryCode, area_code: input.areaCode, department_code: department, level,
    priority: input.priority, auto: input.auto ? 1 : 0, note: input.note ?? null,
  };
}

const byOf = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

export async function createRule(db: Executor, ctx: AuditContext & { actor: Actor }, input: RuleInput): Promise<number> {
  assertCan(ctx.actor, 'dispatch_rules.manage', { divisionCode: input.areaCode });
  const values = await validated(db, input);
  const id = await insertRule(db, values, byOf(ctx.actor), ctx.now);
  await audit(db, ctx, { action: 'dispatch_rule.create', targetType: 'dispatch_rule', targetId: id, detail: { ...values } });
  return id;
}

/** A rule the actor may manage: outside the actor's area it does not exist (404). */
export async function managedRule(db: Executor, actor: Actor, id: number): Promise<RuleRow> {
  assertCan(actor, 'dispatch_rules.manage');
  const rule = await findRule(db, id);
  if (!rule) throw new AppError('not_found');
  assertCan(actor, 'dispatch_rules.manage', { divisionCode: rule.area_code });
  return rule;
}

export async function changeRule(db: Executor, ctx: AuditContext & { actor: Actor }, id: number, input: RuleInput): Promise<void> {
  const before = await managedRule(db, ctx.actor, id);
  assertCan(ctx.actor, 'dispatch_rules.manage', { divisionCode: input.areaCode });
  const values = await validated(db, input);
  await updateRule(db, id, values, byOf(ctx.actor), ctx.now);
  const { id: _id, created_at: _c, updated_at: _u, updated_by: _b, ...was } = before;
  await audit(db, ctx, { action: 'dispatch_rule.update', targetType: 'dispatch_rule', targetId: id, detail: { before: was, after: { ...values } } });
}

export async function removeRule(db: Executor, ctx: AuditContext & { actor: Actor }, id: number): Promise<void> {
  const before = await managedRule(db, ctx.actor, id);
  await deleteRule(db, id);
  await audit(db, ctx, { action: 'dispatch_rule.delete', targetType: 'dispatch_rule', targetId: id, detail: { ...before } });
}
