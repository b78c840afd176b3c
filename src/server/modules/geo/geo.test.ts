import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import { setDivisionShape } from './grids.repo.js';
import { bboxOf, multiPolygonAreaM2 } from './geometry/index.js';

/** Grids through HTTP on a real database: import, locate, coverage, cards, team, export, scope. */
const C = '110112001006'; // 悟仙观社区, in 中仓街道
const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code: string, poly: number[][][], community = C) => ({ type: 'Feature', properties: { code, name: `网格${code.slice(-3)}`, community_code: community }, geometry: { type: 'Polygon', coordinates: poly } });
// the district: a 0.04° square split into four grids
const quadrants = () => ({
  type: 'FeatureCollection',
  features: [
    feature(`${C}001`, square(116.6, 39.82, 116.62, 39.84)),
    feature(`${C}002`, square(116.62, 39.82, 116.64, 39.84)),
    feature(`${C}003`, square(116.6, 39.8, 116.62, 39.82)),
    feature(`${C}004`, square(116.62, 39.8, 116.64, 39.82)),
  ],
});

let t: TestContext;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  const boundary = [square(116.6, 39.8, 116.64, 39.84)];
  await setDivisionShape(t.dbh.db, '110112', { polygon: boundary, bbox: bboxOf(boundary), areaM2: multiPolygonAreaM2(boundary) }, t.clock.now());
  admin = await signIn(t.app, 'admin');
});
afterAll(() => t?.close());

const gridCount = async () => Number((await t.dbh.db.selectFrom('divisions').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', 0).executeTakeFirstOrThrow()).n);

describe('grid import', () => {
  it('refuses a broken file, names every problem, writes nothing', async () => {
    const broken = quadrants();
    (broken.features[0].geometry.coordinates[0] as number[][]).pop(); // ring no longer closed
    broken.features[1].properties.code = `${C}001`; // duplicate
    broken.features[2].properties.community_code = '110112999999'; // unknown community
    broken.features[3].geometry.coordinates = [[[116.62, 39.8], [116.64, 39.82], [116.64, 39.8], [116.62, 39.82], [116.62, 39.8]]]; // bow tie
    const res = await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: admin, payload: broken });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('import_failed');
    const reasons = res.json().error.details.problems.map((p: { index: number; reason: string }) => `${p.index}:${p.reason}`);
    expect(reasons).toEqual(expect.arrayContaining(['0:ring_not_closed', '1:code_duplicate', '2:community_unknown', '3:ring_self_intersection']));
    expect(await gridCount()).toBe(0);
  });

  it('with skipInvalid imports the valid features and reports the rest', async () => {
    const partly = quadrants();
    partly.features[3].properties.code = '12345';
    const res = await t.app.inject({ method: 'POST', url: '/api/geo/grids/import?skipInvalid=true', headers: admin, payload: partly });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 3, inserted: 3 });
    expect(res.json().skipped).toHaveLength(1);
  });

  it('imports a valid file; the coverage check then passes', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: admin, payload: quadrants() });
    expect(res.json()).toMatchObject({ imported: 4, inserted: 1, updated: 3 });
    const cov = await t.app.inject({ method: 'GET', url: '/api/geo/coverage', headers: admin });
    expect(cov.json()).toMatchObject({ verdict: 'ok', gridCount: 4, overlaps: [], gaps: [] });
  });

  it('locates points, on shared edges exactly one grid, outside with a clear error', async () => {
    const at = async (lon: number, lat: number) => t.app.inject({ method: 'GET', url: `/api/geo/locate?lon=${lon}&lat=${lat}`, headers: admin });
    expect((await at(116.61, 39.83)).json()).toEqual({ gridCode: `${C}001`, gridName: '网格001', communityCode: C, streetCode: '110112001', districtCode: '110112' });
    const onEdge = (await at(116.62, 39.83)).json().gridCode;
    expect([`${C}001`, `${C}002`]).toContain(onEdge);
    expect((await at(116.62, 39.83)).json().gridCode).toBe(onEdge); // deterministic
    const outside = await at(117.5, 40.5);
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.code).toBe('outside_district');
    const many = await t.app.inject({ method: 'POST', url: '/api/geo/locate', headers: admin, payload: { points: [[116.63, 39.81], [0, 0]] } });
    expect(many.json().results.map((r: { gridCode: string } | null) => r?.gridCode ?? null)).toEqual([`${C}004`, null]);
    const tooMany = await t.app.inject({ method: 'POST', url: '/api/geo/locate', headers: admin, payload: { points: Array.from({ length: 10_001 }, () => [116.61, 39.81]) } });
    expect(tooMany.statusCode).toBe(400);
  });

  it('finds a planted gap and a planted overlap with the right areas', async () => {
    const planted = quadrants();
    planted.features[1].geometry.coordinates = square(116.63, 39.82, 116.64, 39.84); // leaves a 0.01°×0.02° gap
    planted.features[2].geometry.coordinates = square(116.6, 39.8, 116.625, 39.82); // overlaps grid 004 by 0.005°×0.02°
    expect((await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: admin, payload: planted })).statusCode).toBe(200);
    const cov = (await t.app.inject({ method: 'GET', url: '/api/geo/coverage', headers: admin })).json();
    expect(cov.verdict).toBe('problems');
    const gapArea = multiPolygonAreaM2([square(116.62, 39.82, 116.63, 39.84)]);
    const overlapArea = multiPolygonAreaM2([square(116.62, 39.8, 116.625, 39.82)]);
    expect(cov.gaps).toHaveLength(1);
    expect(cov.gaps[0].areaM2).toBeCloseTo(gapArea, -2);
    expect(cov.overlaps).toHaveLength(1);
    expect(cov.overlaps[0]).toMatchObject({ a: `${C}003`, b: `${C}004` });
    expect(cov.overlaps[0].areaM2).toBeCloseTo(overlapArea, -2);
    // put the tiling back
    await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: admin, payload: quadrants() });
  });
});

