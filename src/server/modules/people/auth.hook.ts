import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import { constantTimeEqual, sha256 } from '../../platform/secrets.js';
import type { Actor } from '../../platform/access.js';
import { memoOf } from '../../platform/epoch.js';
import { apiKeyActor, findApiKey, loadUserActor } from './people.repo.js';

export const SESSION_COOKIE = 'og_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Sliding sessions are extended at most this often, so reads do not all write. */
const TOUCH_EVERY_MS = 60_000;

export function cookieOptions(app: App, req: FastifyRequest, expires?: Date) {
  const secure = app.ctx.config.cookieSecure === 'auto' ? req.protocol === 'https' : app.ctx.config.cookieSecure;
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, ...(expires ? { expires } : {}) };
}

/**
 * Resolves who is calling: an API key (Authorization: Bearer … or X-API-Key) for systems, or a
 * session cookie for people. Cookie-authenticated writes must carry the session's CSRF token.
 */
export function registerAuthHook(app: App): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);

  // read on every request and changed seldom: kept while the access epoch stands still
  const people = memoOf<Actor | null>(app.ctx.access, 'signed-in people');

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.config?.ownAuthorization) return;
    const { db, clock } = app.ctx;
    const header = req.headers.authorization;
    const apiKey = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.headers['x-api-key'] as string | undefined);
    if (apiKey) {
      const row = await findApiKey(db, app.ctx.access, apiKey);
      if (!row || row.revoked_at !== null) {
        throw new AppError('invalid_api_key');
      }
      const now = clock.now();
      if (!row.last_used_at || now - row.last_used_at > TOUCH_EVERY_MS) {
        await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
        row.last_used_at = now; // the kept copy too: its use is noted once a minute, not on every request
      }
      req.actor = apiKeyActor(row);
      return;
    }

    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const idHash = sha256(token);
    const session = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    const now = clock.now();
    // ended by idleness, or by its age: a limit lowered since sign-in holds for sessions already open
    const endsBy = session ? session.created_at + app.ctx.config.sessionMaxMs : 0;
    if (!session || session.expires_at <= now || endsBy <= now) {
      if (session) await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      // a write that relied on an ended session must not silently run anonymously
      if (!SAFE_METHODS.has(req.method) && !req.url.startsWith('/api/auth/login')) throw new AppError('session_expired');
      return;
    }
    const actor = await people.get(String(session.user_id), () => loadUserActor(db, session.user_id));
    if (!actor) return;
    let expiresAt = session.expires_at;
    if (now - session.last_seen_at > TOUCH_EVERY_MS) {
      expiresAt = Math.min(now + app.ctx.config.sessionTtlMs, endsBy);
      await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
    }
    req.actor = actor;
    req.session = { idHash, csrfToken: session.csrf_token, expiresAt };

    // signing in again over an old session needs no token: it replaces the session
    if (!SAFE_METHODS.has(req.method) && req.url !== '/api/auth/login') {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !constantTimeEqual(sent, session.csrf_token)) throw new AppError('csrf_failed');
    }
  });
}
