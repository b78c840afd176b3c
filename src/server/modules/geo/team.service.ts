import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import { scopeFilter, type Scope } from '../../platform/access.js';
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

export async function addTeamMember(db: Executor, actx: AuditContext, input: TeamMemberInput, scope: Scope | null): Promise<number> {
  const grids = await db.selectFrom('divisions').select(['code', 'retired_at']).where('level', '=', 0).where('code', 'in', input.gridCodes).execute();
  if (grids.length !== new Set(input.gridCodes).size) throw new AppError('validation_failed', 'Unknown grid code.', { field: 'gridCodes' });
  const retired = grids.find((g) => g.retired_at !== null);
  if (retired) throw new AppError('validation_failed', `Grid ${retired.code} is retired; assign the grids in use.`, { field: 'gridCodes' });
  if (scope && !grids.every((g) => scope.divisionPrefixes.some((p) => g.code.startsWith(p)))) throw new AppError('not_found');
  const role = TEAM_ROLES[input.role];
  const row = await db.insertInto('team_members').values({
    name: input.name, phone: input.phone ?? null, force: role.force, role: input.role, division_code: homeOf(input.gridCodes),
    department_id: input.departmentId ?? null, user_id: input.userId ?? null, created_at: actx.now, updated_at: actx.now,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('team_assignments').values([...new Set(input.gridCodes)].map((g) => ({ member_id: row.id, grid_code: g }))).execute();
  await audit(db, actx, { action: 'team.add', targetType: 'team_member', targetId: row.id, detail: { role: input.role, grids: input.gridCodes } });
  return row.id;
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

/** Members assigned to grids inside `area` (and the actor's scope), phones masked unless allowed. */
export async function listTeam(db: Executor, scope: Scope, query: TeamListQuery, unmasked: boolean) {
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
    .select(['m.id', 'm.name', 'm.phone', 'm.force', 'm.role', 'm.division_code', 'd.name as department_name'])
    .orderBy('m.division_code').orderBy('m.id')
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
    .execute();
  const assignments = rows.length
    ? await db.selectFrom('team_assignments').select(['member_id', 'grid_code']).where('member_id', 'in', rows.map((r) => r.id)).execute()
    : [];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id, name: r.name, phone: unmasked ? r.phone : maskPhone(r.phone), force: r.force as Force, role: r.role as TeamRole,
      divisionCode: r.division_code, departmentName: r.department_name,
      gridCodes: assignments.filter((a) => a.member_id === r.id).map((a) => a.grid_code).sort(),
    })),
  };
}

/** The team of one grid, heads first. */
export async function teamOfGrid(db: Executor, gridCode: string, unmasked: boolean) {
  const rows = await db
    .selectFrom('team_assignments as a')
    .innerJoin('team_members as m', 'm.id', 'a.member_id')
    .leftJoin('departments as d', 'd.id', 'm.department_id')
    .select(['m.id', 'm.name', 'm.phone', 'm.force', 'm.role', 'd.name as department_name'])
    .where('a.grid_code', '=', gridCode)
    .execute();
  const order: TeamRole[] = ['grid_head', 'grid_worker', 'department_staff', 'building_head', 'persuasion', 'volunteer'];
  return rows
    .map((r) => ({ id: r.id, name: r.name, phone: unmasked ? r.phone : maskPhone(r.phone), force: r.force as Force, role: r.role as TeamRole, departmentName: r.department_name }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.id - b.id);
}

/** Member counts by force, grouped by street or community (a member counts once, in its home area). */
export async function teamCounts(db: Executor, scope: Scope, by: 'street' | 'community' | 'district') {
  const len = by === 'district' ? 6 : by === 'street' ? 9 : 12;
  const area = sql<string>`substr(m.division_code, 1, ${sql.lit(len)})`;
  const rows = await db
    .selectFrom('team_members as m')
    .where((eb) => scopeFilter(eb, scope, { division: 'm.division_code' }))
    .select([area.as('area'), 'm.force', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([area, 'm.force'])
    .execute();
  const names = new Map((await db.selectFrom('divisions').select(['code', 'name']).where('level', '=', by === 'district' ? 30 : by === 'street' ? 20 : 10).execute()).map((d) => [d.code, d.name]));
  const out = new Map<string, { code: string; name: string; fulltime: number; social: number; professional: number; total: number }>();
  for (const r of rows) {
    const e = out.get(r.area) ?? { code: r.area, name: names.get(r.area) ?? r.area, fulltime: 0, social: 0, professional: 0, total: 0 };
    e[r.force as Force] += Number(r.n);
    e.total += Number(r.n);
    out.set(r.area, e);
  }
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}
