import { z } from 'zod';
import { ROLES } from '../../../shared/permissions.js';
import { can, districtCode, permissionsOf } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { auditContext, commonErrors, requireActor, type App } from '../../platform/http.js';
import { changeOwnPassword, signIn, signOut } from './auth.service.js';
import { SESSION_COOKIE, cookieOptions } from './auth.hook.js';
import { findUserById, grantsOfUser } from './people.repo.js';

const grantOut = z.object({
  role: z.enum(ROLES),
  divisionCode: z.string().nullable(),
  divisionName: z.string().nullable(),
  departmentCode: z.string().nullable(),
  departmentName: z.string().nullable(),
  departmentNameEn: z.string().nullable(),
});
export const meSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  grants: z.array(grantOut),
  permissions: z.array(z.string()),
  /** Those of the permissions held over the whole district (the historical import, the weights, categories, the calendar need it). */
  districtWide: z.array(z.string()),
});

async function presentMe(app: App, userId: number) {
  const user = await findUserById(app.ctx.db, userId);
  if (!user) throw new AppError('unauthenticated');
  const grants = await grantsOfUser(app.ctx.db, userId);
  const actorGrants = grants.map((g) => ({ role: g.role as (typeof ROLES)[number], divisionCode: g.division_code, departmentId: g.department_id }));
  const actor = { kind: 'user' as const, id: user.id, name: user.display_name, grants: actorGrants };
  const permissions = permissionsOf(actor);
  const district = await districtCode(app.ctx.db);
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    grants: grants.map((g) => ({
      role: g.role as (typeof ROLES)[number],
      divisionCode: g.division_code,
      divisionName: g.division_name,
      departmentCode: g.department_code,
      departmentName: g.department_name,
      departmentNameEn: g.department_name_en,
    })),
    permissions: [...permissions].sort(),
    districtWide: [...permissions].filter((p) => can(actor, p, { divisionCode: district ?? '' })).sort(),
  };
}

export async function authRoutes(app: App): Promise<void> {
  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username and password; sets the session cookie',
      body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ user: meSchema, csrfToken: z.string() }), ...commonErrors, 423: commonErrors[400] },
    },
    config: { rateLimit: { max: app.ctx.config.login.ratePerMinute, timeWindow: 60_000, shared: true } },
  }, async (req, reply) => {
    const now = app.ctx.clock.now();
    const result = await signIn(app.ctx, {
      username: req.body.username.trim(), password: req.body.password, ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
    }, auditContext(req, now));
    reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(app, req, new Date(result.expiresAt)));
    return { user: await presentMe(app, result.userId), csrfToken: result.csrfToken };
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: { 204: z.null(), ...commonErrors } },
  }, async (req, reply) => {
    requireActor(req);
    if (req.session) await signOut(app.ctx, req.session.idHash, auditContext(req, app.ctx.clock.now()));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.post('/api/auth/password', {
    schema: {
      tags: ['auth'],
      summary: 'Change one\'s own password (the current one first); one\'s other sessions end, this one goes on',
      body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
      response: { 204: z.null(), ...commonErrors },
    },
    // guessing the current password from a session left open is as slow as guessing at the sign-in
    config: { rateLimit: { max: app.ctx.config.login.ratePerMinute, timeWindow: 60_000, shared: true } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (actor.kind !== 'user' || !req.session) throw new AppError('unauthenticated');
    await changeOwnPassword(app.ctx, { userId: actor.id, idHash: req.session.idHash }, req.body, auditContext(req, app.ctx.clock.now()));
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, their grants and permissions, and the CSRF token for writes',
      response: { 200: z.object({ user: meSchema, csrfToken: z.string(), demo: z.boolean() }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.kind !== 'user' || !req.session) throw new AppError('unauthenticated');
    return { user: await presentMe(app, actor.id), csrfToken: req.session.csrfToken, demo: app.ctx.services.demo === true };
  });
}
