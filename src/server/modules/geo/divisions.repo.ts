import type { Executor } from '../../platform/db.js';
import { scopeFilter, type Scope } from '../../platform/access.js';

/** The only SQL for the division tree (district → street → community → grid). Retired grids are not in it. */

export interface DivisionRow {
  code: string;
  level: number;
  name: string;
  parent_code: string | null;
  area_m2: number | null;
}

const columns = ['d.code', 'd.level', 'd.name', 'd.parent_code', 'd.area_m2'] as const;

function withChildCount(db: Executor) {
  return db
    .selectFrom('divisions as d')
    .select(columns)
    .select((eb) => eb.selectFrom('divisions as c').whereRef('c.parent_code', '=', 'd.code').where('c.retired_at', 'is', null).select(eb.fn.countAll<number>().as('n')).as('child_count'));
}

export async function childrenOf(db: Executor, parentCode: string, scope: Scope) {
  return withChildCount(db)
    .where('d.parent_code', '=', parentCode)
    .where('d.retired_at', 'is', null)
    .where((eb) => scopeFilter(eb, scope, { division: 'd.code' }))
    .orderBy('d.sort').orderBy('d.code')
    .execute();
}

export async function divisionsByCode(db: Executor, codes: string[]) {
  if (codes.length === 0) return [];
  return withChildCount(db).where('d.code', 'in', codes).orderBy('d.code').execute();
}

export async function findDivision(db: Executor, code: string) {
  return withChildCount(db).where('d.code', '=', code).executeTakeFirst();
}

export async function divisionExists(db: Executor, code: string): Promise<boolean> {
  return !!(await db.selectFrom('divisions').select('code').where('code', '=', code).executeTakeFirst());
}

export async function countByLevel(db: Executor) {
  return db.selectFrom('divisions').select(['level', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('level').execute();
}

/** A sibling of the division (same parent) already called `name`, if any: its code. */
export async function siblingNamed(db: Executor, division: { code: string; parent_code: string | null }, name: string): Promise<string | undefined> {
  let q = db.selectFrom('divisions').select('code').where('name', '=', name).where('code', '!=', division.code);
  q = division.parent_code === null ? q.where('parent_code', 'is', null) : q.where('parent_code', '=', division.parent_code);
  return (await q.executeTakeFirst())?.code;
}

export async function renameDivision(db: Executor, code: string, name: string, now: number): Promise<void> {
  await db.updateTable('divisions').set({ name, updated_at: now }).where('code', '=', code).execute();
}
