import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import { CaseDriver } from './evaluation.testing.js';
import { bj, D1, GRID_A, GW1, ONE_DAY } from './fixtures.testing.js';

/**
 * A period still running is read up to today: a handling round not yet due is not 应处置 yet, so the
 * month's 按期处置率 does not count it as missed before its time. The test clock stands at Monday
 * 2026-11-02 10:00 (Beijing).
 */
let t: TestContext;
let leader: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  leader = await signIn(t.app, 'leader');
  const d = new CaseDriver(t.dbh.db);
  // dispatched this morning with one working day to handle it: due Tuesday 2026-11-03
  const id = await d.create({ grid_code: GRID_A, lon: 116.66, lat: 39.9, address: null, description: '道路不洁' }, 'report',
    { source: 'grid_worker', level: 'district', filing: ONE_DAY, category_code: ONE_DAY.category_code }, GW1, bj('2026-11-02 09:00'));
  await d.act(id, 'accept', { filing: ONE_DAY }, D1, bj('2026-11-02 09:10'));
  await d.act(id, 'dispatch', { department: 'CG' }, D1, bj('2026-11-02 09:20'));
});
afterAll(() => t?.close());

const dashboard = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/evaluation/dashboard?${query}`, headers: leader });
  expect(res.statusCode).toBe(200);
  return res.json() as { range: { from: string; to: string; until?: string }; figures: { values: Record<string, number | null> }; previous: { range: { from: string; to: string; until?: string } } };
};

describe('a period still running', () => {
  it('is read up to today, and compared with the same days of the period before', async () => {
    for (const query of ['period=2026-11', 'period=2026-Q4', 'period=2026', 'from=2026-11-01&to=2026-11-30']) {
      const d = await dashboard(query);
      expect(d.range.to).toBe('2026-11-02');
      expect(d.figures.values.dispatched).toBe(1);
      // the round falls due tomorrow: nothing is due yet, so there is no rate to miss
      expect(d.figures.values.due).toBe(0);
      expect(d.figures.values.handle_on_time_rate).toBeNull();
    }
    expect((await dashboard('period=2026-11')).previous.range).toEqual({ from: '2026-10-01', to: '2026-10-02', until: '2026-10-02T02:00:00.000Z' });
    // the quarter so far against the same stretch of the quarter before, not the two months just before
    expect((await dashboard('period=2026-Q4')).previous.range).toEqual({ from: '2026-07-01', to: '2026-08-02', until: '2026-08-02T02:00:00.000Z' });
    expect((await dashboard('period=2026')).previous.range).toEqual({ from: '2025-01-01', to: '2025-11-02', until: '2025-11-02T02:00:00.000Z' });
    // a period over, or wholly ahead, is read as asked, to the end of its last day
    expect((await dashboard('period=2026-10')).range).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect((await dashboard('period=2026-10')).previous.range).toEqual({ from: '2026-09-01', to: '2026-09-30' });
    expect((await dashboard('period=2026-12')).range).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('counts the round as due only from its due time on, in every figure and list; the day before is read to the same time', async () => {
    const dueAt = Number((await t.dbh.db.selectFrom('cases').select('due_at').executeTakeFirstOrThrow()).due_at);
    // the morning of the day it falls due, before its time
    t.clock.set(bj('2026-11-03 08:00'));
    leader = await signIn(t.app, 'leader');
    expect(dueAt).toBeGreaterThan(bj('2026-11-03 08:00'));
    expect(dueAt).toBeLessThan(bj('2026-11-04 00:00'));
    type Row = { id: string; figures: { values: Record<string, number | null> } };
    const read = async (query: string) => {
      const d = (await dashboard(query)) as Awaited<ReturnType<typeof dashboard>> & {
        trend: { points: { start: string; due: number }[] }; departments: Row[]; children: { rows: Row[] };
        previous: { figures: { values: Record<string, number | null> } };
      };
      const behind = (await t.app.inject({ method: 'GET', url: `/api/evaluation/cases?indicator=handle_on_time_rate&${query}`, headers: leader })).json();
      return {
        due: d.figures.values.due, rate: d.figures.values.handle_on_time_rate, behind: behind.total,
        trend: d.trend.points.reduce((n, p) => n + p.due, 0),
        streets: d.children.rows.reduce((n, r) => n + (r.figures.values.due ?? 0), 0),
        cg: d.departments.find((r) => r.id === 'CG')?.figures.values.due ?? 0,
        before: d.previous.figures.values.reported,
      };
    };
    for (const query of ['period=2026-11', 'period=2026-11-03', 'from=2026-11-01&to=2026-11-03']) {
      expect(await read(query)).toMatchObject({ due: 0, rate: null, behind: 0, trend: 0, streets: 0, cg: 0 });
    }
    // today so far against yesterday to the same time: the case reported yesterday at 09:00 is not in it
    expect((await read('period=2026-11-03')).before).toBe(0);
    // the answers say up to when they read: now, and for the day before the same time
    expect((await dashboard('period=2026-11-03')).range).toEqual({ from: '2026-11-03', to: '2026-11-03', until: '2026-11-03T00:00:00.000Z' });
    expect((await dashboard('period=2026-11-03')).previous.range).toEqual({ from: '2026-11-02', to: '2026-11-02', until: '2026-11-02T00:00:00.000Z' });
    // a minute after its time, unhandled: due, and missed, wherever it is counted
    t.clock.set(dueAt + 60_000);
    leader = await signIn(t.app, 'leader');
    for (const query of ['period=2026-11', 'period=2026-11-03']) {
      expect(await read(query)).toMatchObject({ due: 1, rate: 0, behind: 1, trend: 1, streets: 1, cg: 1 });
    }
    expect((await read('period=2026-11-03')).before).toBe(1);
  });

  it('counts the round as due, and missed, once its day has come and gone unhandled', async () => {
    const drill = async () => (await t.app.inject({ method: 'GET', url: '/api/evaluation/cases?indicator=handle_on_time_rate&period=2026-11', headers: leader })).json();
    t.clock.set(bj('2026-11-04 10:00'));
    leader = await signIn(t.app, 'leader');
    const d = await dashboard('period=2026-11');
    expect(d.range.to).toBe('2026-11-04');
    expect(d.figures.values.due).toBe(1);
    expect(d.figures.values.handle_on_time_rate).toBe(0);
    const behind = await drill();
    expect(behind.total).toBe(1);
    expect(behind.items[0].hit).toBe(false);
  });
});
