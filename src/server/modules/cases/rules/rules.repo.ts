import { sql, type Selectable } from 'kysely';
import type { DispatchRulesTable } from '../../../db/schema.js';
import { scopeFilter, type Scope } from '../../../platform/access.js';
import type { Executor } from '../../../platform/db.js';

/** The only SQL for `dispatch_rules`. */
export type RuleRow = Selectable<DispatchRulesTable>;

export interface RuleValues {
  category_code: string;
  area_code: string;
  department_code: string | null;
  level: string | null;
  priority: number;
  auto: number;
  note: string | null;
}

/** Codes a category code matches on: its class (2 digits) and itself (5 digits). */
export function categoryKeys(categoryCode: string): string[] {
  return [...new Set([categoryCode.slice(0, 2), categoryCode])];
}

/** Area codes a grid (or any division) lies in: district 6, street 9, community 12 digits. */
export function areaKeys(divisionCode: string): string[] {
  return [6, 9, 12].filter((n) => n <= divisionCode.length).map((n) => divisionCode.slice(0, n));
}

/**
 * The rule that applies: the longest category code first, then the longest area code, then the
 * highest priority, then the oldest rule, so the answer is always the same one.
 */
export async function bestRule(db: Executor, categoryCode: string, divisionCode: string): Promise<RuleRow | undefined> {
  return db
    .selectFrom('dispatch_rules')
    .selectAll()
    .where('category_code', 'in', categoryKeys(categoryCode))
    .where('area_code', 'in', areaKeys(divisionCode))
    .orderBy(sql`length(category_code)`, 'desc')
    .orderBy(sql`length(area_code)`, 'desc')
    .orderBy('priority', 'desc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Rules an actor sees: those for areas inside the scope (editable) and those set above it that
 * apply inside it (read-only, e.g. district-wide rules for a street's administrator).
 */
export async function listRules(db: Executor, scope: Scope, filter: { categoryCode?: string; areaCode?: string }): Promise<RuleRow[]> {
  const above = [...new Set(scope.divisionPrefixes.flatMap((p) => areaKeys(p).filter((a) => a !== p)))];
  let q = db.selectFrom('dispatch_rules').selectAll().where((eb) => {
    const inside = scopeFilter(eb, scope, { division: 'area_code' });
    return above.length ? eb.or([inside, eb('area_code', 'in', above)]) : inside;
  });
  if (filter.categoryCode) q = q.where('category_code', 'in', categoryKeys(filter.categoryCode));
  if (filter.areaCode) q = q.where('area_code', 'in', areaKeys(filter.areaCode));
  return q.orderBy('category_code').orderBy('area_code').orderBy('priority', 'desc').orderBy('id').execute();
}

export async function findRule(db: Executor, id: number): Promise<RuleRow | undefined> {
  return db.selectFrom('dispatch_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Executor, values: RuleValues, by: number | null, now: number): Promise<number> {
  const row = await db
    .insertInto('dispatch_rules')
    .values({ ...values, created_at: now, updated_at: now, updated_by: by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateRule(db: Executor, id: number, values: RuleValues, by: number | null, now: number): Promise<void> {
  await db.updateTable('dispatch_rules').set({ ...values, updated_at: now, updated_by: by }).where('id', '=', id).execute();
}

export async function deleteRule(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('dispatch_rules').where('id', '=', id).execute();
}
