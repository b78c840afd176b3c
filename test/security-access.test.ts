import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvStream } from '../src/server/modules/evaluation/export.js';
import { COMMUNITY_B, report, withCaseDistrict, type CasesTestContext } from '../src/server/modules/cases/cases.testing.js';
import { createTestApp, signIn, STREET_A } from './support/app.js';

/**
 * What an attacker inside the product tried and was refused: a street's administrator reaching
 * accounts and grids beyond the street, unmasked personal data read without an audit entry or
 * outside the permission's area, uploads read before their sender was known, spreadsheet formulas
 * in exports. Each case names what could happen before it was fixed.
 */
let t: CasesTestContext;
let streetAdmin: Record<string, string>;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: {
    username: 'zcadmin', displayName: '中仓街道管理员', password: 'zcadmin-2026x', grants: [{ role: 'admin', divisionCode: STREET_A }],
  } });
  expect(created.statusCode, created.body).toBe(201);
  streetAdmin = await signIn(t.app, 'zcadmin', 'zcadmin-2026x');
});
afterAll(() => t?.close());

/** Creates an account as the district's administrator and signs it in. */
async function account(username: string, grants: { role: string; divisionCode?: string; departmentCode?: string }[]) {
  const password = `${username}-2026x`;
  const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username, displayName: username, password, grants } });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as number, password, headers: await signIn(t.app, username, password) };
}

describe('a street\'s administrator and an account that also works beyond the street', () => {
  it('cannot reset its password, disable or unlock it (an account takeover of the district\'s administrator)', async () => {
    // a district administrator who also leads street A: visible to street A's administrator
    const wide = await account('wideadmin', [{ role: 'admin', divisionCode: '110112' }, { role: 'leader', divisionCode: STREET_A }]);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/users', headers: streetAdmin })).json().items as { id: number; manageable: boolean }[];
    expect(listed.map((u) => u.id)).toContain(wide.id);
    // the list says so, for the page to leave those buttons out
    expect(listed.find((u) => u.id === wide.id)!.manageable).toBe(false);
    const own = (await t.app.inject({ method: 'GET', url: '/api/users', headers: t.as.admin })).json().items as { id: number; manageable: boolean }[];
    expect(own.find((u) => u.id === wide.id)!.manageable).toBe(true);
    for (const w of [
      { url: `/api/users/${wide.id}/password`, payload: { password: 'taken-over-2026x' } },
      { url: `/api/users/${wide.id}/disabled`, payload: { disabled: true } },
      { url: `/api/users/${wide.id}/unlock`, payload: undefined },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: w.url, headers: streetAdmin, payload: w.payload });
      expect(res.statusCode, w.url).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', details: { reason: 'grants_beyond_area' } });
    }
    // nothing changed: the old password still works and the session goes on
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: wide.headers })).statusCode).toBe(200);
    await signIn(t.app, 'wideadmin', wide.password);
    // the district's administrator still can
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${wide.id}/unlock`, headers: t.as.admin })).statusCode).toBe(200);
  });

  it('still manages the grants of the street on such an account', async () => {
    const wide = await account('wideleader', [{ role: 'leader', divisionCode: '110112' }, { role: 'street_dispatcher', divisionCode: STREET_A }]);
    const grants = ((await t.app.inject({ method: 'GET', url: '/api/users', headers: streetAdmin })).json().items as { id: number; grants: { id: number; role: string }[] }[])
      .find((u) => u.id === wide.id)!.grants;
    const ofStreet = grants.find((g) => g.role === 'street_dispatcher')!;
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${wide.id}/grants`, headers: streetAdmin, payload: { role: 'community_staff', divisionCode: '110112001006' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${wide.id}/grants/${ofStreet.id}`, headers: streetAdmin })).statusCode).toBe(200);
    // and an account all of whose grants lie in the street is the street's to reset
    const inside = await account('insidestreet', [{ role: 'street_dispatcher', divisionCode: STREET_A }]);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/users', headers: streetAdmin })).json().items as { id: number; manageable: boolean }[];
    expect(listed.find((u) => u.id === inside.id)!.manageable).toBe(true);
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${inside.id}/password`, headers: streetAdmin, payload: { password: 'reset-by-street-2026' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: inside.headers })).statusCode).toBe(401);
  });
});

