import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { App } from '../../platform/http.js';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15', LOGIN_RATE_PER_MINUTE: '8', SESSION_TTL_HOURS: '1' });
});
afterAll(() => t.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('sign-in and sessions', () => {
  it('signs in, reads me, signs out', async () => {
    const res = await login('street', 'onegrid2026', '10.0.1.1');
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'og_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const headers = { cookie: `og_session=${cookie.value}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('street');
    expect(me.json().user.grants[0]).toMatchObject({ role: 'street_dispatcher', divisionCode: '110112001', divisionName: '中仓街道' });
    expect(me.json().user.permissions).toContain('cases.dispatch');
    // a write without the CSRF token is refused
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...headers, 'x-csrf-token': res.json().csrfToken } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await login('leader', 'wrong-password1', '10.0.2.1');
    const unknown = await login('nobody', 'wrong-password1', '10.0.2.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(unknown.json().error.code).toBe('invalid_credentials');
  });

  it('locks an account after repeated failures, then unlocks after the lock time', async () => {
    for (let i = 0; i < 2; i++) expect((await login('community', 'bad-password-9', `10.0.3.${i}`)).statusCode).toBe(401);
    const third = await login('community', 'bad-password-9', '10.0.3.9');
    expect(third.statusCode).toBe(423);
    expect(third.json().error.code).toBe('account_locked');
    // even the right password is refused while locked
    const right = await login('community', 'onegrid2026', '10.0.3.10');
    expect(right.statusCode).toBe(423);
    t.clock.advance(16 * 60_000);
    expect((await login('community', 'onegrid2026', '10.0.3.11')).statusCode).toBe(200);
    const audit = await t.dbh.db.selectFrom('audit_log').select('action').where('action', 'like', 'auth.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'auth.account_locked', 'auth.login_refused']));
  });

  it('counts failures sent in parallel from many addresses each, so together they cannot slip past the lock-out', async () => {
    // twelve guesses at once (each from its own address, under the per-address limit): every one is a failure
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login('department', `guess-${i}-password`, `10.0.4.${i}`)));
    expect(answers.every((a) => a.statusCode === 401 || a.statusCode === 423)).toBe(true);
    expect(answers.filter((a) => a.statusCode === 423).length).toBeGreaterThan(0);
    // the account is locked now: even the right password is refused
    expect((await login('department', 'onegrid2026', '10.0.4.99')).statusCode).toBe(423);
    t.clock.advance(16 * 60_000);
  });

  it('rate-limits sign-in attempts per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await login('leader', 'still-wrong-1', '10.0.9.9')).statusCode);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    const limited = await login('leader', 'still-wrong-1', '10.0.9.9');
    expect(limited.json().error.code).toBe('rate_limited');
    // another IP is not affected
    expect((await login('admin', 'onegrid2026', '10.0.9.10')).statusCode).toBe(200);
  });

  it('counts sign-in attempts for every node on the database, and opens a new window once the old one ends', async () => {
    const other = await buildApp(t.config, { dbh: t.dbh, clock: t.clock, migrate: false, logger: false });
    try {
      const on = (app: App) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'no-such-user', password: 'wrong-again-2' }, remoteAddress: '10.0.8.8' });
      // eight attempts a minute (LOGIN_RATE_PER_MINUTE), taken in turn by two nodes
      const codes: number[] = [];
      for (let i = 0; i < 10; i++) codes.push((await on(i % 2 ? other : t.app)).statusCode);
      expect(codes.slice(0, 8).every((c) => c !== 429)).toBe(true);
      expect(codes.slice(8)).toEqual([429, 429]);
      const limited = await on(other);
      expect(limited.json().error).toMatchObject({ code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      t.clock.advance(61_000);
      expect((await on(other)).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('ends a session after its idle time', async () => {
    const headers = await signIn(t.app, 'district');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    t.clock.advance(61 * 60_000);
    const expired = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(expired.statusCode).toBe(401);
    // a write on an ended session says so instead of running anonymously
    const write = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(write.statusCode).toBe(401);
  });

  it('ends a session used all along once it is as old as SESSION_MAX_HOURS', async () => {
    const own = await createTestApp({ SESSION_TTL_HOURS: '12', SESSION_MAX_HOURS: '30' });
    try {
      const start = own.clock.now();
      const res = await own.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'street', password: 'onegrid2026' } });
      const cookie = res.cookies.find((c) => c.name === 'og_session')!;
      expect(cookie.expires!.getTime()).toBe(start + 12 * 3_600_000);
      const headers = { cookie: `og_session=${cookie.value}` };
      const me = async (hours: number) => {
        own.clock.set(start + hours * 3_600_000);
        return (await own.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode;
      };
      // used every ten hours, it never sits idle for twelve: it lives until its thirtieth hour
      expect(await me(10)).toBe(200);
      expect(await me(20)).toBe(200);
      const row = async () => own.dbh.db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow();
      expect((await row()).expires_at).toBe(start + 30 * 3_600_000); // not 20 + 12 hours
      expect(await me(29.9)).toBe(200);
      expect(await me(30)).toBe(401);
      expect(await own.dbh.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('stores passwords hashed with scrypt', async () => {
    const row = await t.dbh.db.selectFrom('users').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain('onegrid2026');
  });
});

describe('changing one\'s own password', () => {
  const sessionOf = async (ip: string, password = 'onegrid2026') => {
    const res = await login('community', password, ip);
    expect(res.statusCode).toBe(200);
    return { cookie: `og_session=${res.cookies.find((c) => c.name === 'og_session')!.value}`, 'x-csrf-token': res.json().csrfToken as string };
  };
  const change = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword, newPassword }, remoteAddress: '10.0.9.9' });
  const me = async (headers: Record<string, string>) => (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode;

  it('needs the current password and a new one by the rules, and changes nothing otherwise', async () => {
    const headers = await sessionOf('10.0.9.1');
    const before = await t.dbh.db.selectFrom('users').select('password_hash').where('username', '=', 'community').executeTakeFirstOrThrow();
    for (const [current, next, field, reason] of [
      ['not-my-password1', 'brand-new-2027', 'currentPassword', 'wrong_password'],
      ['onegrid2026', 'short1', 'newPassword', 'weak_password'],
      ['onegrid2026', 'onlyletters-here', 'newPassword', 'weak_password'],
      ['onegrid2026', 'onegrid2026', 'newPassword', 'same_password'],
    ] as const) {
      const res = await change(headers, current, next);
      expect(res.statusCode, `${current} → ${next}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: { field, reason } });
    }
    const after = await t.dbh.db.selectFrom('users').select('password_hash').where('username', '=', 'community').executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
    expect(await me(headers)).toBe(200);
    // without a session there is nobody whose password to change
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'onegrid2026', newPassword: 'brand-new-2027' } })).statusCode).toBe(401);
  });

  it('changes it, keeps this session and ends the others, and says so in the audit log', async () => {
    const here = await sessionOf('10.0.9.2');
    const elsewhere = await sessionOf('10.0.9.3');
    expect((await change(here, 'onegrid2026', 'brand-new-2027')).statusCode).toBe(204);
    expect(await me(here)).toBe(200);
    expect(await me(elsewhere)).toBe(401);
    expect((await login('community', 'onegrid2026', '10.0.9.4')).statusCode).toBe(401);
    expect((await login('community', 'brand-new-2027', '10.0.9.5')).statusCode).toBe(200);
    const id = (await t.dbh.db.selectFrom('users').select('id').where('username', '=', 'community').executeTakeFirstOrThrow()).id;
    const entry = await t.dbh.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.password_change').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_user_id: id, target_type: 'user', target_id: String(id) });
    // back as it was for the other tests
    expect((await change(here, 'brand-new-2027', 'onegrid2026')).statusCode).toBe(204);
  });
});

describe('a lock lifted by an administrator', () => {
  it('lets the same password sign in again, and is audited', async () => {
    for (let i = 0; i < 3; i++) await login('department', `wrong-password-${i}`, `10.0.8.${i}`);
    const locked = await login('department', 'onegrid2026', '10.0.8.10');
    expect(locked.statusCode).toBe(423);
    const admin = await signIn(t.app, 'admin');
    const id = (await t.dbh.db.selectFrom('users').select('id').where('username', '=', 'department').executeTakeFirstOrThrow()).id;
    // someone who may only read the accounts may not lift it
    const district = await signIn(t.app, 'district');
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${id}/unlock`, headers: district })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/users/999999/unlock', headers: admin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${id}/unlock`, headers: admin })).statusCode).toBe(200);
    expect((await login('department', 'onegrid2026', '10.0.8.11')).statusCode).toBe(200);
    expect(await t.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'user.unlock').where('target_id', '=', String(id)).executeTakeFirst()).toBeDefined();
  });
});
