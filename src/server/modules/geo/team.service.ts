import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import { inScope, scopeFilter, type Scope } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { audit, type AuditContext } from '../../platform/audit.js';
import { TEAM_ROLES, maskPhone, type Force, type TeamRole } from '../../../shared/team.js';

/** The grid team: members of three forces assigned to grids; lists and counts by force and area. */

export interface TeamMemberInput {
  name: string;
  phone?: string | null;
  role: TeamRole;
  gridCodes: string[];
  departmentId?: number | null;
  userId?: number | null;
}

/** The member's home area is its first grid's code, or the community all its grids share. */
function homeOf(gridCodes: string[]): string {
  const communities = new Set(gridCodes.map((c) => c.slice(0, 12)));
  return gridCodes.length === 1 ? gridCodes[0] : communities.size === 1 ? [...communities][0] : gridCodes[0].slice(0, 9);
}

/** The grids a member is given: each must exist, be in use and lie in the jurisdiction. */
async function checkGrids(db: Executor, gridCodes: readonly string[], scope: Scope | null): Promise<void> {
  const grids = await db.selectFrom('divisions').select(['code', 'retired_at']).where('level', '=', 0).where('code', 'in', [...gridCodes]).execute();
  if (grids.length !== new Set(gridCodes).size) throw new AppError('validation_failed', 'Unknown grid code.', { field: 'gridCodes' });
  if (scope && !grids.every((g) => scope.divisionPrefixes.some((p) => g.code.startsWith(p)))) throw new AppError('not_found');
  const retired = grids.find((g) => g.retired_at !== null);
  if (retired) throw new AppError('validation_failed', `Grid ${retired.code} is retired; assign the grids in use.`, { field: 'gridCodes' });
}

async function checkDepartment(db: Executor, id: number | null | undefined): Promise<void> {
  if (id == null) return;
  if (!(await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst())) {
    throw new AppError('validation_failed', `Unknown department ${id}.`, { field: 'departmentId' });
  }
}

export async function addTeamMember(db: Executor, actx: AuditContext, input: TeamMemberInput, scope: Scope | null): Promise<number> {
  await checkGrids(db, input.gridCodes, scope);
  await checkDepartment(db, input.departmentId);
  const role = TEAM_ROLES[input.role];
  const row = await db.insertInto('team_members').values({
    name: input.name, phone: input.phone ?? null, force: role.force, role: input.role, division_code: homeOf(input.gridCodes),
    department_id: input.departmentId ?? null, user_id: input.userId ?? null, created_at: actx.now, updated_at: actx.now,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('team_assignments').values([...new Set(input.gridCodes)].map((g) => ({ member_id: row.id, grid_code: g }))).execute();
  await audit(db, actx, { action: 'team.add', targetType: 'team_member', targetId: row.id, detail: { role: input.role, grids: input.gridCodes } });
  return row.id;
}

export interface TeamMemberChange {
  name: string;
  /** Left out: unchanged (a list shows phones masked); null: removed. */
  phone?: string | null;
  role: TeamRole;
  gridCodes: string[];
  departmentId?: number | null;
}

/**
 * Changes a member: name, role, department, phone when given, and their grids (all of them, as
 * given; for instance the new grids after a redraw). A member outside the jurisdiction is 404, and
 * so is a grid outside it.
 */
export async function updateTeamMember(db: Executor, actx: AuditContext, id: number, input: TeamMemberChange, scope: Scope): Promise<void> {
  const before = await db.selectFrom('team_members').select(['id', 'name', 'role', 'department_id'])
    .where('id', '=', id).where((eb) => scopeFilter(eb, scope, { division: 'team_members.division_code' })).executeTakeFirst();
  if (!before) throw new AppError('not_found');
  await checkGrids(db, input.gridCodes, scope);
  await checkDepartment(db, input.departmentId);
  const grids = [...new Set(input.gridCodes)];
  const gridsBefore = (await db.selectFrom('team_assignments').select('grid_code').where('member_id', '=', id).execute()).map((a) => a.grid_code).sort();
  await db.updateTable('team_members').set({
    name: input.name, role: input.role, force: TEAM_ROLES[input.role].force, division_code: homeOf(grids),
    department_id: input.departmentId ?? null, updated_at: actx.now,
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
  }).where('id', '=', id).execute();
  await db.deleteFrom('team_assignments').where('member_id', '=', id).execute();
  await db.insertInto('team_assignments').values(grids.map((g) => ({ member_id: id, grid_code: g }))).execute();
  await audit(db, actx, {
    action: 'team.update', targetType: 'team_member', targetId: id,
    detail: {
      before: { name: before.name, role: before.role, departmentId: before.department_id, grids: gridsBefore },
      after: { name: input.name, role: input.role, departmentId: input.departmentId ?? null, grids: grids.sort() },
      phoneChanged: input.phone !== undefined,
    },
  });
}

export async function removeTeamMember(db: Executor, actx: AuditContext, id: number, scope: Scope): Promise<void> {
  const m = await db.selectFrom('team_members').select('id').where('id', '=', id).where((eb) => scopeFilter(eb, scope, { division: 'team_members.division_code' })).executeTakeFirst();
  if (!m) throw new AppError('not_found');
  await db.deleteFrom('team_members').where('id', '=', id).execute();
  await audit(db, actx, { action: 'team.remove', targetType: 'team_member', targetId: id });
}

export interface TeamListQuery {
  area?: string;
  force?: Force;
  role?: TeamRole;
  q?: string;
  page: number;
  pageSize: number;
}

/**
 * Members assigned to grids inside `area` (and the actor's scope), phones masked unless the member's
 * home area lies inside `unmaskedIn` (the scope of the permission to read them; null: nowhere).
 */
export async function listTeam(db: Executor, scope: Scope, query: TeamListQuery, unmaskedIn: Scope | null) {
  let base = db
    .selectFrom('team_members as m')
    .where((eb) => scopeFilter(eb, scope, { division: 'm.division_code' }));
  if (query.area) base = base.where((eb) => eb.exists(eb.selectFrom('team_assignments as a').select('a.member_id').whereRef('a.member_id', '=', 'm.id').where('a.grid_code', '>=', query.area!).where('a.grid_code', '<', query.area! + '\uffff')));
  if (query.force) base = base.where('m.force', '=', query.force);
  if (query.role) base = base.where('m.role', '=', query.role);
  if (query.q) base = base.where('m.name', 'like', `%${query.q.replace(/[%_]/g, '')}%`);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .leftJoin('departments as d', 'd.id', 'm.department_id')
    .select(['m.id', 'm.name', 'm.phone', 'm.force', 'm.role', 'm.division_code', 'm.department_id', 'd.name as department_name', 'd.name_en as department_name_en'])
    .orderBy('m.division_code').orderBy('m.id')
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
    .execute();
  const assignments = rows.length
    ? await db.selectFrom('team_assignments as a').innerJoin('divisions as g', 'g.code', 'a.grid_code')
      .select(['a.member_id', 'a.grid_code', 'g.name', 'g.retired_at']).where('a.member_id', 'in', rows.map((r) => r.id)).orderBy('a.grid_code').execute()
    : [];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id, name: r.name, phone: unmaskedIn && inScope(unmaskedIn, { divisionCode: r.division_code }) ? r.phone : maskPhone(r.phone),
      force: r.force as Force, role: r.role as TeamRole, divisionCode: r.division_code, departmentId: r.department_id === null ? null : Number(r.department_id), departmentName: r.department_name, departmentNameEn: r.department_name_en,
      gridCodes: assignments.filter((a) => a.member_id === r.id).map((a) => a.grid_code),
      grids: assignments.filter((a) => a.member_id === r.id).map((a) => ({ code: a.grid_code, name: a.name, retired: a.retired_at !== null })),
    })),
  };
}

