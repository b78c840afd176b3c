import { ROLE_INFO, roleHas, type Permission, type Role } from '../../../shared/permissions.js';
import type { Executor } from '../../platform/db.js';
import { can, districtCode, inScope, scopeOf, type Actor, type Scope } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { audit, type AuditContext } from '../../platform/audit.js';
import { hashPassword, passwordProblem, randomToken, sha256 } from '../../platform/secrets.js';
import { API_KEY_LOOKUP_LENGTH, findUserByUsername, grantsByUser, grantsOfUser, shownGrant } from './people.repo.js';

/**
 * Use cases for accounts, grants and API keys. Shared by the HTTP routes and the CLI; the CLI passes
 * actor = null (an operator on the server's own console acts with full rights).
 */

export interface GrantInput {
  role: Role;
  divisionCode?: string | null;
  departmentCode?: string | null;
}

async function resolveGrantTarget(db: Executor, actor: Actor | null, input: GrantInput, permission: Permission = 'users.manage') {
  const needs = ROLE_INFO[input.role].scope;
  if (needs === 'department') {
    if (!input.departmentCode) throw new AppError('validation_failed', `Role ${input.role} needs a department.`, { field: 'departmentCode' });
    const dept = await db.selectFrom('departments').select(['id', 'area_code']).where('code', '=', input.departmentCode).executeTakeFirst();
    if (!dept) throw new AppError('validation_failed', `Unknown department ${input.departmentCode}.`, { field: 'departmentCode' });
    if (actor && !inScope(scopeOf(actor, permission), { divisionCode: dept.area_code })) throw new AppError('not_found');
    return { division_code: null, department_id: dept.id };
  }
  if (!input.divisionCode) throw new AppError('validation_failed', `Role ${input.role} needs a division.`, { field: 'divisionCode' });
  const div = await db.selectFrom('divisions').select(['code', 'level', 'retired_at']).where('code', '=', input.divisionCode).executeTakeFirst();
  if (!div) throw new AppError('validation_failed', `Unknown division ${input.divisionCode}.`, { field: 'divisionCode' });
  if (actor && !inScope(scopeOf(actor, permission), { divisionCode: div.code })) throw new AppError('not_found');
  if (div.retired_at !== null) {
    const what = div.level === 0 ? `Grid ${div.code} is retired; grant the grids in use.` : `Community ${div.code} is retired (merged into a neighbour); grant the community that took it in.`;
    throw new AppError('validation_failed', what, { field: 'divisionCode' });
  }
  return { division_code: div.code, department_id: null };
}

export async function createUser(
  db: Executor,
  actx: AuditContext,
  input: { username: string; displayName: string; password: string; phone?: string | null; grants?: GrantInput[] },
  /** A hash of `password` computed once for many accounts (the demo); hashing is deliberately slow. */
  precomputedHash?: string,
): Promise<number> {
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError('validation_failed', `Password needs ${problem}.`, { field: 'password' });
  if (await findUserByUsername(db, input.username)) throw new AppError('already_exists', `User ${input.username} already exists.`);
  const now = actx.now;
  const targets: ({ role: Role } & Awaited<ReturnType<typeof resolveGrantTarget>>)[] = [];
  for (const g of input.grants ?? []) {
    const target = { role: g.role, ...(await resolveGrantTarget(db, actx.actor, g)) };
    if (!targets.some((t) => sameGrant(t, target))) targets.push(target);
  }
  const hash = precomputedHash ?? (await hashPassword(input.password));
  const row = await db
    .insertInto('users')
    .values({
      username: input.username, display_name: input.displayName, phone: input.phone ?? null, password_hash: hash,
      disabled: 0, failed_logins: 0, locked_until: null, last_login_at: null, created_at: now, updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const t of targets) await db.insertInto('grants').values({ user_id: row.id, ...t, created_at: now }).execute();
  await audit(db, actx, { action: 'user.create', targetType: 'user', targetId: row.id, detail: { username: input.username, grants: targets } });
  return row.id;
}

export async function setPassword(db: Executor, actx: AuditContext, userId: number, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('validation_failed', `Password needs ${problem}.`, { field: 'password' });
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), failed_logins: 0, locked_until: null, updated_at: actx.now })
    .where('id', '=', userId)
    .execute();
  // a new password ends every open session of that user
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await audit(db, actx, { action: 'user.password', targetType: 'user', targetId: userId });
}

