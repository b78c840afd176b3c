import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn } from '../../../../test/support/app.js';
import { COMMUNITY_A, COMMUNITY_B, report, setClock, withCaseDistrict, type CasesTestContext } from '../cases/cases.testing.js';
import { bboxOf, multiPolygonAreaM2 } from './geometry/index.js';
import { setDivisionShape } from './grids.repo.js';

/**
 * A community merge (社区合并): 悟仙观社区 (four grids) is merged into 白将军社区 of the same street,
 * which is drawn anew over both. The redraw's file draws 白将军's grids; mergeCommunities names
 * 悟仙观, which is retired with all its grids: off the tree, the map, the lookup and the search, its
 * cases, cards and figures kept. 白将军's outline becomes that of its grids.
 */
const A = COMMUNITY_A; // 悟仙观社区, merged away
const C = '110112001011'; // 白将军社区, same street (中仓街道), takes it in
const STREET = '110112001';
const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code: string, poly: number[][][], community: string) => ({
  type: 'Feature', properties: { code, name: `网格${code.slice(-3)}`, community_code: community }, geometry: { type: 'Polygon', coordinates: poly },
});
/** 白将军's new grids over 悟仙观's four squares (two rows of two). */
const merged = () => ({
  type: 'FeatureCollection',
  features: [
    feature(`${C}001`, square(116.6, 39.82, 116.62, 39.84), C),
    feature(`${C}002`, square(116.62, 39.82, 116.64, 39.84), C),
    feature(`${C}003`, square(116.6, 39.8, 116.64, 39.82), C),
  ],
});
const HERE = { lon: 116.61, lat: 39.83 };
const DAY = 86_400_000;

let t: CasesTestContext;
let caseId: number;
let reportedOn: string;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  // the two communities' outlines before: 悟仙观 the west four squares; 白将军 has one but no grids yet
  for (const [code, poly] of [[A, square(116.6, 39.8, 116.64, 39.84)], [C, square(116.6, 39.84, 116.61, 39.85)]] as const) {
    const shape = [poly];
    await setDivisionShape(t.dbh.db, code, { polygon: shape, bbox: bboxOf(shape), areaM2: multiPolygonAreaM2(shape) }, t.clock.now());
  }
  const c = await report(t, 'community', { ...HERE, address: '悟仙观西北' });
  expect(c.gridCode).toBe(`${A}001`);
  caseId = c.id;
  reportedOn = new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
});
afterAll(() => t?.close());

const get = (url: string, headers = t.as.admin) => t.app.inject({ method: 'GET', url, headers });
const importGrids = (payload: object | string, query: string, headers = t.as.admin) => t.app.inject({ method: 'POST', url: `/api/geo/grids/import?${query}`, headers, payload });
const state = async () => ({
  divisions: await t.dbh.db.selectFrom('divisions').select(['code', 'retired_at', 'geometry']).where('level', 'in', [0, 10]).orderBy('code').execute(),
  imports: (await t.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'grids.import').execute()).length,
});

