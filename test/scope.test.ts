import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, STREET_A, STREET_B, type TestContext } from './support/app.js';

/** A street dispatcher of street A gets 404 for every read or write of street B's objects. */
let t: TestContext;
let a: Record<string, string>;
let admin: Record<string, string>;
let communityOfB: string;
let userInB: number;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  a = await signIn(t.app, 'street');
  admin = await signIn(t.app, 'admin');
  communityOfB = (await t.dbh.db.selectFrom('divisions').select('code').where('parent_code', '=', STREET_B).orderBy('code').executeTakeFirstOrThrow()).code;
  const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'streetb', displayName: '新华街道调度员', password: 'streetb-2026', grants: [{ role: 'street_dispatcher', divisionCode: STREET_B }] } });
  expect(created.statusCode).toBe(201);
  userInB = created.json().id;
});
afterAll(() => t?.close());

describe('jurisdiction', () => {
  it('street A sees its own street and communities', async () => {
    const top = await t.app.inject({ method: 'GET', url: '/api/divisions', headers: a });
    expect(top.json().items.map((d: { code: string }) => d.code)).toEqual([STREET_A]);
    const own = await t.app.inject({ method: 'GET', url: `/api/divisions/${STREET_A}`, headers: a });
    expect(own.statusCode).toBe(200);
    expect(own.json().children.length).toBeGreaterThan(0);
  });

  const outside = () => [
    { method: 'GET', url: `/api/divisions/${STREET_B}` },
    { method: 'GET', url: `/api/divisions/${communityOfB}` },
    { method: 'GET', url: `/api/divisions?parent=${STREET_B}` },
  ] as const;
  it('reads of street B answer 404', async () => {
    for (const r of outside()) {
      const res = await t.app.inject({ method: r.method, url: r.url, headers: a });
      expect(res.statusCode, r.url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('the district sees both streets', async () => {
    const district = await signIn(t.app, 'district');
    for (const code of [STREET_A, STREET_B]) {
      expect((await t.app.inject({ method: 'GET', url: `/api/divisions/${code}`, headers: district })).statusCode).toBe(200);
    }
  });

  it('a street administrator cannot see or manage users of street B', async () => {
    const streetAdmin = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'admina', displayName: '中仓街道管理员', password: 'admina-2026x', grants: [{ role: 'admin', divisionCode: STREET_A }] } });
    expect(streetAdmin.statusCode).toBe(201);
    const h = await signIn(t.app, 'admina', 'admina-2026x');
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: h });
    expect(list.json().items.map((u: { username: string }) => u.username)).not.toContain('streetb');
    const writes = [
      { method: 'POST', url: `/api/users/${userInB}/password`, payload: { password: 'another-2026x' } },
      { method: 'POST', url: `/api/users/${userInB}/disabled`, payload: { disabled: true } },
      { method: 'POST', url: `/api/users/${userInB}/grants`, payload: { role: 'leader', divisionCode: STREET_A } },
      { method: 'POST', url: '/api/users', payload: { username: 'intruder', displayName: 'x', password: 'intruder-2026', grants: [{ role: 'grid_worker', divisionCode: communityOfB }] } },
    ] as const;
    for (const w of writes) {
      const res = await t.app.inject({ method: w.method, url: w.url, headers: h, payload: w.payload });
      expect(res.statusCode, w.url).toBe(404);
    }
    // nothing changed: the user of street B still signs in with the old password
    await signIn(t.app, 'streetb', 'streetb-2026');
    expect(await t.dbh.db.selectFrom('users').select('id').where('username', '=', 'intruder').executeTakeFirst()).toBeUndefined();
  });
});

describe('department staff', () => {
  it('browse the division tree of the area their department serves', async () => {
    const dept = await signIn(t.app, 'department');
    const top = await t.app.inject({ method: 'GET', url: '/api/divisions', headers: dept });
    expect(top.json().items.map((d: { code: string }) => d.code)).toEqual(['110112']);
    const streets = await t.app.inject({ method: 'GET', url: '/api/divisions?parent=110112', headers: dept });
    expect(streets.statusCode).toBe(200);
    expect(streets.json().items).toHaveLength(22);
    expect((await t.app.inject({ method: 'GET', url: `/api/divisions/${STREET_B}`, headers: dept })).statusCode).toBe(200);
  });
});
