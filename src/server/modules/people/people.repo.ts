import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../../db/schema.js';
import type { Executor } from '../../platform/db.js';
import type { Actor, ActorGrant } from '../../platform/access.js';
import { memoOf, type AccessEpoch } from '../../platform/epoch.js';
import { constantTimeEqual, sha256 } from '../../platform/secrets.js';
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
      'divisions.name as division_name', 'divisions.retired_at as division_retired_at', 'departments.code as department_code', 'departments.name as department_name', 'departments.name_en as department_name_en',
      'departments.area_code as department_area_code',
    ]);
}

type GrantWithNames = Awaited<ReturnType<ReturnType<typeof grantsWithNames>['execute']>>[number];

/** A grant as an account shows it (without the lookup fields). */
export function shownGrant({ user_id: _user, department_area_code: _area, ...g }: GrantWithNames) {
  return g;
}

export async function grantsOfUser(db: Executor, userId: number) {
  const rows = await grantsWithNames(db).where('grants.user_id', '=', userId).orderBy('grants.id').execute();
  return rows.map(shownGrant);
}

/** Every user's grants with the names they show, by user id (one query, however many users). */
export async function grantsByUser(db: Executor) {
  const byUser = new Map<number, GrantWithNames[]>();
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

export type ApiKeyRow = Selectable<ApiKeysTable>;
/** Keys are found by their first characters (stored as `prefix`), then compared whole by hash. */
export const API_KEY_LOOKUP_LENGTH = 12;

/**
 * The stored row of the API key a caller sent, when its hash matches (revoked keys too: the caller
 * says how it refuses them); null for an unknown key. Rows are kept in memory while the access epoch
 * stands still, so a revocation by any process takes effect at once.
 */
export async function findApiKey(db: Executor, epoch: AccessEpoch, key: string): Promise<ApiKeyRow | null> {
  const prefix = key.slice(0, API_KEY_LOOKUP_LENGTH);
  const row = await memoOf<ApiKeyRow | null>(epoch, 'api keys').get(prefix,
    async () => (await db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst()) ?? null);
  return row && constantTimeEqual(row.key_hash, sha256(key)) ? row : null;
}
