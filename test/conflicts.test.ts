import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, STREET_A, type TestContext } from './support/app.js';

/**
 * Writes that race for one unique name: the one that loses is told 409 in the API's error shape,
 * never 500, and nothing of it is stored.
 */
let t: TestContext;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  admin = await signIn(t.app, 'admin');
});
afterAll(() => t?.close());

describe('writes racing for one unique name', () => {
  it('make one account; the others are told 409', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => t.app.inject({
      method: 'POST', url: '/api/users', headers: admin,
      payload: { username: 'racer', displayName: `同名账号 ${i}`, password: 'racer-2026x', grants: [{ role: 'street_dispatcher', divisionCode: STREET_A }] },
    })));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(['already_exists', 'conflict']).toContain(a.json().error.code);
    const made = await t.dbh.db.selectFrom('users').select('id').where('username', '=', 'racer').execute();
    expect(made).toHaveLength(1);
    const grants = await t.dbh.db.selectFrom('grants').select('id').where('user_id', '=', made[0]!.id).execute();
    expect(grants).toHaveLength(1); // the losers' grants were not stored either
  });

  it('give one grant when the same grant is asked for at the same moment; the others are told 409', async () => {
    const user = (await t.dbh.db.selectFrom('users').select('id').where('username', '=', 'racer').executeTakeFirstOrThrow()).id;
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.app.inject({
      method: 'POST', url: `/api/users/${user}/grants`, headers: admin, payload: { role: 'leader', divisionCode: STREET_A },
    })));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(['already_exists', 'conflict']).toContain(a.json().error.code);
    const grants = await t.dbh.db.selectFrom('grants').select('role').where('user_id', '=', user).where('role', '=', 'leader').execute();
    expect(grants).toHaveLength(1);
  });

  it('keep one grant per account, role and place in the database itself', async () => {
    const user = (await t.dbh.db.selectFrom('users').select('id').where('username', '=', 'racer').executeTakeFirstOrThrow()).id;
    const row = { user_id: user, role: 'street_dispatcher', division_code: STREET_A, department_id: null, created_at: Date.now() };
    await expect(t.dbh.db.insertInto('grants').values(row).execute()).rejects.toThrow();
  });
});
