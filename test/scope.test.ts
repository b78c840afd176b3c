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

/** What applies to the whole installation, and the records of other areas, stay with the district. */
describe('a street administrator', () => {
  let h: Record<string, string>;
  beforeAll(async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'adminb2', displayName: '中仓街道管理员二', password: 'adminb2-2026x', grants: [{ role: 'admin', divisionCode: STREET_A }] } });
    expect(created.statusCode).toBe(201);
    h = await signIn(t.app, 'adminb2', 'adminb2-2026x');
  });
  const newKey = async (headers: Record<string, string>, name: string, divisionCode: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/apikeys', headers, payload: { name, role: 'street_dispatcher', divisionCode } });
    expect(res.statusCode, name).toBe(201);
    return res.json().id as number;
  };
  const keyNames = async (headers: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: '/api/apikeys', headers })).json().items.map((k: { name: string }) => k.name);

  it('sees and revokes only the API keys of the street', async () => {
    const ofB = await newKey(admin, '新华街道网格系统', STREET_B);
    const ofDistrict = await t.app.inject({ method: 'POST', url: '/api/apikeys', headers: admin, payload: { name: '区12345热线', role: 'district_dispatcher', divisionCode: '110112' } });
    expect(ofDistrict.statusCode).toBe(201);
    const ofA = await newKey(h, '中仓街道视频系统', STREET_A);
    expect(await keyNames(h)).toEqual(['中仓街道视频系统']);
    // listed with the name of the area it works in
    const listed = (await t.app.inject({ method: 'GET', url: '/api/apikeys', headers: h })).json().items;
    expect(listed.map((k: { divisionCode: string; divisionName: string }) => [k.divisionCode, k.divisionName])).toEqual([[STREET_A, '中仓街道']]);
    expect(await keyNames(admin)).toEqual(expect.arrayContaining(['新华街道网格系统', '区12345热线', '中仓街道视频系统']));
    for (const id of [ofB, ofDistrict.json().id]) {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/apikeys/${id}`, headers: h });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // nothing was revoked but the street's own key
    expect((await t.app.inject({ method: 'DELETE', url: `/api/apikeys/${ofA}`, headers: h })).statusCode).toBe(200);
    const revoked = await t.dbh.db.selectFrom('api_keys').select(['id', 'revoked_at']).where('id', 'in', [ofA, ofB, ofDistrict.json().id]).orderBy('id').execute();
    expect(revoked.map((k) => k.revoked_at !== null)).toEqual([false, false, true]);
  });

  it('renames the departments serving the street, not the district\'s', async () => {
    const districtDept = await t.dbh.db.selectFrom('departments').select(['id', 'name']).where('area_code', '=', '110112').orderBy('id').executeTakeFirstOrThrow();
    const created = await t.app.inject({ method: 'POST', url: '/api/departments', headers: h, payload: { code: 'ZC_WY', name: '中仓街道物业办', areaCode: STREET_A } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const rename = (headers: Record<string, string>, dept: number, payload: object) => t.app.inject({ method: 'PUT', url: `/api/departments/${dept}`, headers, payload });
    expect((await rename(h, districtDept.id, { name: '别人的部门' })).statusCode).toBe(404);
    expect((await rename(h, 999_999, { name: '没有的部门' })).statusCode).toBe(404);
    const bad = await rename(h, id, { name: '  ', code: 'X' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect((await rename(h, id, { name: '中仓街道物业管理办公室', nameEn: 'Property office' })).statusCode).toBe(200);
    const rows = await t.dbh.db.selectFrom('departments').select(['id', 'code', 'name', 'name_en', 'area_code']).where('id', 'in', [id, districtDept.id]).orderBy('id').execute();
    expect(rows.map((d) => [d.code === 'ZC_WY' ? 'mine' : 'district', d.name, d.area_code])).toEqual(expect.arrayContaining([
      ['mine', '中仓街道物业管理办公室', STREET_A], ['district', districtDept.name, '110112'],
    ]));
    const entry = await t.dbh.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'department.update').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.detail!)).toEqual({ before: { name: '中仓街道物业办', nameEn: '' }, after: { name: '中仓街道物业管理办公室', nameEn: 'Property office' } });
  });

  it('cannot change the evaluation\'s weights or import cases for the whole district', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/evaluation/weights', headers: h })).json();
    const changed = await t.app.inject({ method: 'PUT', url: '/api/evaluation/weights', headers: h, payload: { ...before, grades: { A: 80, B: 70, C: 60, D: 40 } } });
    expect(changed.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/evaluation/weights', headers: h })).json()).toEqual(before);
    const imported = await t.app.inject({ method: 'POST', url: '/api/evaluation/imports', headers: h, payload: { fileName: 'x.csv', csv: '编号\nH-1', map: ['编号=external_id'] } });
    expect(imported.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/evaluation/imports', headers: h })).statusCode).toBe(404);
    expect(await t.dbh.db.selectFrom('eval_imports').select('id').executeTakeFirst()).toBeUndefined();
    // the screens offer it to the district's administrator only
    expect((await t.app.inject({ method: 'GET', url: '/api/evaluation/meta', headers: h })).json().canConfigure).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/evaluation/meta', headers: admin })).json().canConfigure).toBe(true);
    // what the console's menu goes by: the permission is the street's, not the district's
    const me = async (headers: Record<string, string>) => (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).json().user;
    expect((await me(h)).permissions).toContain('evaluation.configure');
    expect((await me(h)).districtWide).toEqual([]);
    expect((await me(admin)).districtWide).toEqual(expect.arrayContaining(['evaluation.configure', 'divisions.manage']));
    expect((await me(admin)).districtWide).toEqual((await me(admin)).permissions);
  });

  it('reads in the audit log what the street\'s people and keys did and what was done to them, nothing of street B', async () => {
    const leaderOfA = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'leadera', displayName: '中仓街道领导', password: 'leadera-2026x', grants: [{ role: 'leader', divisionCode: STREET_A }] } });
    expect(leaderOfA.statusCode).toBe(201);
    // the district's administrator resets street B's dispatcher and street A's leader
    for (const id of [userInB, leaderOfA.json().id]) {
      expect((await t.app.inject({ method: 'POST', url: `/api/users/${id}/password`, headers: admin, payload: { password: 'reset-2026-xyz' } })).statusCode).toBe(200);
    }
    const all = (await t.app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: admin })).json().items as { actorName: string | null; action: string; targetType: string | null; targetId: string | null }[];
    for (const who of [h, await signIn(t.app, 'leadera', 'reset-2026-xyz')]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: who });
      expect(res.statusCode).toBe(200);
      const seen = res.json().items as typeof all;
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.length).toBeLessThan(all.length);
      // the street's administrator's own acts, and the reset of the street's leader by the district
      expect(seen.some((e) => e.actorName === '中仓街道管理员二' && e.action === 'apikey.create')).toBe(true);
      expect(seen.some((e) => e.action === 'user.password' && e.targetId === String(leaderOfA.json().id))).toBe(true);
      // nothing done to street B's people, nor the district's own keys
      expect(seen.some((e) => e.targetType === 'user' && e.targetId === String(userInB))).toBe(false);
      expect(seen.some((e) => e.action === 'apikey.create' && e.actorName !== '中仓街道管理员二')).toBe(false);
    }
    expect(all.some((e) => e.targetType === 'user' && e.targetId === String(userInB))).toBe(true);
    // targets are named where they still exist: the account by its username, the key by its name
    const named = all as (typeof all[number] & { targetName: string | null })[];
    expect(named.find((e) => e.action === 'user.password' && e.targetId === String(leaderOfA.json().id))?.targetName).toBe('leadera');
    expect(named.filter((e) => e.targetType === 'api_key').every((e) => typeof e.targetName === 'string' && e.targetName.length > 0)).toBe(true);
    expect(named.some((e) => e.targetType === 'api_key')).toBe(true);
  });
});

describe('accounts without a grant, and one\'s own account', () => {
  it('an account whose last grant is revoked stays with the district\'s administrator, who grants it again', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'moved', displayName: '调岗人员', password: 'moved-2026-xyz', grants: [{ role: 'street_dispatcher', divisionCode: STREET_A }] } });
    const id = created.json().id as number;
    const listed = async (headers: Record<string, string>) =>
      ((await t.app.inject({ method: 'GET', url: '/api/users', headers })).json().items as { id: number; grants: { id: number }[] }[]).find((u) => u.id === id);
    const grantId = (await listed(admin))!.grants[0]!.id;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${id}/grants/${grantId}`, headers: admin })).statusCode).toBe(200);
    expect((await listed(admin))?.grants).toEqual([]);
    // a street's administrator does not see it: it belongs to no street
    const streetAdmin = await signIn(t.app, 'admina', 'admina-2026x');
    expect(await listed(streetAdmin)).toBeUndefined();
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${id}/grants`, headers: streetAdmin, payload: { role: 'leader', divisionCode: STREET_A } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${id}/grants`, headers: admin, payload: { role: 'street_dispatcher', divisionCode: STREET_B } })).statusCode).toBe(200);
    expect((await listed(admin))?.grants).toHaveLength(1);
  });

  it('an administrator cannot revoke their own last grant to manage accounts, but another administrator can', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {
      username: 'selfadmin', displayName: '自管管理员', password: 'selfadmin-2026x',
      grants: [{ role: 'admin', divisionCode: STREET_A }, { role: 'admin', divisionCode: STREET_A }, { role: 'leader', divisionCode: STREET_A }],
    } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const grants = async () => ((await t.app.inject({ method: 'GET', url: '/api/users', headers: admin })).json().items as { id: number; grants: { id: number; role: string }[] }[])
      .find((u) => u.id === id)!.grants;
    // the same grant given twice is one
    expect((await grants()).map((g) => g.role).sort()).toEqual(['admin', 'leader']);
    const again = await t.app.inject({ method: 'POST', url: `/api/users/${id}/grants`, headers: admin, payload: { role: 'leader', divisionCode: STREET_A } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_exists');
    expect(await grants()).toHaveLength(2);

    const self = await signIn(t.app, 'selfadmin', 'selfadmin-2026x');
    const adminGrant = (await grants()).find((g) => g.role === 'admin')!;
    const leaderGrant = (await grants()).find((g) => g.role === 'leader')!;
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/users/${id}/grants/${adminGrant.id}`, headers: self });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining('another administrator') });
    // their other grants are theirs to drop
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${id}/grants/${leaderGrant.id}`, headers: self })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: self })).statusCode).toBe(200);
    // a grant of another area is not theirs to see: the district's administrator's district grant
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin })).json();
    const districtGrant = ((await t.app.inject({ method: 'GET', url: '/api/users', headers: admin })).json().items as { id: number; grants: { id: number }[] }[])
      .find((u) => u.id === me.user.id)!.grants[0]!;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${me.user.id}/grants/${districtGrant.id}`, headers: self })).statusCode).toBe(404);
    // another administrator can
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${id}/grants/${adminGrant.id}`, headers: admin })).statusCode).toBe(200);
    expect(await grants()).toEqual([]);
  });

  it('an administrator cannot disable their own account', async () => {
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin })).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/users/${me.user.id}/disabled`, headers: admin, payload: { disabled: true } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin })).statusCode).toBe(200);
  });
});