/** The team of one grid, heads first. */
export async function teamOfGrid(db: Executor, gridCode: string, unmasked: boolean) {
  const rows = await db
    .selectFrom('team_assignments as a')
    .innerJoin('team_members as m', 'm.id', 'a.member_id')
    .leftJoin('departments as d', 'd.id', 'm.department_id')
    .select(['m.id', 'm.name', 'm.phone', 'm.force', 'm.role', 'd.name as department_name', 'd.name_en as department_name_en'])
    .where('a.grid_code', '=', gridCode)
    .execute();
  const order: TeamRole[] = ['grid_head', 'grid_worker', 'department_staff', 'building_head', 'persuasion', 'volunteer'];
  return rows
    .map((r) => ({ id: r.id, name: r.name, phone: unmasked ? r.phone : maskPhone(r.phone), force: r.force as Force, role: r.role as TeamRole, departmentName: r.department_name, departmentNameEn: r.department_name_en }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.id - b.id);
}

/** Member counts by force, grouped by street or community (a member counts once, in its home area). */
export async function teamCounts(db: Executor, scope: Scope, by: 'street' | 'community' | 'district') {
  const len = by === 'district' ? 6 : by === 'street' ? 9 : 12;
  const area = sql<string>`substr(m.division_code, 1, ${sql.lit(len)})`;
  const rows = await db
    .selectFrom('team_members as m')
    .where((eb) => scopeFilter(eb, scope, { division: 'm.division_code' }))
    .select([area.as('area'), 'm.force', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when m.role = 'grid_head' then 1 else 0 end)`.as('heads')])
    .groupBy([area, 'm.force'])
    .execute();
  const names = new Map((await db.selectFrom('divisions').select(['code', 'name']).where('level', '=', by === 'district' ? 30 : by === 'street' ? 20 : 10).execute()).map((d) => [d.code, d.name]));
  const out = new Map<string, { code: string; name: string; fulltime: number; social: number; professional: number; total: number; heads: number }>();
  for (const r of rows) {
    const e = out.get(r.area) ?? { code: r.area, name: names.get(r.area) ?? r.area, fulltime: 0, social: 0, professional: 0, total: 0, heads: 0 };
    e[r.force as Force] += Number(r.n);
    e.total += Number(r.n);
    e.heads += Number(r.heads);
    out.set(r.area, e);
  }
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}