/** The same role on the same division or department given twice is one grant. */
function sameGrant(a: { role: string; division_code: string | null; department_id: number | null }, b: typeof a): boolean {
  return a.role === b.role && a.division_code === b.division_code && Number(a.department_id) === Number(b.department_id);
}

export async function addGrant(db: Executor, actx: AuditContext, userId: number, input: GrantInput): Promise<void> {
  const target = await resolveGrantTarget(db, actx.actor, input);
  const held = await db.selectFrom('grants').select(['role', 'division_code', 'department_id']).where('user_id', '=', userId).execute();
  if (held.some((g) => sameGrant(g, { role: input.role, ...target }))) {
    throw new AppError('already_exists', `The account already holds the role ${input.role} there.`, { field: 'role' });
  }
  await db.insertInto('grants').values({ user_id: userId, role: input.role, ...target, created_at: actx.now }).execute();
  await audit(db, actx, { action: 'grant.add', targetType: 'user', targetId: userId, detail: { role: input.role, ...target } });
}

export async function removeGrant(db: Executor, actx: AuditContext, userId: number, grantId: number): Promise<void> {
  const held = await db.selectFrom('grants').leftJoin('departments', 'departments.id', 'grants.department_id')
    .select(['grants.id', 'grants.role', 'grants.division_code', 'departments.area_code'])
    .where('grants.user_id', '=', userId).execute();
  const grant = held.find((g) => Number(g.id) === grantId);
  // a grant on an area outside the actor's is not theirs to see, as a user outside it is not
  const area = grant?.division_code ?? grant?.area_code;
  if (!grant || (actx.actor && (!area || !inScope(scopeOf(actx.actor, 'users.manage'), { divisionCode: area })))) throw new AppError('not_found');
  // an administrator who revoked their own last right to manage accounts could not undo it
  const manages = (g: { role: string }) => roleHas(g.role as Role, 'users.manage');
  if (actx.actor?.kind === 'user' && actx.actor.id === userId && manages(grant) && !held.some((g) => g !== grant && manages(g))) {
    throw new AppError('conflict', 'You cannot revoke your own last grant that lets you manage accounts; another administrator can.');
  }
  await db.deleteFrom('grants').where('id', '=', grantId).where('user_id', '=', userId).execute();
  await audit(db, actx, { action: 'grant.remove', targetType: 'user', targetId: userId, detail: { grantId } });
}

export async function setDisabled(db: Executor, actx: AuditContext, userId: number, disabled: boolean): Promise<void> {
  // an administrator who disabled their own account could not undo it
  if (disabled && actx.actor?.kind === 'user' && actx.actor.id === userId) throw new AppError('conflict', 'You cannot disable your own account.');
  await db.updateTable('users').set({ disabled: disabled ? 1 : 0, updated_at: actx.now }).where('id', '=', userId).execute();
  if (disabled) await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await audit(db, actx, { action: disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: userId });
}

/** Lifts a lock after failed sign-ins, the password unchanged (the person remembered it after all). */
export async function unlockUser(db: Executor, actx: AuditContext, userId: number): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null, updated_at: actx.now }).where('id', '=', userId).execute();
  await audit(db, actx, { action: 'user.unlock', targetType: 'user', targetId: userId });
}

/**
 * Users visible to the actor: those with at least one grant inside the actor's scope for `permission`
 * (a department's grant counts where the department serves). An account without any grant (just
 * created without one, or its last one revoked) belongs to no area: an actor whose scope covers the
 * whole district sees it, to grant it a role or to disable it.
 */