describe('grid cards and the team', () => {
  it('adds team members and shows them on the card, phones masked', async () => {
    const add = (payload: object) => t.app.inject({ method: 'POST', url: '/api/team', headers: admin, payload });
    expect((await add({ name: '王网格长', phone: '13800001234', role: 'grid_head', gridCodes: [`${C}001`] })).statusCode).toBe(201);
    // a grid named twice is one assignment
    const li = await add({ name: '李网格员', phone: '13900005678', role: 'grid_worker', gridCodes: [`${C}001`, `${C}002`, `${C}001`] });
    expect(li.statusCode).toBe(201);
    const assigned = await t.dbh.db.selectFrom('team_assignments').select('grid_code').where('member_id', '=', li.json().id).orderBy('grid_code').execute();
    expect(assigned.map((a) => a.grid_code)).toEqual([`${C}001`, `${C}002`]);
    expect((await add({ name: '赵楼门长', role: 'building_head', gridCodes: [`${C}001`] })).statusCode).toBe(201);
    const street = await signIn(t.app, 'street');
    const card = (await t.app.inject({ method: 'GET', url: `/api/geo/grids/${C}001`, headers: street })).json();
    expect(card).toMatchObject({ code: `${C}001`, community: { code: C, name: '悟仙观社区居委会' }, street: { code: '110112001', name: '中仓街道' } });
    expect(card.head).toMatchObject({ name: '王网格长', phone: '138****1234' });
    expect(card.counts).toEqual({ fulltime: 2, social: 1, professional: 0 });
    // the administrator may read phones unmasked, and every such read is audited
    const audited = async () => (await t.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'personal_data.read').execute()).length;
    const before = await audited();
    const full = (await t.app.inject({ method: 'GET', url: `/api/geo/grids/${C}001`, headers: admin })).json();
    expect(full.head.phone).toBe('13800001234');
    expect(await audited()).toBe(before + 1);
    const counts = (await t.app.inject({ method: 'GET', url: '/api/team/counts?by=community', headers: admin })).json();
    expect(counts.items).toEqual([{ code: C, name: '悟仙观社区居委会', fulltime: 2, social: 1, professional: 0, total: 3, heads: 1 }]);
    const list = (await t.app.inject({ method: 'GET', url: `/api/team?area=${C}002`, headers: admin })).json();
    expect(list.items.map((m: { name: string }) => m.name)).toEqual(['李网格员']);
  });

  it('a street dispatcher of another street gets 404 for the grid, its team and its layer', async () => {
    const other = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'xinhua', displayName: '新华街道', password: 'xinhua-2026x', grants: [{ role: 'street_dispatcher', divisionCode: '110112002' }] } });
    expect(other.statusCode).toBe(201);
    const h = await signIn(t.app, 'xinhua', 'xinhua-2026x');
    expect((await t.app.inject({ method: 'GET', url: `/api/geo/grids/${C}001`, headers: h })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/team?area=${C}`, headers: h })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/team', headers: h })).json().total).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/geo/layers/grids', headers: h })).json().features).toHaveLength(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/geo/search?q=${C}`, headers: h })).json().items).toHaveLength(0);
    const street = await signIn(t.app, 'street');
    expect((await t.app.inject({ method: 'GET', url: '/api/geo/layers/grids', headers: street })).json().features).toHaveLength(4);
  });

  it('exports grids in the import format and they import again unchanged', async () => {
    const fc = (await t.app.inject({ method: 'GET', url: '/api/geo/export?layer=grids', headers: admin })).json();
    expect(fc.features).toHaveLength(4);
    expect(fc.features[0].properties).toMatchObject({ code: `${C}001`, community_code: C });
    const again = await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: admin, payload: fc });
    expect(again.json()).toMatchObject({ imported: 4, updated: 4, inserted: 0 });
  });

  it('sends map layers with coordinates rounded to 1e-6 degrees (exports keep every digit)', async () => {
    type Fc = { features: { properties: unknown; geometry: { coordinates: number[][][][] } }[] };
    const layer: Fc = (await t.app.inject({ method: 'GET', url: '/api/geo/layers/grids', headers: admin })).json();
    const exported: Fc = (await t.app.inject({ method: 'GET', url: '/api/geo/export?layer=grids', headers: admin })).json();
    expect(layer.features.map((f) => f.properties)).toEqual(exported.features.map((f) => f.properties));
    const rounded = exported.features.map((f) => f.geometry.coordinates.map((p) => p.map((r) => r.map((xy) => xy.map((x) => Math.round(x * 1e6) / 1e6)))));
    expect(layer.features.map((f) => f.geometry.coordinates)).toEqual(rounded);
  });
});

