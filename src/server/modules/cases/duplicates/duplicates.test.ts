import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn } from '../../../../../test/support/app.js';
import { act, IN_A1, IN_B1, must, report, type CaseOut, type CasesTestContext, withCaseDistrict } from '../cases.testing.js';
import { boxAround, haversineM } from './duplicates.service.js';

/**
 * Duplicates through HTTP: 06010 暴露垃圾 has a 50 m radius and a 24 h window. Candidates come
 * with the report, before submitting and for a case; a merged duplicate is not offered again.
 */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const M_PER_DEG_LAT = 111_195.08;
const north = (m: number) => ({ lon: IN_A1.lon, lat: IN_A1.lat + m / M_PER_DEG_LAT });
const HOUR = 3_600_000;

async function reported(at: { lon: number; lat: number }, category = '06010', who: 'gridworker' | 'district' = 'gridworker') {
  const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as[who], payload: { ...at, description: '路边暴露垃圾', category_code: category } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { case: CaseOut; duplicates: { id: number; distanceM: number; state: string }[] };
}
const near = async (who: 'gridworker' | 'street' | 'district' | 'leader', at: { lon: number; lat: number }, category = '06010') =>
  t.app.inject({ method: 'GET', url: `/api/cases/duplicates?category=${category}&lon=${at.lon}&lat=${at.lat}`, headers: t.as[who] });

describe('geometry', () => {
  it('measures metres on the ground and boxes the radius generously', () => {
    expect(haversineM(IN_A1.lon, IN_A1.lat, north(30).lon, north(30).lat)).toBeCloseTo(30, 1);
    const box = boxAround(116.61, 39.83, 50);
    expect(haversineM(116.61, 39.83, box.maxLon, 39.83)).toBeGreaterThan(50);
    expect(haversineM(116.61, 39.83, 116.61, box.minLat)).toBeGreaterThan(50);
  });
});

let a: CaseOut, b: CaseOut;

describe('duplicate candidates', () => {

  it('come with a report: same category, inside the radius', async () => {
    a = (await reported(north(0))).case;
    const second = await reported(north(30));
    b = second.case;
    expect(second.duplicates).toEqual([{ id: a.id, number: a.number, state: 'pending_acceptance', distanceM: 30 }]);
    // 120 m away: outside the radius of both
    expect((await reported(north(120))).duplicates).toEqual([]);
    // 06012 道路不洁 at the same spot is another problem
    expect((await reported(north(0), '06012')).duplicates).toEqual([]);
  });

  it('are offered before submitting, nearest first', async () => {
    const res = await near('gridworker', north(10));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ radiusM: 50, windowH: 24 });
    expect(res.json().items.map((i: { id: number; distanceM: number }) => [i.id, i.distanceM])).toEqual([[a.id, 10], [b.id, 20]]);
  });

  it('are listed for a case, without the case itself', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/${b.id}/duplicates`, headers: t.as.district });
    expect(res.json().items.map((i: { id: number }) => i.id)).toEqual([a.id]);
  });

  it('a merged duplicate is linked to its original and never offered again', async () => {
    const merged = await must(t, 'district', b, 'merge', { original_case_id: String(a.id) });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: a.id });
    const items = (await near('district', north(10))).json().items.map((i: { id: number }) => i.id);
    expect(items).toEqual([a.id]);
  });

  it('a case is merged only into one that carries the problem on, also when two merges cross at once', async () => {
    const make = async (n: number) => report(t, 'gridworker', { ...north(-3), description: `交叉合并 ${n}` });
    // into a case merged itself: refused
    const [x, y] = [await make(1), await make(2)];
    const merged = await must(t, 'district', x, 'merge', { original_case_id: String(a.id) });
    expect(merged.state).toBe('merged');
    const intoMerged = await act(t, 'district', y, 'merge', { original_case_id: String(x.id) });
    expect(intoMerged.statusCode).toBe(400);
    expect(intoMerged.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'original_case_id', state: 'merged' } });
    // two dispatchers merge two cases into each other at the same moment: at most one merge stands
    for (let round = 0; round < 3; round++) {
      const [p, q] = [await make(10 + 2 * round), await make(11 + 2 * round)];
      const answers = await Promise.all([
        act(t, 'district', p, 'merge', { original_case_id: String(q.id) }),
        act(t, 'district', q, 'merge', { original_case_id: String(p.id) }),
      ]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual(expect.arrayContaining([200]));
      for (const r of answers) expect([200, 400, 409]).toContain(r.statusCode);
      const states = await t.dbh.db.selectFrom('cases').select('state').where('id', 'in', [p.id, q.id]).execute();
      expect(states.filter((s) => s.state === 'merged')).toHaveLength(1);
    }
  });

  it('a report without a category has nothing to compare with', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.gridworker, payload: { ...north(0), description: '有问题' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().duplicates).toEqual([]);
    const list = await t.app.inject({ method: 'GET', url: `/api/cases/${res.json().case.id}/duplicates`, headers: t.as.district });
    expect(list.json()).toMatchObject({ items: [] });
  });
});

describe('inside a jurisdiction', () => {
  let inB: CaseOut;
  beforeAll(async () => {
    inB = (await reported(IN_B1, '06010', 'district')).case;
  });

  it('a case of another street answers 404, and its neighbours are not shown', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/${inB.id}/duplicates`, headers: t.as.street })).statusCode).toBe(404);
    expect((await near('street', IN_B1)).json().items).toEqual([]);
    expect((await near('district', IN_B1)).json().items.map((i: { id: number }) => i.id)).toEqual([inB.id]);
  });

  it('a report is answered only with candidates its reporter may read', async () => {
    // the border of the two streets runs along lon 116.64: one case just across it, in street B
    const across = (await reported({ lon: 116.64015, lat: 39.825 }, '06005', 'district')).case;
    const here = { lon: 116.63985, lat: 39.825 }; // ~26 m west, in street A
    const street = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.street, payload: { ...here, description: '路边暴露垃圾', category_code: '06005' } });
    expect(street.statusCode, street.body).toBe(201);
    expect(street.json().duplicates).toEqual([]);
    const district = await reported(here, '06005', 'district');
    expect(district.duplicates.map((d) => d.id)).toEqual(expect.arrayContaining([across.id, street.json().case.id]));
  });

  it('asks for a category, a place and the right to report', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/duplicates?lon=${IN_A1.lon}&lat=${IN_A1.lat}`, headers: t.as.district })).statusCode).toBe(400);
    expect((await near('district', { lon: 500, lat: 0 })).statusCode).toBe(400);
    expect((await near('leader', IN_A1)).statusCode).toBe(403);
  });
});

describe('the time window', () => {
  it('older reports are not offered once outside the window, nor later ones to them', async () => {
    t.clock.advance(25 * HOUR);
    for (const u of ['gridworker', 'district'] as const) t.as[u] = await signIn(t.app, u);
    const later = await reported(north(0));
    expect(later.duplicates).toEqual([]);
    const forLater = await t.app.inject({ method: 'GET', url: `/api/cases/${later.case.id}/duplicates`, headers: t.as.district });
    expect(forLater.json().items).toEqual([]);
    // seen from the original, a report 25 h later is outside its window too
    const forA = await t.app.inject({ method: 'GET', url: `/api/cases/${a.id}/duplicates`, headers: t.as.district });
    expect(forA.json().items).toEqual([]);
  });
});
