import { sql, type Kysely, type SqlBool } from 'kysely';
import { z } from 'zod';
import { DISPLAY_NAME_MAX, USERNAME_PATTERN } from '../../../shared/accounts.js';
import { ROLES } from '../../../shared/permissions.js';
import { assertCan, canDistrictWide, inScope, scopeOf } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type App, auditContext, commonErrors, intParam, requireActor } from '../../platform/http.js';
import { addGrant, coversWholeAccount, createApiKey, createUser, listApiKeys, listUsers, removeGrant, revokeApiKey, setDisabled, setPassword, unlockUser } from './users.service.js';

const grantIn = z.strictObject({
  role: z.enum(ROLES),
  divisionCode: z.string().regex(/^\d{4,15}$/).nullish(),
  departmentCode: z.string().min(1).max(32).nullish(),
});
const idParam = z.strictObject({ id: intParam(z.number().int().positive()) });
const ok = z.object({ ok: z.literal(true) });

export async function peopleRoutes(app: App): Promise<void> {
  const { db } = app.ctx;
  // every write here is to accounts, grants, keys or departments: this node sees it at once (platform/epoch.ts)
  const tx = async <T>(fn: (t: typeof db) => Promise<T>) => {
    const out = await db.transaction().execute((t) => fn(t as unknown as typeof db));
    app.ctx.access.moved();
    return out;
  };

  app.get('/api/users', {
    schema: {
      tags: ['people'], summary: 'Users with at least one grant inside your jurisdiction',
      response: {
        200: z.object({ items: z.array(z.object({
          id: z.number(), username: z.string(), displayName: z.string(), disabled: z.boolean(),
          lastLoginAt: z.number().nullable(), lockedUntil: z.number().nullable(),
          manageable: z.boolean().describe('You may reset its password, disable or unlock it: every grant of the account lies inside your area'),
          grants: z.array(z.object({
            id: z.number(), role: z.string(), divisionCode: z.string().nullable(), divisionName: z.string().nullable(),
            divisionRetired: z.boolean().describe('The division was retired (a grid redrawn away, a community merged): grant one in use instead'),
            departmentCode: z.string().nullable(), departmentName: z.string().nullable(), departmentNameEn: z.string().nullable(),
          })),
        })) }),
        ...commonErrors,
      },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'users.read');
    const users = await listUsers(db, actor);
    return {
      items: users.map((u) => ({
        id: u.id, username: u.username, displayName: u.display_name, disabled: !!u.disabled,
        lastLoginAt: u.last_login_at, lockedUntil: u.locked_until, manageable: u.manageable,
        grants: u.grants.map((g) => ({
          id: g.id, role: g.role, divisionCode: g.division_code, divisionName: g.division_name, divisionRetired: g.division_retired_at != null,
          departmentCode: g.department_code, departmentName: g.department_name, departmentNameEn: g.department_name_en,
        })),
      })),
    };
  });

  app.post('/api/users', {
    schema: {
      tags: ['people'], summary: 'Create a user with grants',
      body: z.strictObject({
        username: z.string().regex(USERNAME_PATTERN), displayName: z.string().min(1).max(DISPLAY_NAME_MAX),
        password: z.string().min(1).max(200), phone: z.string().max(32).nullish(), grants: z.array(grantIn).max(20).default([]),
      }),
      response: { 201: z.object({ id: z.number() }), ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'users.manage');
    const id = await tx((t) => createUser(t, auditContext(req, app.ctx.clock.now()), req.body));
    return reply.code(201).send({ id });
  });

  /**
   * Loads a user the actor may manage; others answer 404. With `whole`, for what acts on the whole
   * account (password, disabling, unlocking): an account holding grants beyond the actor's area is
   * seen for its grants inside it, but is not the actor's to take over (403, reason grants_beyond_area).
   */
  async function managedUser(req: Parameters<typeof requireActor>[0], id: number, whole = false) {
    const actor = requireActor(req);
    assertCan(actor, 'users.manage');
    // a user without any grant is visible to administrators of the whole district only
    const user = (await listUsers(db, actor, 'users.manage')).find((u) => u.id === id);
    if (!user) throw new AppError('not_found');
    if (whole && !(await coversWholeAccount(db, actor, id))) {
      throw new AppError('forbidden', 'This account also works beyond your area: an administrator over all of its grants manages it.', { reason: 'grants_beyond_area' });
    }
    return user;
  }

  app.post('/api/users/:id/grants', {
    schema: { tags: ['people'], summary: 'Grant a role', params: idParam, body: grantIn, response: { 200: ok, ...commonErrors } },
  }, async (req) => {
    await managedUser(req, req.params.id);
    await tx((t) => addGrant(t, auditContext(req, app.ctx.clock.now()), req.params.id, req.body));
    return { ok: true as const };
  });

  app.delete('/api/users/:id/grants/:grantId', {
    schema: {
      tags: ['people'], summary: 'Revoke a grant',
      params: z.strictObject({ id: intParam(z.number().int().positive()), grantId: intParam(z.number().int().positive()) }),
      response: { 200: ok, ...commonErrors },
    },
  }, async (req) => {
    await managedUser(req, req.params.id);
    await tx((t) => removeGrant(t, auditContext(req, app.ctx.clock.now()), req.params.id, req.params.grantId));
    return { ok: true as const };
  });

  app.post('/api/users/:id/password', {
    schema: { tags: ['people'], summary: 'Set a new password (ends the user\'s sessions)', params: idParam, body: z.strictObject({ password: z.string().min(1).max(200) }), response: { 200: ok, ...commonErrors } },
  }, async (req) => {
    await managedUser(req, req.params.id, true);
    await tx((t) => setPassword(t, auditContext(req, app.ctx.clock.now()), req.params.id, req.body.password));
    return { ok: true as const };
  });

  app.post('/api/users/:id/disabled', {
    schema: { tags: ['people'], summary: 'Disable or enable a user', params: idParam, body: z.strictObject({ disabled: z.boolean() }), response: { 200: ok, ...commonErrors } },
  }, async (req) => {
    await managedUser(req, req.params.id, true);
    await tx((t) => setDisabled(t, auditContext(req, app.ctx.clock.now()), req.params.id, req.body.disabled));
    return { ok: true as const };
  });

  app.post('/api/users/:id/unlock', {
    schema: { tags: ['people'], summary: 'Lift the lock after failed sign-ins (the password stays)', params: idParam, response: { 200: ok, ...commonErrors } },
  }, async (req) => {
    await managedUser(req, req.params.id, true);
    await tx((t) => unlockUser(t, auditContext(req, app.ctx.clock.now()), req.params.id));
    return { ok: true as const };
  });

  app.get('/api/apikeys', {
    schema: {
      tags: ['people'], summary: 'API keys of other systems inside your jurisdiction (never the keys themselves)',
      response: { 200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), prefix: z.string(), role: z.string(), divisionCode: z.string().nullable(), divisionName: z.string().nullable(), departmentId: z.number().nullable(), createdAt: z.number(), lastUsedAt: z.number().nullable(), revokedAt: z.number().nullable() })) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'apikeys.manage');
    const rows = await listApiKeys(db, actor);
    return { items: rows.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, role: k.role, divisionCode: k.division_code, divisionName: k.division_name ?? null, departmentId: k.department_id, createdAt: k.created_at, lastUsedAt: k.last_used_at, revokedAt: k.revoked_at })) };
  });

  app.post('/api/apikeys', {
    schema: {
      tags: ['people'], summary: 'Create an API key; the key is shown once',
      body: grantIn.extend({ name: z.string().min(1).max(100) }),
      response: { 201: z.object({ id: z.number(), key: z.string(), prefix: z.string() }), ...commonErrors },
    },
  }, async (req, reply) => {
    assertCan(requireActor(req), 'apikeys.manage');
    const created = await tx((t) => createApiKey(t, auditContext(req, app.ctx.clock.now()), req.body));
    return reply.code(201).send(created);
  });

  app.delete('/api/apikeys/:id', {
    schema: { tags: ['people'], summary: 'Revoke an API key', params: idParam, response: { 200: ok, ...commonErrors } },
  }, async (req) => {
    assertCan(requireActor(req), 'apikeys.manage');
    await tx((t) => revokeApiKey(t, auditContext(req, app.ctx.clock.now()), req.params.id));
    return { ok: true as const };
  });

  app.get('/api/departments', {
    schema: {
      tags: ['people'], summary: 'Departments serving areas inside your jurisdiction',
      response: { 200: z.object({ items: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), nameEn: z.string(), areaCode: z.string() })) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const scope = scopeOf(actor);
    // a district-wide department serves every street in it, so it is visible from inside the district too
    const all = await db.selectFrom('departments').selectAll().orderBy('code').execute();
    const rows = all.filter((d) => inScope(scope, { divisionCode: d.area_code, departmentId: d.id })
      || scope.divisionPrefixes.some((p) => p.startsWith(d.area_code)));
    return { items: rows.map((d) => ({ id: d.id, code: d.code, name: d.name, nameEn: d.name_en, areaCode: d.area_code })) };
  });

  app.post('/api/departments', {
    schema: {
      tags: ['people'], summary: 'Create a department',
      body: z.strictObject({ code: z.string().regex(/^[A-Z0-9_]{2,32}$/), name: z.string().min(1).max(64), nameEn: z.string().max(64).default(''), areaCode: z.string().regex(/^\d{6,12}$/) }),
      response: { 201: z.object({ id: z.number() }), ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'departments.manage', { divisionCode: req.body.areaCode });
    const id = await tx(async (t) => {
      if (await t.selectFrom('departments').select('id').where('code', '=', req.body.code).executeTakeFirst()) throw new AppError('already_exists');
      if (!(await t.selectFrom('divisions').select('code').where('code', '=', req.body.areaCode).executeTakeFirst())) throw new AppError('validation_failed', 'Unknown area.', { field: 'areaCode' });
      const row = await t.insertInto('departments').values({ code: req.body.code, name: req.body.name, name_en: req.body.nameEn, area_code: req.body.areaCode, phone: null, created_at: app.ctx.clock.now() }).returning('id').executeTakeFirstOrThrow();
      await audit(t, auditContext(req, app.ctx.clock.now()), { action: 'department.create', targetType: 'department', targetId: row.id, detail: req.body });
      return row.id;
    });
    return reply.code(201).send({ id });
  });

  app.put('/api/departments/:id', {
    schema: {
      tags: ['people'], summary: 'Rename a department (its code and the area it serves stay: cases, rules and grants refer to them)',
      params: idParam,
      body: z.strictObject({ name: z.string().trim().min(1).max(64), nameEn: z.string().trim().max(64).default('') }),
      response: { 200: ok, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'departments.manage');
    await tx(async (t) => {
      const before = await t.selectFrom('departments').select(['id', 'name', 'name_en', 'area_code']).where('id', '=', req.params.id).executeTakeFirst();
      if (!before) throw new AppError('not_found');
      assertCan(actor, 'departments.manage', { divisionCode: before.area_code });
      await t.updateTable('departments').set({ name: req.body.name, name_en: req.body.nameEn }).where('id', '=', before.id).execute();
      await audit(t, auditContext(req, app.ctx.clock.now()), {
        action: 'department.update', targetType: 'department', targetId: before.id,
        detail: { before: { name: before.name, nameEn: before.name_en }, after: req.body },
      });
    });
    return { ok: true as const };
  });

  app.get('/api/audit', {
    schema: {
      tags: ['people'], summary: 'Audit log: sign-ins, administrative changes and reads of personal data, newest first; outside a district-wide grant, those of the people and keys of your jurisdiction',
      querystring: z.strictObject({ limit: intParam(z.number().int().min(1).max(500)).default(100), before: intParam(z.number().int()).optional() }),
      response: { 200: z.object({ items: z.array(z.object({
        id: z.number(), at: z.number(), actorName: z.string().nullable(), action: z.string(), targetType: z.string().nullable(), targetId: z.string().nullable(),
        targetName: z.string().nullable().describe("The target's name where it still exists: an account's username, a key's, a department's, an area's or team member's name, a case's number"),
        ip: z.string().nullable(), detail: z.string().nullable(),
      })) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'audit.read');
    let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(req.query.limit);
    if (req.query.before) q = q.where('id', '<', req.query.before);
    if (!(await canDistrictWide(db, actor, 'audit.read'))) {
      // inside a street or a community: what its people and its keys did, and what was done to them
      // (sign-ins of unknown names, the system's own entries and other areas' stay with the district)
      const users = (await listUsers(db, actor, 'audit.read')).map((u) => Number(u.id));
      const keys = (await listApiKeys(db, actor, 'audit.read')).map((k) => Number(k.id));
      q = q.where((eb) => eb.or([
        ...(users.length ? [eb('actor_user_id', 'in', users), eb.and([eb('target_type', '=', 'user'), eb('target_id', 'in', users.map(String))])] : []),
        ...(keys.length ? [eb('actor_api_key_id', 'in', keys), eb.and([eb('target_type', '=', 'api_key'), eb('target_id', 'in', keys.map(String))])] : []),
        sql<SqlBool>`1 = 0`,
      ]));
    }
    const rows = await q.execute();
    const names = await auditTargetNames(db, rows);
    return { items: rows.map((r) => ({
      id: r.id, at: r.at, actorName: r.actor_name, action: r.action, targetType: r.target_type, targetId: r.target_id,
      targetName: names.get(`${r.target_type}:${r.target_id}`) ?? null, ip: r.ip, detail: r.detail,
    })) };
  });
}

/** Where each kind of audit target keeps its name (by numeric id, or by code for areas). */
const TARGET_NAMES = {
  user: { table: 'users', key: 'id', name: 'username' },
  api_key: { table: 'api_keys', key: 'id', name: 'name' },
  department: { table: 'departments', key: 'id', name: 'name' },
  team_member: { table: 'team_members', key: 'id', name: 'name' },
  case: { table: 'cases', key: 'id', name: 'number' },
  division: { table: 'divisions', key: 'code', name: 'name' },
  grid_team: { table: 'divisions', key: 'code', name: 'name' },
} as const;

/**
 * The names of a page of audit entries' targets, read in one query per kind ("user:7" → "street").
 * A target deleted since keeps its number only; a failed sign-in's target is the name typed.
 */
async function auditTargetNames(db: Executor, rows: readonly { target_type: string | null; target_id: string | null }[]): Promise<Map<string, string>> {
  const reads = Object.entries(TARGET_NAMES).map(async ([type, where]) => {
    const ids = [...new Set(rows.filter((r) => r.target_type === type && r.target_id).map((r) => r.target_id!))]
      .filter((id) => (where.key === 'id' ? /^\d{1,15}$/.test(id) : /^\d{6,15}$/.test(id)));
    if (!ids.length) return [];
    const found = await (db as Kysely<any>).selectFrom(where.table).select([`${where.key} as key`, `${where.name} as name`])
      .where(where.key, 'in', where.key === 'id' ? ids.map(Number) : ids).execute() as { key: number | string; name: string }[];
    return found.map((f) => [`${type}:${f.key}`, f.name] as const);
  });
  return new Map((await Promise.all(reads)).flat());
}