export async function listUsers(db: Executor, actor: Actor | null, permission: Permission = 'users.read') {
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'disabled', 'last_login_at', 'locked_until']).orderBy('id').execute();
  // every user's grants in one query (a district has thousands of accounts)
  const byUser = await grantsByUser(db);
  const scope = actor ? scopeOf(actor, permission) : null;
  const district = scope ? await districtCode(db) : null;
  const seesUngranted = !scope || (district !== null && inScope(scope, { divisionCode: district }));
  // whose whole account (password, disabling, lock) the actor may act on: see coversWholeAccount
  const manages = actor && can(actor, 'users.manage') ? scopeOf(actor, 'users.manage') : null;
  const out = [];
  for (const u of users) {
    const rows = byUser.get(Number(u.id)) ?? [];
    const visible = rows.length === 0 ? seesUngranted : !scope || rows.some((g) => inScope(scope, { divisionCode: g.division_code ?? g.department_area_code }));
    if (visible) out.push({ ...u, grants: rows.map(shownGrant), manageable: !actor || (manages !== null && grantsWithin(manages, rows)) });
  }
  return out;
}

/**
 * Whether every grant of an account lies inside the actor's jurisdiction for `users.manage` (null:
 * the operator's console). What acts on the whole account — its password, disabling it, lifting its
 * lock — is for those who answer for everything it may do: an account that also works beyond the
 * actor's area (the district's administrator who also leads a street) is not the street's to take over.
 */
export async function coversWholeAccount(db: Executor, actor: Actor | null, userId: number): Promise<boolean> {
  if (!actor) return true;
  const held = await db.selectFrom('grants').leftJoin('departments', 'departments.id', 'grants.department_id')
    .select(['grants.division_code', 'departments.area_code as department_area_code']).where('grants.user_id', '=', userId).execute();
  return grantsWithin(scopeOf(actor, 'users.manage'), held);
}

/** Whether each grant's area (its division, or where its department serves) lies inside the scope. */
function grantsWithin(scope: Scope, grants: readonly { division_code: string | null; department_area_code: string | null }[]): boolean {
  return grants.every((g) => {
    const area = g.division_code ?? g.department_area_code;
    return !!area && inScope(scope, { divisionCode: area });
  });
}

export const API_KEY_PREFIX = 'og_';

/** Creates an API key for another system; the key itself is returned once and stored hashed. */
export async function createApiKey(db: Executor, actx: AuditContext, input: { name: string } & GrantInput) {
  const target = await resolveGrantTarget(db, actx.actor, input, 'apikeys.manage');
  const key = API_KEY_PREFIX + randomToken(30);
  const prefix = key.slice(0, API_KEY_LOOKUP_LENGTH);
  const row = await db
    .insertInto('api_keys')
    .values({
      name: input.name, prefix, key_hash: sha256(key), role: input.role, ...target,
      created_by: actx.actor?.kind === 'user' ? actx.actor.id : null, created_at: actx.now, last_used_at: null, revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, actx, { action: 'apikey.create', targetType: 'api_key', targetId: row.id, detail: { name: input.name, role: input.role, prefix } });
  return { id: row.id, key, prefix };
}

export async function revokeApiKey(db: Executor, actx: AuditContext, id: number): Promise<void> {
  // a key outside the actor's jurisdiction does not exist for them
  if (!(await listApiKeys(db, actx.actor)).some((k) => k.id === id)) throw new AppError('not_found');
  const res = await db.updateTable('api_keys').set({ revoked_at: actx.now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new AppError('not_found');
  await audit(db, actx, { action: 'apikey.revoke', targetType: 'api_key', targetId: id });
}

/**
 * The API keys inside the actor's jurisdiction for `permission` (null: the operator's console,
 * every key): a key acts in its division, or wherever its department serves.
 */
export async function listApiKeys(db: Executor, actor: Actor | null, permission: Permission = 'apikeys.manage') {
  const rows = await db
    .selectFrom('api_keys')
    .leftJoin('departments', 'departments.id', 'api_keys.department_id')
    .leftJoin('divisions', 'divisions.code', 'api_keys.division_code')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.role', 'api_keys.division_code', 'api_keys.department_id', 'api_keys.created_at',
      'api_keys.last_used_at', 'api_keys.revoked_at', 'departments.area_code as department_area_code', 'divisions.name as division_name'])
    .orderBy('api_keys.id')
    .execute();
  const scope = actor ? scopeOf(actor, permission) : null;
  return rows.filter((k) => !scope || inScope(scope, { divisionCode: k.division_code ?? k.department_area_code }));
}
