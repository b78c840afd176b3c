import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../shared/permissions.js';
import { AppError } from './errors.js';
import type { Executor } from './db.js';

/**
 * Who is acting, and inside which jurisdiction. Every permission check and every scoped query
 * goes through this file: `can` / `assertCan` for actions, `scopeOf` + `inScope` / `scopeFilter`
 * for reads. Outside one's scope, things do not exist (404), as in FixMyStreet.
 */
export interface ActorGrant {
  role: Role;
  /** Division code prefix: district 6, street 9, community 12, grid 15 digits. */
  divisionCode: string | null;
  departmentId: number | null;
}

export interface Actor {
  kind: 'user' | 'api_key';
  id: number;
  name: string;
  grants: ActorGrant[];
}

export interface Scope {
  /** Objects whose division code starts with one of these are visible. */
  divisionPrefixes: string[];
  /** Objects held by one of these departments are visible. */
  departmentIds: number[];
}

export interface ScopedTarget {
  divisionCode?: string | null;
  departmentId?: number | null;
  /** Departments that ever held the object (a department keeps seeing what it handled). */
  departmentIds?: readonly number[];
}

export function permissionsOf(actor: Actor): Set<Permission> {
  const out = new Set<Permission>();
  for (const g of actor.grants) for (const p of ROLE_PERMISSIONS[g.role] ?? []) out.add(p);
  return out;
}

function grantCovers(g: ActorGrant, target: ScopedTarget): boolean {
  if (g.divisionCode !== null && target.divisionCode && target.divisionCode.startsWith(g.divisionCode)) return true;
  if (g.departmentId !== null) {
    if (target.departmentId === g.departmentId) return true;
    if (target.departmentIds?.includes(g.departmentId)) return true;
  }
  return false;
}

/** May the actor do `permission`, optionally on a target inside some jurisdiction? */
export function can(actor: Actor, permission: Permission, target?: ScopedTarget): boolean {
  return actor.grants.some(
    (g) => (ROLE_PERMISSIONS[g.role] ?? []).includes(permission) && (!target || grantCovers(g, target)),
  );
}

/** Throws 403 when the actor lacks the permission anywhere; 404 when the target is outside scope. */
export function assertCan(actor: Actor, permission: Permission, target?: ScopedTarget): void {
  if (!can(actor, permission)) throw new AppError('forbidden');
  if (target && !can(actor, permission, target)) throw new AppError('not_found');
}

/** The district this installation serves: its division of level 30 (the first, were there several). */
export async function districtCode(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('divisions').select('code').where('level', '=', 30).orderBy('code').executeTakeFirst();
  return row?.code ?? null;
}

/** Whether one of the actor's grants with `permission` covers the whole district. */
export async function canDistrictWide(db: Executor, actor: Actor, permission: Permission): Promise<boolean> {
  return can(actor, permission) && can(actor, permission, { divisionCode: (await districtCode(db)) ?? '' });
}

/**
 * For what applies to the whole installation (categories, the calendar, the evaluation's weights,
 * imports into every area): 403 without the permission, 404 when no grant with it covers the district.
 */
export async function assertDistrictWide(db: Executor, actor: Actor, permission: Permission): Promise<void> {
  assertCan(actor, permission);
  assertCan(actor, permission, { divisionCode: (await districtCode(db)) ?? '' });
}

/** The actor's read scope for a permission (default: any grant). */
export function scopeOf(actor: Actor, permission?: Permission): Scope {
  const grants = permission ? actor.grants.filter((g) => (ROLE_PERMISSIONS[g.role] ?? []).includes(permission)) : actor.grants;
  const divisionPrefixes = [...new Set(grants.map((g) => g.divisionCode).filter((c): c is string => !!c))];
  // a prefix already covered by a shorter one adds nothing
  const minimal = divisionPrefixes.filter((p) => !divisionPrefixes.some((q) => q !== p && p.startsWith(q)));
  const departmentIds = [...new Set(grants.map((g) => g.departmentId).filter((d): d is number => d !== null))];
  return { divisionPrefixes: minimal.sort(), departmentIds: departmentIds.sort((a, b) => a - b) };
}

export function inScope(scope: Scope, target: ScopedTarget): boolean {
  if (target.divisionCode && scope.divisionPrefixes.some((p) => target.divisionCode!.startsWith(p))) return true;
  if (target.departmentId != null && scope.departmentIds.includes(target.departmentId)) return true;
  return !!target.departmentIds?.some((d) => scope.departmentIds.includes(d));
}

/**
 * The SQL form of `inScope`, for every repository query that lists or reads scoped data:
 * `.where((eb) => scopeFilter(eb, scope, { division: 'cases.grid_code', department: 'cases.department_id' }))`.
 * Division codes are hierarchical by prefix, so jurisdiction is a range test an index can serve.
 */
export function scopeFilter<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  scope: Scope,
  columns: { division?: string; department?: string },
): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (columns.division) {
    for (const p of scope.divisionPrefixes) {
      // prefix range: code >= p and code < p + U+FFFF works on both dialects and uses the index
      parts.push(sql<SqlBool>`(${sql.ref(columns.division)} >= ${p} and ${sql.ref(columns.division)} < ${p + '\uffff'})`);
    }
  }
  if (columns.department && scope.departmentIds.length > 0) {
    parts.push(sql<SqlBool>`${sql.ref(columns.department)} in (${sql.join(scope.departmentIds)})`);
  }
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return eb.or(parts);
}
