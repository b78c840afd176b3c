import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { COMMUNITY_A, importHistory, setClock, withCaseDistrict, type CasesTestContext } from '../cases/cases.testing.js';

/**
 * A grid's earlier outlines are kept: when an import moves the boundary between two grids, or puts
 * a retired grid back in use, a historical import still places a past day's point in the grid
 * that held it that day.
 */
const A = COMMUNITY_A;
const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code: string, poly: number[][][]) => ({
  type: 'Feature', properties: { code, name: `网格${code.slice(-3)}`, community_code: A }, geometry: { type: 'Polygon', coordinates: poly },
});
const collection = (...features: object[]) => ({ type: 'FeatureCollection', features });
/** The north row's boundary moved east, 116.62 → 116.63: 001 grows, 002 shrinks. */
const movedNorth = () => collection(feature(`${A}001`, square(116.6, 39.82, 116.63, 39.84)), feature(`${A}002`, square(116.63, 39.82, 116.64, 39.84)));
const quarters = () => collection(
  feature(`${A}003`, square(116.6, 39.8, 116.62, 39.82)), feature(`${A}004`, square(116.62, 39.8, 116.64, 39.82)),
);
/** 004 split into a west 005 and an east 006. */
const split = () => collection(
  ...movedNorth().features, feature(`${A}003`, square(116.6, 39.8, 116.62, 39.82)),
  feature(`${A}005`, square(116.62, 39.8, 116.63, 39.82)), feature(`${A}006`, square(116.63, 39.8, 116.64, 39.82)),
);
/** Between the old and the new north boundary: 002 before the move, 001 after. */
const NORTH = { lon: 116.625, lat: 39.83 };
/** In 004's east half, which was 006 while 004 was split. */
const EAST = { lon: 116.635, lat: 39.81 };
const DAY = 86_400_000;

let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.as.admin });
const importGrids = (payload: object | string, query = '') => t.app.inject({ method: 'POST', url: `/api/geo/grids/import?${query}`, headers: t.as.admin, payload });
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const nextDay = async () => setClock(t, t.clock.now() + 2 * DAY);

/** Imports rows (id, day, point, grid named or '') as history; returns each row's grid and the problems. */
async function placeHistory(rows: [string, number, { lon: number; lat: number }, string][]) {
  const csv = [
    'external_id,reported_at,category,status,lon,lat,grid,description,source',
    ...rows.map(([id, at, p, grid]) => `${id},${local(at)} 09:00,01001,已上报,${p.lon},${p.lat},${grid},历史,网格员上报`),
  ].join('\n');
  const job = await importHistory(t, csv);
  expect(job.status).toBe('imported');
  const placed = await t.dbh.db.selectFrom('cases').select(['description', 'grid_code']).where('description', 'like', '%原系统编号 %').execute();
  const grids = Object.fromEntries(rows.map(([id]) => [id, placed.find((c) => c.description.includes(`原系统编号 ${id}`))?.grid_code ?? null]));
  return { grids, problems: job.problems as { line: number; code: string }[] };
}