describe('a division\'s parent', () => {
  it('is named even above the reader\'s jurisdiction, and marked as one they may not open', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/divisions/${C}001`, headers: admin })).json().parent).toMatchObject({ code: C, inScope: true });
    const made = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'gridone', displayName: '一网格网格员', password: 'gridone-2026x', grants: [{ role: 'grid_worker', divisionCode: `${C}001` }] } });
    expect(made.statusCode).toBe(201);
    const worker = await signIn(t.app, 'gridone', 'gridone-2026x');
    const seen = (await t.app.inject({ method: 'GET', url: `/api/divisions/${C}001`, headers: worker })).json();
    expect(seen.path).toEqual([]);
    expect(seen.parent).toEqual({ code: C, name: expect.any(String), inScope: false });
    expect((await t.app.inject({ method: 'GET', url: `/api/divisions/${C}`, headers: worker })).statusCode).toBe(404);
  });
});

describe('renaming divisions', () => {
  const put = (code: string, name: unknown, headers: Record<string, string> = admin) => t.app.inject({ method: 'PUT', url: `/api/divisions/${code}`, headers, payload: { name } });
  const nameOf = async (code: string) => (await t.dbh.db.selectFrom('divisions').select('name').where('code', '=', code).executeTakeFirstOrThrow()).name;
  const renames = async () => t.dbh.db.selectFrom('audit_log').select(['target_id', 'detail', 'actor_name']).where('action', '=', 'division.rename').orderBy('id').execute();

  it('renames a community and a grid by code; what shows their names shows the new ones, and it is audited', async () => {
    const res = await put(C, '  悟仙观社区  ');
    expect(res.statusCode).toBe(200);
    expect(res.json().division).toMatchObject({ code: C, level: 10, name: '悟仙观社区' });
    expect((await t.app.inject({ method: 'GET', url: `/api/divisions/${C}`, headers: admin })).json()).toMatchObject({ division: { name: '悟仙观社区' }, rename: 'allowed' });
    expect((await t.app.inject({ method: 'GET', url: `/api/geo/grids/${C}001`, headers: admin })).json().community).toEqual({ code: C, name: '悟仙观社区' });

    expect((await put(`${C}001`, '悟仙观一网格')).statusCode).toBe(200);
    // the locator keeps the grids' names for the cases it files: it has the new one
    expect((await t.app.inject({ method: 'GET', url: '/api/geo/locate?lon=116.61&lat=39.83', headers: admin })).json().gridName).toBe('悟仙观一网格');
    const log = await renames();
    expect(log.map((r) => [r.target_id, JSON.parse(r.detail!)])).toEqual([
      [C, { before: { name: '悟仙观社区居委会' }, after: { name: '悟仙观社区' } }],
      [`${C}001`, { before: { name: '网格001' }, after: { name: '悟仙观一网格' } }],
    ]);
    // the same name again changes nothing and logs nothing
    expect((await put(C, '悟仙观社区')).statusCode).toBe(200);
    expect(await renames()).toHaveLength(2);
  });

  it('refuses a sibling\'s name, an empty or long name and an unknown code, and changes nothing', async () => {
    const twin = await put(`${C}002`, '悟仙观一网格');
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error).toMatchObject({ code: 'already_exists', details: { field: 'name', reason: 'sibling_named', code: `${C}001` } });
    for (const name of ['   ', 'x'.repeat(41), '网格\u0007', 42, null]) expect((await put(`${C}002`, name)).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: `/api/divisions/${C}002`, headers: admin, payload: { name: '新网格', code: '110112001006099' } })).statusCode).toBe(400);
    expect((await put('110112001006999', '无此网格')).statusCode).toBe(404);
    expect((await put('abc', '无此网格')).statusCode).toBe(400);
    expect(await nameOf(`${C}002`)).toBe('网格002');
    expect(await renames()).toHaveLength(2);
  });

  it('is done by the level above: a street\'s administrator names its communities and grids, not the street, nor another street\'s', async () => {
    const other = (await t.dbh.db.selectFrom('divisions').select('code').where('parent_code', '=', '110112002').orderBy('code').executeTakeFirstOrThrow()).code;
    const otherName = await nameOf(other);
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'zcadmin', displayName: '中仓管理员', password: 'zcadmin-2026x', grants: [{ role: 'admin', divisionCode: '110112001' }] } });
    expect(created.statusCode).toBe(201);
    const streetAdmin = await signIn(t.app, 'zcadmin', 'zcadmin-2026x');
    const detail = async (code: string, h: Record<string, string> = streetAdmin) => (await t.app.inject({ method: 'GET', url: `/api/divisions/${code}`, headers: h })).json();

    expect((await detail('110112001')).rename).toBe('named_above');
    expect((await detail(C)).rename).toBe('allowed');
    const own = await put('110112001', '中仓', streetAdmin);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.details).toEqual({ reason: 'named_above' });
    expect((await put(other, '别的社区', streetAdmin)).statusCode).toBe(404);
    expect((await put(`${C}002`, '悟仙观二网格', streetAdmin)).statusCode).toBe(200);
    // a street dispatcher reads the tree and may rename nothing; the district is named by no one here
    const dispatcher = await signIn(t.app, 'street');
    expect((await detail(C, dispatcher)).rename).toBe('not_allowed');
    expect((await put(C, '别名', dispatcher)).statusCode).toBe(403);
    expect((await detail('110112', admin)).rename).toBe('named_above');
    expect((await put('110112', '通州', admin)).statusCode).toBe(403);
    expect([await nameOf('110112001'), await nameOf(other), await nameOf(C), await nameOf('110112')]).toEqual(['中仓街道', otherName, '悟仙观社区', '通州区']);
    expect((await renames()).map((r) => [r.target_id, r.actor_name])).toEqual([[C, expect.any(String)], [`${C}001`, expect.any(String)], [`${C}002`, '中仓管理员']]);
  });

  it('moves the division\'s updated_at, and the map layer answers 304 until something in it changes', async () => {
    const layer = (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/api/geo/layers/grids', headers: { ...admin, ...headers } });
    const first = await layer();
    const etag = first.headers.etag as string;
    expect(first.statusCode).toBe(200);
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const same = await layer({ 'if-none-match': etag });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect((await layer({ 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    const before = (await t.dbh.db.selectFrom('divisions').select('updated_at').where('code', '=', `${C}003`).executeTakeFirstOrThrow()).updated_at;
    t.clock.set(t.clock.now() + 60_000);
    expect((await put(`${C}003`, '悟仙观三网格')).statusCode).toBe(200);
    expect((await t.dbh.db.selectFrom('divisions').select('updated_at').where('code', '=', `${C}003`).executeTakeFirstOrThrow()).updated_at).toBe(Number(before) + 60_000);
    const changed = await layer({ 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().features.find((f: { properties: { code: string } }) => f.properties.code === `${C}003`).properties.name).toBe('悟仙观三网格');
    // another jurisdiction's layer is another answer, with its own tag
    const street = await signIn(t.app, 'xinhua', 'xinhua-2026x');
    const theirs = await t.app.inject({ method: 'GET', url: '/api/geo/layers/grids', headers: { ...street, 'if-none-match': changed.headers.etag as string } });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().features).toHaveLength(0);
  });
});
