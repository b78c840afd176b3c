import type { Executor } from '../../platform/db.js';
import type { Actor, ActorGrant } from '../../platform/access.js';
import { ROLES, type Role } from '../../../shared/permissions.js';

/** The only SQL for users, grants, sessions and API keys. */

export async function findUserByUsername(db: Executor, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Executor, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

function grantsWithNames(db: Executor) {
  return db
    .selectFrom('grants')
    .leftJoin('divisions', 'divisions.code', 'grants.division_code')
    .leftJoin('departments', 'departments.id', 'grants.department_id')
    .select([
      'grants.id', 'grants.user_id', 'grants.role', 'grants.division_code', 'grants.department_id',
      'divisions.name as division_name', 'departments.code as department_code', 'departments.name as department_name',
      'departments.area_code as department_area_code',
    ]);
}

export async function grantsOfUser(db: Executor, userId: number) {
  const rows = await grantsWithNames(db).where('grants.user_id', '=', userId).orderBy('grants.id').execute();
  return rows.map(({ user_id: _user, department_area_code: _area, ...g }) => g);
}

/** Every user's grants with the names they show, by user id (one query, however many users). */
export async function grantsByUser(db: Executor) {
  const byUser = new Map<number, Awaited<ReturnType<ReturnType<typeof grantsWithNames>['execute']>>>();
  for (const g of await grantsWithNames(db).orderBy('grants.id').execute()) {
    const id = Number(g.user_id);
    let list = byUser.get(id);
    if (!list) byUser.set(id, (list = []));
    list.push(g);
  }
  return byUser;
}

function toActorGrant(g: { role: string; division_code: string | null; department_id: number | null }): ActorGrant | null {
  if (!(ROLES as readonly string[]).includes(g.role)) return null;
  return { role: g.role as Role, divisionCode: g.division_code, departmentId: g.department_id };
}

export async function loadUserActor(db: Executor, userId: number): Promise<Actor | null> {
  const user = await findUserById(db, userId);
  if (!user || user.disabled) return null;
  const grants = (await grantsOfUser(db, userId)).map(toActorGrant).filter((g): g is ActorGrant => g !== null);
  return { kind: 'user', id: user.id, name: user.display_name, grants };
}

export function apiKeyActor(key: { id: number; name: string; role: string; division_code: string | null; department_id: number | null }): Actor {
  const g = toActorGrant(key);
  return { kind: 'api_key', id: key.id, name: key.name, grants: g ? [g] : [] };
}
