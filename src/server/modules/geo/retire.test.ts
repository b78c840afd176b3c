import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn } from '../../../../test/support/app.js';
import { COMMUNITY_A, IN_A4, importHistory, report, setClock, withCaseDistrict, type CasesTestContext } from '../cases/cases.testing.js';

/**
 * A redrawn community: importing its new grids with retireMissing retires the old ones the file
 * leaves out. They leave the map, the lookup, the coverage check, the search and the tree; their
 * cases, cards and figures stay. Importing a code again puts it back in use.
 */
const A = COMMUNITY_A;
const OLD = `${A}004`; // the south-east quarter, 116.62–116.64 × 39.80–39.82
const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code: string, poly: number[][][], name = `网格${code.slice(-3)}`) => ({
  type: 'Feature', properties: { code, name, community_code: A }, geometry: { type: 'Polygon', coordinates: poly },
});
const unchanged = () => [
  feature(`${A}001`, square(116.6, 39.82, 116.62, 39.84)),
  feature(`${A}002`, square(116.62, 39.82, 116.64, 39.84)),
  feature(`${A}003`, square(116.6, 39.8, 116.62, 39.82)),
];
/** 004 split into a west 005 and an east 006. */
const redrawn = () => ({
  type: 'FeatureCollection',
  features: [...unchanged(), feature(`${A}005`, square(116.62, 39.8, 116.63, 39.82)), feature(`${A}006`, square(116.63, 39.8, 116.64, 39.82))],
});
const DAY = 86_400_000;
/** Inside 004's east half, which becomes 006 (IN_A4 lies on the line between 005 and 006). */
const EAST = { lon: 116.635, lat: 39.81 };

let t: CasesTestContext;
let caseId: number;
let memberId: number;
let reportedOn: string;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  const c = await report(t, 'community', { ...EAST, address: '悟仙观东南' });
  expect(c.gridCode).toBe(OLD);
  caseId = c.id;
  reportedOn = new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const member = await t.app.inject({ method: 'POST', url: '/api/team', headers: t.as.admin, payload: { name: '孙网格员', phone: '13700001111', role: 'grid_worker', gridCodes: [OLD] } });
  expect(member.statusCode).toBe(201);
  memberId = member.json().id;
  const account = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username: 'sunwg', displayName: '孙网格员', password: 'sunwg-2026xx', grants: [{ role: 'grid_worker', divisionCode: OLD }] } });
  expect(account.statusCode).toBe(201);
});
afterAll(() => t?.close());

const get = (url: string, headers = t.as.admin) => t.app.inject({ method: 'GET', url, headers });
const importGrids = (payload: object | string, query = 'retireMissing=true') => t.app.inject({ method: 'POST', url: `/api/geo/grids/import?${query}`, headers: t.as.admin, payload });
const gridCodesOf = async (url: string) => ((await get(url)).json().features as { properties: { code: string } }[]).map((f) => f.properties.code).sort();

