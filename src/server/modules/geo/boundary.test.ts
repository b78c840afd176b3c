import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, STREET_A, type TestContext } from '../../../../test/support/app.js';

/**
 * A real district imports its official boundary (区界); the coverage check then holds the grids
 * against it. Before one is set, the check says how to set it.
 */
const C = '110112001006';
const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const grids = () => ({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: `${C}001`, name: '网格001', community_code: C }, geometry: { type: 'Polygon', coordinates: square(116.6, 39.8, 116.62, 39.84) } },
    { type: 'Feature', properties: { code: `${C}002`, name: '网格002', community_code: C }, geometry: { type: 'Polygon', coordinates: square(116.62, 39.8, 116.64, 39.84) } },
  ],
});

let t: TestContext;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  admin = await signIn(t.app, 'admin');
  expect((await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: admin, payload: grids() })).statusCode).toBe(200);
});
afterAll(() => t?.close());

const put = (payload: unknown, headers = admin) => t.app.inject({ method: 'PUT', url: '/api/geo/boundary', headers, payload: payload as object });
const coverage = () => t.app.inject({ method: 'GET', url: '/api/geo/coverage', headers: admin });

describe('the district boundary', () => {
  it('is needed by the coverage check, which says how to set it', async () => {
    const res = await coverage();
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/boundary/);
  });

  it('refuses an outline that is not a polygon, and changes nothing', async () => {
    const bow = { type: 'Polygon', coordinates: [[[116.6, 39.8], [116.64, 39.84], [116.64, 39.8], [116.6, 39.84], [116.6, 39.8]]] };
    const res = await put(bow);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'import_failed', details: { problems: [expect.objectContaining({ reason: 'ring_self_intersection' })] } });
    expect((await put({ type: 'FeatureCollection', features: [] })).statusCode).toBe(422);
    expect((await coverage()).statusCode).toBe(422);
  });

  it('takes a geometry, a feature, or the district\'s feature out of a city\'s file; the coverage check then runs', async () => {
    const res = await put({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(116.6, 39.8, 116.64, 39.84) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: '110112', bbox: [116.6, 39.8, 116.64, 39.84] });
    expect((await coverage()).json()).toMatchObject({ verdict: 'ok', gaps: [], outside: [] });
    // a larger outline: the grids leave a gap, which the check finds
    expect((await put({ type: 'Polygon', coordinates: square(116.6, 39.8, 116.66, 39.84) })).statusCode).toBe(200);
    expect((await coverage()).json().verdict).toBe('problems');
    // the city's file of districts: the one with the district's code is taken
    const city = JSON.parse(readFileSync(new URL('../../../../data/beijing-districts.geojson', import.meta.url), 'utf8'));
    const set = await put(city);
    expect(set.statusCode).toBe(200);
    expect(set.json().areaM2 / 1e6).toBeGreaterThan(800); // 通州区: about 906 km²
    expect(set.json().areaM2 / 1e6).toBeLessThan(1000);
    const log = await t.dbh.db.selectFrom('audit_log').select(['target_id']).where('action', '=', 'division.boundary').execute();
    expect(log).toHaveLength(3);
  });

  it('is set only by those who manage the whole district\'s grids', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { username: 'streetadm', displayName: '街道管理员', password: 'streetadm-2026x', grants: [{ role: 'admin', divisionCode: STREET_A }] } });
    expect(made.statusCode).toBe(201);
    const res = await put({ type: 'Polygon', coordinates: square(116.6, 39.8, 116.64, 39.84) }, await signIn(t.app, 'streetadm', 'streetadm-2026x'));
    expect(res.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: '/api/geo/boundary', headers: await signIn(t.app, 'leader'), payload: { type: 'Polygon' } })).statusCode).toBe(403);
  });
});
