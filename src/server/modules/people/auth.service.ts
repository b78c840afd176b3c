import type { AppContext } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import { audit, type AuditContext } from '../../platform/audit.js';
import { hashPassword, passwordProblem, randomToken, sha256, verifyPassword } from '../../platform/secrets.js';
import { findUserById, findUserByUsername } from './people.repo.js';

// Verifying against a fixed hash when the user does not exist keeps the timing of both answers alike.
let dummyHash: Promise<string> | null = null;

export interface SignInResult {
  token: string;
  csrfToken: string;
  userId: number;
  expiresAt: number;
}

/** signIn: checks the password, locks the account after repeated failures, opens a session. */
export async function signIn(
  ctx: AppContext,
  input: { username: string; password: string; ip: string; userAgent: string | null },
  auditCtx: AuditContext,
): Promise<SignInResult> {
  const { db, clock, config } = ctx;
  const now = clock.now();
  const user = await findUserByUsername(db, input.username);
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password-0');
    await verifyPassword(input.password, await dummyHash);
    await audit(db, auditCtx, { action: 'auth.login_failed', targetType: 'user', targetId: input.username, detail: { reason: 'unknown_user' } });
    throw new AppError('invalid_credentials');
  }
  if (user.locked_until && user.locked_until > now) {
    await audit(db, auditCtx, { action: 'auth.login_refused', targetType: 'user', targetId: user.id, detail: { reason: 'locked' } });
    throw new AppError('account_locked', undefined, { until: new Date(user.locked_until).toISOString() });
  }
  const ok = await verifyPassword(input.password, user.password_hash);
  if (!ok) {
    // counted in the database, not from the row read before the (slow) password check: attempts sent
    // in parallel are each counted, so they cannot slip past the lock-out together
    const lock = await db.transaction().execute(async (tx) => {
      const counted = await tx.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id).returning('failed_logins').executeTakeFirstOrThrow();
      const failures = Number(counted.failed_logins);
      const lock = failures >= config.login.maxFailures;
      if (lock) await tx.updateTable('users').set({ failed_logins: 0, locked_until: now + config.login.lockMs }).where('id', '=', user.id).execute();
      await audit(tx, auditCtx, {
        action: lock ? 'auth.account_locked' : 'auth.login_failed',
        targetType: 'user', targetId: user.id, detail: { failures },
      });
      return lock;
    });
    if (lock) throw new AppError('account_locked', undefined, { until: new Date(now + config.login.lockMs).toISOString() });
    throw new AppError('invalid_credentials');
  }
  if (user.disabled) {
    await audit(db, auditCtx, { action: 'auth.login_refused', targetType: 'user', targetId: user.id, detail: { reason: 'disabled' } });
    throw new AppError('account_disabled');
  }
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = now + Math.min(config.sessionTtlMs, config.sessionMaxMs);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', user.id).execute();
    await tx
      .insertInto('sessions')
      .values({
        id_hash: sha256(token), user_id: user.id, csrf_token: csrfToken, created_at: now, last_seen_at: now,
        expires_at: expiresAt, ip: input.ip, user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await audit(tx, { ...auditCtx, actor: { kind: 'user', id: user.id, name: user.display_name, grants: [] } }, {
      action: 'auth.login', targetType: 'user', targetId: user.id,
    });
  });
  return { token, csrfToken, userId: user.id, expiresAt };
}

export async function signOut(ctx: AppContext, idHash: string, auditCtx: AuditContext): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    await audit(tx, auditCtx, { action: 'auth.logout', targetType: 'user', targetId: auditCtx.actor?.id });
  });
}

/**
 * A signed-in person changes their own password: the current one first, then a new one by the same
 * rules as an administrator's. Their other sessions end (a phone left signed in somewhere); this one
 * goes on. A wrong current password changes nothing and is refused on that field.
 */
export async function changeOwnPassword(
  ctx: AppContext, session: { userId: number; idHash: string }, input: { currentPassword: string; newPassword: string }, auditCtx: AuditContext,
): Promise<void> {
  const user = await findUserById(ctx.db, session.userId);
  if (!user || user.disabled) throw new AppError('unauthenticated');
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('validation_failed', 'The current password is wrong.', { field: 'currentPassword', reason: 'wrong_password' });
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new AppError('validation_failed', `Password needs ${problem}.`, { field: 'newPassword', reason: 'weak_password' });
  if (input.newPassword === input.currentPassword) {
    throw new AppError('validation_failed', 'The new password is the current one.', { field: 'newPassword', reason: 'same_password' });
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ password_hash: hash, updated_at: auditCtx.now }).where('id', '=', user.id).execute();
    await tx.deleteFrom('sessions').where('user_id', '=', user.id).where('id_hash', '!=', session.idHash).execute();
    await audit(tx, auditCtx, { action: 'auth.password_change', targetType: 'user', targetId: user.id });
  });
}