describe('redrawing a community', () => {
  it('an invalid file with retireMissing is refused whole: nothing is retired or added', async () => {
    const snapshot = await t.dbh.db.selectFrom('divisions').select(['code', 'retired_at']).where('level', '=', 0).orderBy('code').execute();
    // the same file, but 005 made invalid: refused whole, nothing retired or added
    const broken = redrawn();
    broken.features[3]!.properties.code = '12345';
    expect((await importGrids(broken)).statusCode).toBe(422);
    expect(await t.dbh.db.selectFrom('divisions').select(['code', 'retired_at']).where('level', '=', 0).orderBy('code').execute()).toEqual(snapshot);
  });

  it('retires the grids of the file\'s communities that it leaves out, and says what still refers to them', async () => {
    const res = await importGrids(redrawn());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 5, inserted: 2, updated: 3, revived: 0, reshaped: 0, skipped: [] });
    expect(res.json().retired).toEqual([{ code: OLD, name: '网格004', openCases: 1, teamMembers: 1, grants: 1 }]);
    // the other community (新华街道's 天桥湾) is not in the file: its grids are untouched
    expect(await gridCodesOf('/api/geo/layers/grids')).toEqual([`${A}001`, `${A}002`, `${A}003`, `${A}005`, `${A}006`, '110112002001001', '110112002001002']);
    const log = await t.dbh.db.selectFrom('audit_log').select('detail').where('action', '=', 'grids.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(log.detail!)).toMatchObject({ inserted: 2, updated: 3, retired: [OLD] });
  });

  it('the grids layer of a moment before the redraw draws the retired grid over today\'s; after it, today\'s alone', async () => {
    const retiredAt = Number((await t.dbh.db.selectFrom('divisions').select('retired_at').where('code', '=', OLD).executeTakeFirstOrThrow()).retired_at);
    type Feature = { properties: { code: string; ended_at?: number; area_m2: number } };
    const layerAt = async (at: number, headers = t.as.admin) => ((await get(`/api/geo/layers/grids?at=${at}`, headers)).json().features as Feature[]);
    const before = await layerAt(retiredAt - DAY);
    // today's grids first (005 and 006 came with the redraw, and are drawn beneath), the old one last, on top
    expect(before.map((f) => f.properties.code)).toEqual([`${A}001`, `${A}002`, `${A}003`, `${A}005`, `${A}006`, '110112002001001', '110112002001002', OLD]);
    expect(before.at(-1)!.properties).toMatchObject({ code: OLD, ended_at: retiredAt });
    expect(before.at(-1)!.properties.area_m2).toBeGreaterThan(3_700_000); // 0.02° × 0.02° at 39.8° N: about 1.71 km × 2.22 km
    expect(before.at(-1)!.properties.area_m2).toBeLessThan(3_900_000);
    expect((await layerAt(retiredAt + 1)).map((f) => f.properties.code)).not.toContain(OLD);
    expect(await gridCodesOf('/api/geo/layers/grids')).not.toContain(OLD);
    // scoped as every layer is: a dispatcher of the other street sees neither
    const other = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username: 'tqw', displayName: '新华街道调度员', password: 'tqw-2026-xyz', grants: [{ role: 'street_dispatcher', divisionCode: '110112002' }] } });
    expect(other.statusCode).toBe(201);
    const seen = (await layerAt(retiredAt - DAY, await signIn(t.app, 'tqw', 'tqw-2026-xyz'))).map((f) => f.properties.code);
    expect(seen).toEqual(['110112002001001', '110112002001002']);
    for (const bad of ['-1', 'abc', '1.5']) expect((await get(`/api/geo/layers/grids?at=${bad}`)).statusCode, bad).toBe(400);
  });

  it('a retired grid is off the lookup, the coverage check, the export, the search and the tree', async () => {
    const at = (await get(`/api/geo/locate?lon=${EAST.lon}&lat=${EAST.lat}`)).json();
    expect(at.gridCode).toBe(`${A}006`);
    const cov = (await get('/api/geo/coverage')).json();
    expect(cov).toMatchObject({ verdict: 'ok', gridCount: 7, overlaps: [], gaps: [] });
    expect(await gridCodesOf('/api/geo/export?layer=grids')).not.toContain(OLD);
    expect((await get(`/api/geo/search?q=${OLD}`)).json().items).toEqual([]);
    const tree = (await get(`/api/divisions/${A}`)).json().children as { code: string }[];
    expect(tree.map((d) => d.code)).toEqual([`${A}001`, `${A}002`, `${A}003`, `${A}005`, `${A}006`]);
    // a new report there goes to the new grid
    const c = await report(t, 'community', { ...EAST, address: '悟仙观东南' });
    expect(c.gridCode).toBe(`${A}006`);
    expect((await get(`/api/geo/locate?lon=${IN_A4.lon}&lat=${IN_A4.lat}`)).json().gridCode).toMatch(/00[56]$/);
  });

  it('keeps its card, its open case and its figures; no one new is assigned to it', async () => {
    const card = await get(`/api/geo/grids/${OLD}`);
    expect(card.statusCode).toBe(200);
    expect(card.json()).toMatchObject({ code: OLD, name: '网格004', retiredAt: new Date(t.clock.now()).toISOString(), counts: { fulltime: 1 } });
    expect((await get(`/api/geo/grids/${A}006`)).json().retiredAt).toBeNull();
    const old = await get(`/api/cases/${caseId}`);
    expect(old.statusCode).toBe(200);
    expect(JSON.stringify(old.json())).toContain(OLD);
    const refused = await t.app.inject({ method: 'POST', url: '/api/team', headers: t.as.admin, payload: { name: '周网格员', role: 'grid_worker', gridCodes: [`${A}005`, OLD] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'gridCodes' } });
    const grant = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username: 'zhouwg', displayName: '周网格员', password: 'zhouwg-2026xx', grants: [{ role: 'grid_worker', divisionCode: OLD }] } });
    expect(grant.statusCode).toBe(400);
    expect(grant.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'divisionCode' } });
    // the community's grids over a range that saw it in use: listed with its report
    const during = (await get(`/api/evaluation/indicators?subject=grid&area=${A}&period=${reportedOn}`, t.as.leader)).json().rows as { id: string; figures: { values: { reported: number } } }[];
    expect(during.map((r) => r.id).sort()).toEqual([`${A}001`, `${A}002`, `${A}003`, OLD, `${A}005`, `${A}006`]);
    expect(during.find((r) => r.id === OLD)!.figures.values.reported).toBe(1);
    // and over a range that begins after it was retired: not listed
    await setClock(t, t.clock.now() + 2 * DAY);
    const after = new Date(t.clock.now() + 8 * 3_600_000 - DAY).toISOString().slice(0, 10);
    const later = (await get(`/api/evaluation/indicators?subject=grid&area=${A}&period=${after}`, t.as.leader)).json().rows as { id: string }[];
    expect(later.map((r) => r.id).sort()).toEqual([`${A}001`, `${A}002`, `${A}003`, `${A}005`, `${A}006`]);
  });

  it('the team member still on the retired grid is given the new one; the change is audited', async () => {
    const put = (payload: object, headers = t.as.admin, id = memberId) => t.app.inject({ method: 'PUT', url: `/api/team/${id}`, headers, payload });
    const member = { name: '孙网格员', role: 'grid_worker', gridCodes: [`${A}006`] };
    // refused, and nothing changes: a retired grid, an unknown one, an unknown department, a bad phone, an unknown field
    for (const bad of [{ ...member, gridCodes: [OLD] }, { ...member, gridCodes: [`${A}099`] }, { ...member, role: 'department_staff', departmentId: 9999 }, { ...member, phone: '12' }, { ...member, extra: 1 }]) {
      expect((await put(bad)).statusCode).toBe(400);
    }
    expect((await put(member, t.as.admin, 999_999)).statusCode).toBe(404);
    const still = (await get(`/api/team?area=${OLD}`)).json().items;
    expect(still.map((m: { id: number; grids: unknown }) => [m.id, m.grids])).toEqual([[memberId, [{ code: OLD, name: '网格004', retired: true }]]]);

    const done = await put(member);
    expect(done.statusCode).toBe(200);
    expect((await get(`/api/team?area=${OLD}`)).json().total).toBe(0);
    const now = (await get(`/api/team?area=${A}006`)).json().items.find((m: { id: number }) => m.id === memberId);
    expect(now).toMatchObject({
      name: '孙网格员', phone: '13700001111', role: 'grid_worker', divisionCode: `${A}006`, departmentId: null, gridCodes: [`${A}006`],
      grids: [{ code: `${A}006`, name: '网格006', retired: false }],
    });
    const log = await t.dbh.db.selectFrom('audit_log').select('detail').where('action', '=', 'team.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(log.detail!)).toEqual({
      before: { name: '孙网格员', role: 'grid_worker', departmentId: null, grids: [OLD] },
      after: { name: '孙网格员', role: 'grid_worker', departmentId: null, grids: [`${A}006`] },
      phoneChanged: false,
    });
    // a phone given is changed, null removes it
    expect((await put({ ...member, phone: null })).statusCode).toBe(200);
    expect((await get(`/api/team?area=${A}006`)).json().items.find((m: { id: number }) => m.id === memberId).phone).toBeNull();
  });

  it('a historical import by location puts a case in the grid of its day: the retired one before the redraw, the new one after', async () => {
    const retiredAt = Date.parse((await get(`/api/geo/grids/${OLD}`)).json().retiredAt);
    const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const before = `${local(retiredAt - DAY)} 09:00`;
    const after = `${local(retiredAt + DAY)} 09:00`;
    const csv = [
      'external_id,reported_at,category,status,lon,lat,grid,description,source',
      `R-1,${before},01001,已上报,${EAST.lon},${EAST.lat},,重划前,网格员上报`,
      `R-2,${after},01001,已上报,${EAST.lon},${EAST.lat},,重划后,网格员上报`,
      // the old system named the grid of its day: right before the redraw, a mismatch after it
      `R-3,${before},01001,已上报,${EAST.lon},${EAST.lat},${OLD},旧网格,网格员上报`,
      `R-4,${after},01001,已上报,${EAST.lon},${EAST.lat},${OLD},旧网格,网格员上报`,
    ].join('\n');
    const job = await importHistory(t, csv, 'redrawn.csv');
    expect(job).toMatchObject({ status: 'imported', imported: 3, total: 4 });
    expect(job.problems).toEqual([expect.objectContaining({ line: 5, field: 'grid', code: 'grid_mismatch', value: `${A}006` })]);
    const placed = await t.dbh.db.selectFrom('cases').select(['description', 'grid_code']).where('description', 'like', '%原系统编号 R-%').execute();
    expect(placed.map((c) => [c.description.match(/R-\d/)![0], c.grid_code]).sort()).toEqual([['R-1', OLD], ['R-2', `${A}006`], ['R-3', OLD]]);
  });

  it('a grid whose feature was skipped as invalid is not retired; importing a retired code again puts it back in use', async () => {
    // back to four quarters: 004 again, 005 and 006 left out — but 006's feature is broken and skipped
    const back = { type: 'FeatureCollection', features: [...unchanged(), feature(OLD, square(116.62, 39.8, 116.64, 39.82)), { ...feature(`${A}006`, []), geometry: null }] };
    const res = await importGrids(back, 'retireMissing=true&skipInvalid=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 4, inserted: 0, updated: 4, revived: 1, reshaped: 0 });
    expect(res.json().skipped).toHaveLength(1);
    expect(res.json().retired.map((g: { code: string }) => g.code)).toEqual([`${A}005`]);
    expect((await get(`/api/geo/grids/${OLD}`)).json().retiredAt).toBeNull();
    expect((await get(`/api/geo/grids/${A}006`)).json().retiredAt).toBeNull();
    expect((await get('/api/geo/coverage')).json().overlaps.map((o: { a: string; b: string }) => [o.a, o.b])).toEqual([[OLD, `${A}006`]]); // 006 still lies over 004's east half
    // put 006 away properly: the four quarters tile the district again
    const again = await importGrids({ type: 'FeatureCollection', features: [...unchanged(), feature(OLD, square(116.62, 39.8, 116.64, 39.82))] });
    expect(again.json().retired.map((g: { code: string }) => g.code)).toEqual([`${A}006`]);
    expect((await get('/api/geo/coverage')).json()).toMatchObject({ verdict: 'ok', gridCount: 6 });
    expect((await get(`/api/geo/locate?lon=${EAST.lon}&lat=${EAST.lat}`)).json().gridCode).toBe(OLD);
  });

  it('takes retireMissing only as true or false, and a community outside one\'s jurisdiction is 404 with nothing retired', async () => {
    expect((await importGrids(redrawn(), 'retireMissing=yes')).statusCode).toBe(400);
    const other = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as.admin, payload: { username: 'xhadmin', displayName: '新华管理员', password: 'xinhua-2026x', grants: [{ role: 'admin', divisionCode: '110112002' }] } });
    expect(other.statusCode).toBe(201);
    const headers = await signIn(t.app, 'xhadmin', 'xinhua-2026x');
    const res = await t.app.inject({ method: 'POST', url: '/api/geo/grids/import?retireMissing=true', headers, payload: redrawn() });
    expect(res.statusCode).toBe(404);
    // nor may they change a member of another street
    const change = await t.app.inject({ method: 'PUT', url: `/api/team/${memberId}`, headers, payload: { name: '孙网格员', role: 'grid_worker', gridCodes: ['110112002001001'] } });
    expect(change.statusCode).toBe(404);
    expect((await get(`/api/geo/grids/${OLD}`)).json().retiredAt).toBeNull();
  });
});