describe('a grid given a new outline', () => {
  let movedAt: number;

  it('keeps its earlier outline when its boundary moves, and says how many grids changed', async () => {
    const res = await importGrids(movedNorth());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 2, inserted: 0, updated: 2, revived: 0, reshaped: 2, retired: [] });
    movedAt = t.clock.now();
    const kept = await t.dbh.db.selectFrom('grid_shapes').select(['code', 'name', 'geometry', 'ended_at']).orderBy('code').execute();
    expect(kept.map((k) => [k.code, k.name, Number(k.ended_at)])).toEqual([[`${A}001`, '网格001', movedAt], [`${A}002`, '网格002', movedAt]]);
    expect(JSON.parse(kept[1]!.geometry)).toEqual([square(116.62, 39.82, 116.64, 39.84)]);
    const log = await t.dbh.db.selectFrom('audit_log').select('detail').where('action', '=', 'grids.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(log.detail!)).toMatchObject({ updated: 2, reshaped: 2 });
    // the same file again changes no outline and keeps nothing more
    expect((await importGrids(movedNorth())).json()).toMatchObject({ updated: 2, reshaped: 0 });
    // and so does an export of every grid imported back
    const exported = (await get('/api/geo/export?layer=grids')).json();
    expect((await importGrids(exported)).json()).toMatchObject({ updated: 6, reshaped: 0 });
    expect(await t.dbh.db.selectFrom('grid_shapes').select('id').execute()).toHaveLength(2);
    expect((await get(`/api/geo/locate?lon=${NORTH.lon}&lat=${NORTH.lat}`)).json().gridCode).toBe(`${A}001`);
  });

  it('a historical import places a point in the grid whose outline held it on the row\'s day', async () => {
    await nextDay();
    const { grids, problems } = await placeHistory([
      ['N-1', movedAt - DAY, NORTH, ''], ['N-2', t.clock.now(), NORTH, ''],
      // the old system named the grid of its day: right before the move, a mismatch after it
      ['N-3', movedAt - DAY, NORTH, `${A}002`], ['N-4', t.clock.now(), NORTH, `${A}002`],
    ]);
    expect(grids).toEqual({ 'N-1': `${A}002`, 'N-2': `${A}001`, 'N-3': `${A}002`, 'N-4': null });
    expect(problems).toEqual([expect.objectContaining({ line: 5, code: 'grid_mismatch' })]);
  });

  it('the grids layer of a day before the move draws each moved grid in its earlier outline, instead of today\'s', async () => {
    type Feature = { properties: { code: string; ended_at?: number }; geometry: { coordinates: number[][][][] } };
    const layer = async (query: string) => (await get(`/api/geo/layers/grids${query}`)).json().features as Feature[];
    const then = await layer(`?at=${movedAt - DAY}`);
    const moved = then.filter((f) => f.properties.ended_at === movedAt);
    expect(moved.map((f) => f.properties.code)).toEqual([`${A}001`, `${A}002`]);
    // one outline per grid: today's of a moved grid is left out, not drawn twice
    expect(then.filter((f) => f.properties.code === `${A}002`)).toHaveLength(1);
    expect(moved[1]!.geometry.coordinates).toEqual([square(116.62, 39.82, 116.64, 39.84)]);
    expect((await layer('')).filter((f) => f.properties.ended_at !== undefined)).toEqual([]);
    expect((await layer(`?at=${movedAt}`)).filter((f) => f.properties.ended_at !== undefined)).toEqual([]);
  });

  it('a grid retired and later put back in use holds its place again for the days before its retirement', async () => {
    await nextDay();
    const before = t.clock.now();
    await nextDay();
    expect((await importGrids(split(), 'retireMissing=true')).json().retired.map((g: { code: string }) => g.code)).toEqual([`${A}004`]);
    const splitAt = t.clock.now();
    await nextDay();
    const during = t.clock.now();
    await nextDay();
    const back = await importGrids(collection(...movedNorth().features, ...quarters().features), 'retireMissing=true');
    expect(back.json()).toMatchObject({ revived: 1, reshaped: 0 });
    expect(back.json().retired.map((g: { code: string }) => g.code)).toEqual([`${A}005`, `${A}006`]);
    // 004's outline until the split is kept: it ended when 004 was retired
    const kept = await t.dbh.db.selectFrom('grid_shapes').select(['code', 'ended_at']).where('code', '=', `${A}004`).execute();
    expect(kept.map((k) => Number(k.ended_at))).toEqual([splitAt]);
    await nextDay();
    const { grids } = await placeHistory([['E-1', before, EAST, ''], ['E-2', during, EAST, ''], ['E-3', t.clock.now(), EAST, '']]);
    // before this, E-1 went to 006, a grid drawn only later: a retired grid counted as holding its place since ever
    expect(grids).toEqual({ 'E-1': `${A}004`, 'E-2': `${A}006`, 'E-3': `${A}004` });
  });
});