describe('grid import by a street\'s administrator', () => {
  const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
  it('refuses a community of another street however its code is written (a number, spaces), and writes nothing', async () => {
    const before = await t.dbh.db.selectFrom('divisions').select(['code', 'name', 'retired_at']).where('code', 'like', `${COMMUNITY_B}%`).orderBy('code').execute();
    for (const communityCode of [Number(COMMUNITY_B), ` ${COMMUNITY_B} `]) {
      const res = await t.app.inject({
        method: 'POST', url: '/api/geo/grids/import?retireMissing=true', headers: streetAdmin,
        payload: { type: 'FeatureCollection', features: [{
          type: 'Feature', properties: { code: `${COMMUNITY_B}009`, name: '别人的网格', community_code: communityCode },
          geometry: { type: 'Polygon', coordinates: square(116.64, 39.82, 116.65, 39.83) },
        }] },
      });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    const after = await t.dbh.db.selectFrom('divisions').select(['code', 'name', 'retired_at']).where('code', 'like', `${COMMUNITY_B}%`).orderBy('code').execute();
    expect(after).toEqual(before);
  });
});

describe('personal data', () => {
  it('an action\'s answer that shows the reporter unmasked is audited as the case\'s page is', async () => {
    // a district dispatcher who also administers: may read personal data and act on cases
    const both = await account('dispatchadmin', [{ role: 'admin', divisionCode: '110112' }, { role: 'district_dispatcher', divisionCode: '110112' }]);
    const c = await report(t, 'district', { reporter_name: '赵六', reporter_phone: '13611112222', source: 'hotline' });
    const res = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/comment`, headers: both.headers, payload: { version: c.version, comment: '补充说明' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reporter).toMatchObject({ phone: '13611112222', masked: false });
    const audited = await t.dbh.db.selectFrom('audit_log').select(['actor_user_id']).where('action', '=', 'personal_data.read')
      .where('target_type', '=', 'case').where('target_id', '=', String(c.id)).execute();
    expect(audited.map((a) => Number(a.actor_user_id))).toEqual([both.id]);
  });

  it('the team list unmasks phones only inside the area of the permission to read them', async () => {
    const member = await t.app.inject({ method: 'POST', url: '/api/team', headers: t.as.admin, payload: { name: '新华网格员', phone: '13733334444', role: 'grid_worker', gridCodes: [`${COMMUNITY_B}002`] } });
    expect(member.statusCode, member.body).toBe(201);
    // street A's administrator who leads the whole district: reads the district's team, unmasks street A's
    const mixed = await account('streetadminleader', [{ role: 'admin', divisionCode: STREET_A }, { role: 'leader', divisionCode: '110112' }]);
    const res = await t.app.inject({ method: 'GET', url: `/api/team?area=${COMMUNITY_B}`, headers: mixed.headers });
    expect(res.statusCode, res.body).toBe(200);
    const found = (res.json().items as { id: number; phone: string }[]).find((m) => m.id === member.json().id)!;
    expect(found.phone).toBe('137****4444');
  });
});

describe('large uploads', () => {
  // a body of 64 or 128 MB was read and parsed for anyone, and only then refused
  const uploads = [
    { method: 'POST', url: '/api/geo/grids/import' },
    { method: 'PUT', url: '/api/geo/boundary' },
    { method: 'POST', url: '/api/evaluation/imports' },
  ] as const;
  it('are refused before their body is read when the sender is not signed in or may not upload', async () => {
    for (const u of uploads) {
      const anonymous = await t.app.inject({ method: u.method, url: u.url, headers: { 'content-type': 'application/json' }, payload: '{"not json' });
      expect(anonymous.statusCode, u.url).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthenticated');
      const leader = await t.app.inject({ method: u.method, url: u.url, headers: { ...t.as.leader, 'content-type': 'application/json' }, payload: '{"not json' });
      expect(leader.statusCode, u.url).toBe(403);
      expect(leader.json().error.code).toBe('forbidden');
    }
  });
});

describe('exports', () => {
  it('neutralise every cell a spreadsheet would run as a formula', async () => {
    const cells = ['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1+1', '\r=1+1', '安全'];
    let text = '';
    for await (const chunk of csvStream([{ header: 'v', value: (r: string) => r }], (async function* () { yield* cells; })())) text += String(chunk);
    expect(text).toBe(`\uFEFFv\r\n'=1+1\r\n'+1\r\n'-1+1\r\n'@SUM(A1)\r\n'\t=1+1\r\n"'\r=1+1"\r\n安全\r\n`);
  });
});