describe('merging a community into another of its street', () => {
  it('refuses a merge that cannot be done, with the field and the code, and changes nothing', async () => {
    const before = await state();
    const refusals: [string, object | undefined][] = [
      [`mergeCommunities=${A}`, { reason: 'not_redraw' }], // without retireMissing: not a redraw
      [`retireMissing=true&mergeCommunities=${STREET}099`, { reason: 'unknown', code: `${STREET}099` }], // no such community
      [`retireMissing=true&mergeCommunities=${C}`, { reason: 'drawn_by_file', code: C }],
      [`retireMissing=true&mergeCommunities=${COMMUNITY_B}`, { reason: 'other_street', code: COMMUNITY_B }],
      [`retireMissing=true&mergeCommunities=${A},${A}001`, undefined], // a grid's code is not a community's
      ['retireMissing=true&mergeCommunities=abc', undefined],
      ['retireMissing=true&mergeCommunities=', undefined],
    ];
    for (const [query, details] of refusals) {
      const res = await importGrids(merged(), query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe('validation_failed');
      if (details) expect(res.json().error.details, query).toEqual({ field: 'mergeCommunities', ...details });
    }
    expect(await state()).toEqual(before);
  });

  it('an administrator of another street cannot merge this street\'s community: 404, nothing changes', async () => {
    const other = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username: 'xhgly', displayName: '新华管理员', password: 'xinhua-2026x', grants: [{ role: 'admin', divisionCode: '110112002' }] } });
    expect(other.statusCode).toBe(201);
    const headers = await signIn(t.app, 'xhgly', 'xinhua-2026x');
    const before = await state();
    const file = { type: 'FeatureCollection', features: [feature(`${COMMUNITY_B}001`, square(116.64, 39.82, 116.66, 39.84), COMMUNITY_B), feature(`${COMMUNITY_B}002`, square(116.64, 39.8, 116.66, 39.82), COMMUNITY_B)] };
    expect((await importGrids(file, `retireMissing=true&mergeCommunities=${A}`, headers)).statusCode).toBe(404);
    expect(await state()).toEqual(before);
  });

  it('retires the merged community with all its grids, and says what still refers to them', async () => {
    const res = await importGrids(merged(), `retireMissing=true&mergeCommunities=${A}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 3, inserted: 3, updated: 0, revived: 0, skipped: [] });
    expect(res.json().retired.map((g: { code: string }) => g.code)).toEqual([`${A}001`, `${A}002`, `${A}003`, `${A}004`]);
    expect(res.json().retired[0]).toMatchObject({ code: `${A}001`, openCases: 1 });
    // the test district's community workstation accounts are granted on 悟仙观
    const granted = await t.dbh.db.selectFrom('grants').select('user_id').where('division_code', '=', A).execute();
    expect(granted.length).toBeGreaterThan(0);
    expect(res.json().retiredCommunities).toEqual([{ code: A, name: '悟仙观社区居委会', openCases: 1, grants: granted.length }]);
    const log = await t.dbh.db.selectFrom('audit_log').select('detail').where('action', '=', 'grids.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(log.detail!)).toMatchObject({ inserted: 3, retiredCommunities: [A], into: [C] });
  });

  it('the merged community is off the tree, the layers, the search and the lookup; the grids still tile the district', async () => {
    const tree = (await get(`/api/divisions/${STREET}`)).json().children;
    expect(JSON.stringify(tree)).not.toContain(A);
    expect(JSON.stringify(tree)).toContain(C);
    const communities = (await get('/api/geo/layers/communities')).json().features as { properties: { code: string } }[];
    expect(communities.map((f) => f.properties.code)).not.toContain(A);
    expect((await get(`/api/geo/search?q=${A}`)).json().items).toEqual([]);
    expect((await get(`/api/geo/locate?lon=${HERE.lon}&lat=${HERE.lat}`)).json()).toMatchObject({ gridCode: `${C}001`, communityCode: C });
    expect((await get('/api/geo/coverage')).json()).toMatchObject({ verdict: 'ok', gridCount: 5, overlaps: [], gaps: [] });
    const c = await report(t, 'street', { ...HERE, address: '白将军西北' });
    expect(c.gridCode).toBe(`${C}001`);
  });

  it('the community that took it in has the outline of its grids', async () => {
    const row = await t.dbh.db.selectFrom('divisions').select(['geometry', 'area_m2', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('code', '=', C).executeTakeFirstOrThrow();
    const expected = multiPolygonAreaM2([square(116.6, 39.8, 116.64, 39.84)]);
    expect(row.area_m2).toBeCloseTo(expected, -1);
    expect([row.min_lon, row.min_lat, row.max_lon, row.max_lat].map(Number)).toEqual([116.6, 39.8, 116.64, 39.84]);
    // 悟仙观's own outline stays on its row (its card and figures keep their place), off the map
    expect((await t.dbh.db.selectFrom('divisions').select('geometry').where('code', '=', A).executeTakeFirstOrThrow()).geometry).not.toBeNull();
  });

  it('the communities layer of a moment before the merge draws the merged community over the one that took it in', async () => {
    const retiredAt = Number((await t.dbh.db.selectFrom('divisions').select('retired_at').where('code', '=', A).executeTakeFirstOrThrow()).retired_at);
    type Feature = { properties: { code: string; parent_code: string | null; ended_at?: number } };
    const layerAt = async (at: number) => (await get(`/api/geo/layers/communities?at=${at}`)).json().features as Feature[];
    const before = await layerAt(retiredAt - DAY);
    expect(before.at(-1)!.properties).toEqual(expect.objectContaining({ code: A, parent_code: STREET, ended_at: retiredAt }));
    expect(before.map((f) => f.properties.code)).toContain(C);
    expect(before.filter((f) => f.properties.code === A)).toHaveLength(1);
    expect((await layerAt(retiredAt)).map((f) => f.properties.code)).not.toContain(A);
    // its grids, retired with it, likewise in the grids layer
    const grids = (await get(`/api/geo/layers/grids?at=${retiredAt - DAY}`)).json().features as Feature[];
    expect(grids.filter((f) => f.properties.ended_at === retiredAt).map((f) => f.properties.code).sort()).toEqual([`${A}001`, `${A}002`, `${A}003`, `${A}004`]);
  });

  it('keeps the merged community\'s cases, cards and figures; it is not granted again', async () => {
    const old = await get(`/api/cases/${caseId}`);
    expect(old.statusCode).toBe(200);
    expect(JSON.stringify(old.json())).toContain(`${A}001`);
    expect((await get(`/api/geo/grids/${A}001`)).json()).toMatchObject({ code: `${A}001`, community: { code: A }, retiredAt: new Date(t.clock.now()).toISOString() });
    // the street's communities over the day of the report: 悟仙观 with its report, and 白将军
    const during = (await get(`/api/evaluation/indicators?subject=community&area=${STREET}&period=${reportedOn}`, t.as.leader)).json().rows as { id: string; figures: { values: { reported: number } } }[];
    expect(during.find((r) => r.id === A)!.figures.values.reported).toBe(1);
    expect(during.map((r) => r.id)).toContain(C);
    // over a range that begins after the merge: not listed
    await setClock(t, t.clock.now() + 2 * DAY);
    const after = new Date(t.clock.now() + 8 * 3_600_000 - DAY).toISOString().slice(0, 10);
    const later = (await get(`/api/evaluation/indicators?subject=community&area=${STREET}&period=${after}`, t.as.leader)).json().rows as { id: string }[];
    expect(later.map((r) => r.id)).not.toContain(A);
    expect(later.map((r) => r.id)).toContain(C);
    // the accounts still granted on it say so in the user list, to be granted the community that took it in
    const users = (await get('/api/users')).json().items as { username: string; grants: { divisionCode: string | null; divisionRetired: boolean }[] }[];
    const grants = users.flatMap((u) => u.grants.map((g) => ({ user: u.username, ...g })));
    expect(grants.filter((g) => g.divisionRetired).map((g) => g.divisionCode)).toEqual(grants.filter((g) => g.divisionCode === A).map(() => A));
    expect(grants.find((g) => g.user === 'community')).toMatchObject({ divisionCode: A, divisionRetired: true });
    expect(grants.find((g) => g.user === 'street')).toMatchObject({ divisionCode: STREET, divisionRetired: false });
    const grant = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username: 'wxgsq', displayName: '悟仙观工作站', password: 'wuxianguan-26', grants: [{ role: 'community_staff', divisionCode: A }] } });
    expect(grant.statusCode).toBe(400);
    expect(grant.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'divisionCode' } });
    expect(grant.json().error.message).toContain('merged');
    // merging it again: already retired
    const again = await importGrids(merged(), `retireMissing=true&mergeCommunities=${A}`);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.details).toEqual({ field: 'mergeCommunities', reason: 'retired', code: A });
  });

  it('a file that draws the merged community again puts it back in use (undoing the merge)', async () => {
    const back = {
      type: 'FeatureCollection',
      features: [1, 2, 3, 4].map((n) => feature(`${A}00${n}`, square(116.6 + 0.02 * ((n - 1) % 2), n <= 2 ? 39.82 : 39.8, 116.62 + 0.02 * ((n - 1) % 2), n <= 2 ? 39.84 : 39.82), A)),
    };
    const res = await importGrids(back, 'retireMissing=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 4, revived: 4, retiredCommunities: [] });
    expect(JSON.stringify((await get(`/api/divisions/${STREET}`)).json().children)).toContain(A);
    expect((await get(`/api/geo/search?q=${A}`)).json().items.map((i: { code: string }) => i.code)).toContain(A);
  });
});
