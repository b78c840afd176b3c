import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import { buildHistory, GRID_A, type History } from './fixtures.testing.js';

/**
 * Each indicator on a small hand-built history with known answers (fixtures.testing.ts): rework,
 * a return, a postponement, a suspension, a cancellation, a rejection, a merged duplicate, a case
 * crossing the month boundary and one left overdue. The expected figures are worked out by hand
 * from the event times in the comments.
 */
let t: TestContext;
let h: History;
let leader: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  h = await buildHistory(t.dbh.db);
  leader = await signIn(t.app, 'leader');
});
afterAll(() => t?.close());

const get = async (url: string, headers = leader) => {
  const res = await t.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.json() };
};

describe('area figures for March 2026', () => {
  it('counts each indicator of the district as worked out by hand', async () => {
    const { status, body } = await get('/api/evaluation/dashboard?period=2026-03');
    expect(status).toBe(200);
    expect(body.area).toMatchObject({ code: '110112', subject: 'district' });
    expect(body.figures.values).toMatchObject({
      reported: 8, // A B C D E G H I; the merged duplicate F counts once, as A
      valid: 7, // all but E (rejected)
      rejected: 1,
      merged: 1,
      verified: 2, // B (late: due 12:00, verified 14:00) and D (on time)
      verified_on_time: 1,
      accepted: 7,
      dispatched: 6, // A, B twice, C, G, H
      dispatched_on_time: 6,
      dispatch_accurate: 4, // B's first went back (returned), its second was reworked
      due: 4, // A, B's two rounds, and H falling due on 03-09 unhandled; C is suspended
      handled: 3,
      handled_on_time: 2, // B's rework round was due 15:00, handled 16:00
      returned: 1,
      rework: 1,
      postponed: 1,
      suspended: 1,
      cancelled: 1,
      closed: 2, // A and B; G closes in April
      closed_on_time: 1, // B's last round was late
      checked: 3,
      checked_on_time: 2, // B's failed check came at 13:00, due 12:00
    });
    expect(body.figures.values.completion_rate).toBeCloseTo(2 / 8, 4);
    expect(body.figures.values.on_time_closure_rate).toBeCloseTo(0.5, 4);
    expect(body.figures.values.dispatch_accuracy).toBeCloseTo(4 / 6, 4);
    expect(body.figures.values.handle_on_time_rate).toBeCloseTo(2 / 4, 4);
    expect(body.figures.values.rework_rate).toBeCloseTo(1 / 4, 4);
    expect(body.figures.values.missed_rate).toBeCloseTo(2 / 7, 4); // B and D found by residents
    // handling rounds: A 29 h 20 min, B 43 h 20 min, B's rework 3 h
    expect(body.figures.values.avg_handling_hours).toBeCloseTo((29 + 1 / 3 + 43 + 1 / 3 + 3) / 3, 2);
    const p90 = body.figures.values.p90_handling_hours as number;
    expect(p90).toBeGreaterThanOrEqual(43 + 1 / 3);
    expect(p90).toBeLessThanOrEqual((43 + 1 / 3) * 1.1);
  });

  it('moves a case that crosses the month boundary into the month of each event', async () => {
    const april = (await get('/api/evaluation/dashboard?period=2026-04')).body.figures.values;
    // G was due 19:20 on 03-31 (2 urgent hours from 17:20) and handled 04-01 10:00: late
    expect(april).toMatchObject({ reported: 0, closed: 1, closed_on_time: 0, handled: 1, handled_on_time: 0, due: 1, checked: 1, checked_on_time: 1 });
    const quarter = (await get('/api/evaluation/dashboard?period=2026-Q1')).body.figures.values;
    expect(quarter).toMatchObject({ reported: 8, closed: 2 });
    const range = (await get('/api/evaluation/dashboard?from=2026-03-31&to=2026-04-01')).body.figures.values;
    expect(range).toMatchObject({ reported: 1, accepted: 1, dispatched: 1, closed: 1 });
    const week = (await get('/api/evaluation/dashboard?period=2026-W10')).body.figures.values; // 03-02 … 03-08
    expect(week).toMatchObject({ reported: 5, closed: 2, cancelled: 1, suspended: 1, merged: 1 });
    const day = (await get('/api/evaluation/dashboard?period=2026-03-09')).body.figures.values;
    expect(day).toMatchObject({ reported: 1, due: 1, handled: 0 });
  });

  it('compares with the period before (上期): March for April, the days just before any other range', async () => {
    const april = (await get('/api/evaluation/dashboard?period=2026-04')).body;
    const march = (await get('/api/evaluation/dashboard?period=2026-03')).body;
    expect(april.previous.range).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    // the same figures as March's own dashboard, less the 90th percentile the comparison does not read
    const { p90_handling_hours: p90, ...marchValues } = march.figures.values;
    expect(p90).not.toBeNull();
    expect(april.previous.figures.values).toEqual({ ...marchValues, p90_handling_hours: null });
    expect(march.previous.range).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(march.previous.figures.values).toMatchObject({ reported: 0, closed: 0 });
    // a range that does not start on the first of a month: as many days just before it
    const days = (await get('/api/evaluation/dashboard?from=2026-04-02&to=2026-04-03')).body.previous;
    expect(days.range).toEqual({ from: '2026-03-31', to: '2026-04-01' });
    expect(days.figures.values).toMatchObject({ reported: 1, accepted: 1, dispatched: 1, closed: 1 }); // as that range's own, above
  });

  it('gives the trend per day for a month, per week for a quarter and per month for a year', async () => {
    const month = (await get('/api/evaluation/dashboard?period=2026-03')).body.trend;
    expect(month.grain).toBe('day');
    expect(month.points).toHaveLength(31);
    expect(month.points.find((p: { start: string }) => p.start === '2026-03-02').reported).toBe(2);
    expect(month.points.reduce((a: number, p: { reported: number }) => a + p.reported, 0)).toBe(8);
    const year = (await get('/api/evaluation/dashboard?period=2026')).body.trend;
    expect(year.grain).toBe('month');
    expect(year.points.map((p: { closed: number }) => p.closed).slice(0, 5)).toEqual([0, 0, 2, 1, 0]);
    const quarter = (await get('/api/evaluation/dashboard?period=2026-Q1')).body.trend;
    expect(quarter.grain).toBe('week');
  });

  it('breaks the area down by category, source, street, community and grid', async () => {
    const body = (await get('/api/evaluation/dashboard?period=2026-03')).body;
    const byClass = Object.fromEntries(body.categories.map((c: { code: string; reported: number }) => [c.code, c.reported]));
    expect(byClass).toEqual({ '01': 6, '06': 1, '00': 1 }); // B C D G H I filed as 01001, A as 06012; E never got a category
    const bySource = Object.fromEntries(body.sources.map((s: { source: string; reported: number }) => [s.source, s.reported]));
    expect(bySource).toEqual({ grid_worker: 5, resident: 3 });
    const streets = Object.fromEntries(body.children.rows.map((r: { id: string; figures: { values: { reported: number } } }) => [r.id, r.figures.values.reported]));
    expect(streets['110112001']).toBe(7);
    expect(streets['110112002']).toBe(1);
    expect(Object.keys(streets)).toHaveLength(22);
    const community = (await get(`/api/evaluation/dashboard?period=2026-03&area=${GRID_A.slice(0, 12)}`)).body;
    expect(community.children.subject).toBe('grid');
    expect(community.figures.values.reported).toBe(7);
    const grid = (await get(`/api/evaluation/dashboard?period=2026-03&area=${GRID_A}`)).body;
    expect(grid.figures.values).toMatchObject({ reported: 7, accepted: 6, closed: 2 });
    expect(grid.children.subject).toBeNull();
    expect(Object.fromEntries(grid.categories.map((c: { code: string; reported: number }) => [c.code, c.reported]))).toEqual({ '01': 5, '06': 1, '00': 1 });
  });
});

describe('ranges read as a year less what lies outside them', () => {
  it('give the figures of the same range read piece by piece', async () => {
    // 03-05 … 12-31 is read as the year 2026 less January 1 – March 4 (when A, B and C were reported);
    // 03-05 … 06-30, the same events (nothing happens after April), piece by piece
    const shown = (b: Record<string, unknown>) => ({ ...b, range: null, trend: null, previous: null });
    for (const area of ['', `&area=${GRID_A.slice(0, 9)}`]) {
      const cut = (await get(`/api/evaluation/dashboard?from=2026-03-05&to=2026-12-31${area}`)).body;
      const pieces = (await get(`/api/evaluation/dashboard?from=2026-03-05&to=2026-06-30${area}`)).body;
      expect(cut.figures.values.reported).toBeGreaterThan(0);
      expect(cut.workers.length).toBeGreaterThan(0);
      expect(shown(cut)).toEqual(shown(pieces));
    }
    const workers = (to: string) => get(`/api/evaluation/indicators?subject=worker&from=2026-03-05&to=${to}`);
    expect((await workers('2026-12-31')).body.rows).toEqual((await workers('2026-06-30')).body.rows);
  });
});

describe('people and departments', () => {
  const row = (rows: { id: string }[], id: string) => rows.find((r) => r.id === id) as unknown as { figures: { values: Record<string, number>; score: number; grade: string } };

  it('scores grid workers 40/20/20/20 on valid reports, verification, checks and their grid\'s missed rate', async () => {
    const { body } = await get('/api/evaluation/indicators?subject=worker&period=2026-03');
    const gw1 = row(body.rows, 'user:101');
    expect(gw1.figures.values).toMatchObject({ reported: 4, valid: 4, verified: 2, verified_on_time: 1, checked: 0 });
    expect(gw1.figures.values.missed_rate).toBeCloseTo(2 / 6, 4); // grid A: 6 accepted, B and D found by residents
    // (40 × 1 + 20 × 0.5 + 20 × (1 − 1/3)) ÷ 80, the check rate having no denominator
    expect(gw1.figures.score).toBeCloseTo(79.2, 1);
    expect(gw1.figures.grade).toBe('B');
    const gw2 = row(body.rows, 'user:102');
    expect(gw2.figures.values).toMatchObject({ checked: 3, checked_on_time: 2 });
    expect(gw2.figures.score).toBeCloseTo(66.7, 1);
    expect(gw2.figures.grade).toBe('C');
  });

  it('scores dispatchers on on-time and accurate dispatch', async () => {
    const { body } = await get('/api/evaluation/indicators?subject=dispatcher&period=2026-03');
    const d1 = row(body.rows, 'user:201');
    expect(d1.figures.values).toMatchObject({ accepted: 7, rejected: 1, dispatched: 6, dispatched_on_time: 6, dispatch_accurate: 4 });
    expect(d1.figures.score).toBeCloseTo(83.3, 1);
    expect(d1.figures.grade).toBe('B');
  });

  it('scores departments on closures, on-time handling and rework against what fell due', async () => {
    const { body } = await get('/api/evaluation/indicators?subject=department&period=2026-03');
    const cg = row(body.rows, 'CG');
    expect(cg.figures.values).toMatchObject({ dispatched: 3, due: 3, handled: 3, handled_on_time: 2, rework: 1, closed: 2, closed_on_time: 1, postponed: 1, returned: 0 });
    expect(cg.figures.score).toBeCloseTo(66.7, 1);
    const sz = row(body.rows, 'SZ');
    expect(sz.figures.values).toMatchObject({ dispatched: 2, returned: 1, due: 1, handled: 0 });
    expect(sz.figures.score).toBeCloseTo(20, 1);
    expect(sz.figures.grade).toBe('E');
    const ga = row(body.rows, 'GA');
    expect(ga.figures.values).toMatchObject({ dispatched: 1, suspended: 1, due: 0 });
    expect(ga.figures.score).toBeNull();
  });

  it('applies weights an admin changes, and refuses them to others', async () => {
    const admin = await signIn(t.app, 'admin');
    const weights = (await get('/api/evaluation/weights', admin)).body;
    const changed = { ...weights, dispatcher: { dispatch_on_time_rate: 0, dispatch_accuracy: 100 } };
    const denied = await t.app.inject({ method: 'PUT', url: '/api/evaluation/weights', headers: leader, payload: changed });
    expect(denied.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/evaluation/weights', headers: admin, payload: { ...weights, grades: { A: 50, B: 75, C: 60, D: 40 } } });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'PUT', url: '/api/evaluation/weights', headers: admin, payload: changed });
    expect(ok.statusCode).toBe(200);
    const d1 = row((await get('/api/evaluation/indicators?subject=dispatcher&period=2026-03')).body.rows, 'user:201');
    expect(d1.figures.score).toBeCloseTo(66.7, 1);
    await t.app.inject({ method: 'PUT', url: '/api/evaluation/weights', headers: admin, payload: weights });
  });
});

describe('rankings', () => {
  type Row = { id: string; ranked: boolean; figures: { score: number | null; values: Record<string, number | null> } };

  it('place a subject with less work than the least the weights set after every ranked one, its score kept', async () => {
    const admin = await signIn(t.app, 'admin');
    const weights = (await get('/api/evaluation/weights', admin)).body;
    expect(weights.rankMinimum).toBe(5);
    const table = async () => (await get('/api/evaluation/indicators?subject=department&period=2026-03')).body.rows as Row[];
    const put = (w: object) => t.app.inject({ method: 'PUT', url: '/api/evaluation/weights', headers: admin, payload: w });
    // a department's work is what fell due to it: CG 3, SZ 1, GA 0; by default (5) none takes a place
    expect((await table()).map((r) => [r.id, r.ranked, r.figures.values.due])).toEqual([['CG', false, 3], ['SZ', false, 1], ['GA', false, 0]]);

    // the least at 2, with SZ's score above CG's: CG takes the first place, SZ follows with its score
    const swapped = { ...weights, rankMinimum: 2, department: { dept_closure_rate: 0, handle_on_time_rate: 0, rework_rate: 100 } };
    expect((await put(swapped)).statusCode).toBe(200);
    const rows = await table();
    const score = (id: string) => rows.find((r) => r.id === id)!.figures.score!;
    expect(score('SZ')).toBeGreaterThan(score('CG')); // SZ: no rework against 1 due; CG: 1 rework of 3
    expect(rows.map((r) => [r.id, r.ranked])).toEqual([['CG', true], ['SZ', false], ['GA', false]]);
    // 0 ranks everyone, by score alone (GA has none: last)
    expect((await put({ ...swapped, rankMinimum: 0 })).statusCode).toBe(200);
    expect((await table()).map((r) => [r.id, r.ranked])).toEqual([['SZ', true], ['CG', true], ['GA', true]]);

    // a dashboard's rankings follow the same rule; a grid worker's work is their reports, verifications and checks
    expect((await put({ ...weights, rankMinimum: 2 })).statusCode).toBe(200);
    const dash = (await get('/api/evaluation/dashboard?period=2026-03')).body;
    expect(dash.departments.map((r: Row) => [r.id, r.ranked])).toEqual([['CG', true], ['SZ', false], ['GA', false]]);
    // both say the least in force, for the screens to tell
    expect(dash.rankMinimum).toBe(2);
    expect((await get('/api/evaluation/indicators?subject=department&period=2026-03')).body.rankMinimum).toBe(2);
    const work = (r: Row) => ['reported', 'verified', 'checked'].reduce((n, k) => n + (r.figures.values[k] ?? 0), 0);
    expect(dash.workers.length).toBeGreaterThan(1);
    for (const r of dash.workers as Row[]) expect(r.ranked).toBe(work(r) >= 2);
    const firstUnranked = (dash.workers as Row[]).findIndex((r) => !r.ranked);
    if (firstUnranked >= 0) expect((dash.workers as Row[]).slice(firstUnranked).every((r) => !r.ranked)).toBe(true);

    // refused: not a whole number, below 0; weights saved before the least existed read as the default
    expect((await put({ ...weights, rankMinimum: -1 })).statusCode).toBe(400);
    expect((await put({ ...weights, rankMinimum: 2.5 })).statusCode).toBe(400);
    const { rankMinimum: _left, ...older } = weights;
    expect((await put(older)).json().rankMinimum).toBe(5);
    expect((await put(weights)).statusCode).toBe(200);
  });
});

describe('the cases behind a figure', () => {
  const ids = (body: { items: { caseId: number }[] }) => body.items.map((i) => i.caseId).sort((a, b) => a - b);

  it('lists exactly the cases a count counts', async () => {
    const reported = (await get('/api/evaluation/cases?indicator=reported&period=2026-03')).body;
    expect(reported.total).toBe(8);
    expect(ids(reported)).toEqual([h.A, h.B, h.C, h.D, h.E, h.G, h.H, h.I].sort((a, b) => a - b));
    const closed = (await get('/api/evaluation/cases?indicator=closed&period=2026-04')).body;
    expect(ids(closed)).toEqual([h.G]);
    const due = (await get('/api/evaluation/cases?indicator=due&period=2026-03&subject=dept:SZ')).body;
    expect(ids(due)).toEqual([h.H]);
    const merged = (await get('/api/evaluation/cases?indicator=merged&period=2026-03')).body;
    expect(ids(merged)).toEqual([h.F]);
  });

  it('marks for a rate which cases are in the numerator, and narrows to the misses', async () => {
    const all = (await get('/api/evaluation/cases?indicator=on_time_closure_rate&period=2026-03')).body;
    expect(all.items.map((i: { caseId: number; hit: boolean }) => [i.caseId, i.hit]).sort()).toEqual([[h.A, true], [h.B, false]].sort());
    const late = (await get('/api/evaluation/cases?indicator=on_time_closure_rate&period=2026-03&only=miss')).body;
    expect(ids(late)).toEqual([h.B]);
    const handled = (await get('/api/evaluation/cases?indicator=avg_handling_hours&period=2026-03')).body;
    expect(handled.items.map((i: { hours: number }) => i.hours).sort((a: number, b: number) => a - b)).toEqual([3, 29.33, 43.33]);
  });

  it('lists for every rate its denominator, the numerator marked where the rows hold it', async () => {
    const rows = async (indicator: string, subject = '') =>
      ((await get(`/api/evaluation/cases?indicator=${indicator}&period=2026-03${subject}`)).body.items as { caseId: number; hit: boolean | null }[])
        .map((i) => [i.caseId, i.hit]).sort();
    // 漏报率 2 / 7: the seven acceptances, B and D found by residents
    expect(await rows('missed_rate')).toEqual([[h.A, false], [h.B, true], [h.C, false], [h.D, true], [h.G, false], [h.H, false], [h.I, false]].sort());
    // a grid worker's missed rate is their grid's (2 / 6), and so is the list behind it
    expect(await rows('missed_rate', '&subject=person:user:101')).toEqual([[h.A, false], [h.B, true], [h.C, false], [h.D, true], [h.G, false], [h.H, false]].sort());
    // 按期处置率 2 / 4: A's round on time, B's first round (postponed) on time, its rework round late, H falling due unhandled
    expect(await rows('handle_on_time_rate')).toEqual([[h.A, true], [h.B, true], [h.B, false], [h.H, false]].sort());
    const late = (await get('/api/evaluation/cases?indicator=handle_on_time_rate&period=2026-03&only=miss')).body;
    expect(late.total).toBe(2);
    // 返工率 1 / 4 and 结案率 2 / 4 count reworks and closures on days of their own: the list is what fell due, unmarked
    expect(await rows('rework_rate')).toEqual([[h.A, null], [h.B, null], [h.B, null], [h.H, null]].sort());
    expect(await rows('dept_closure_rate', '&subject=dept:CG')).toEqual([[h.A, null], [h.B, null], [h.B, null]].sort());
    const narrowed = await t.app.inject({ method: 'GET', url: '/api/evaluation/cases?indicator=completion_rate&period=2026-03&only=miss', headers: leader });
    expect(narrowed.statusCode).toBe(400);
    // refused before a file starts
    const exported = await t.app.inject({ method: 'GET', url: '/api/evaluation/cases?indicator=rework_rate&period=2026-03&only=hit&format=csv', headers: leader });
    expect(exported.statusCode).toBe(400);
  });

  it('filters by subject, category and source, and pages with a cursor', async () => {
    const gw1 = (await get('/api/evaluation/cases?indicator=reported&period=2026-03&subject=person:user:101')).body;
    expect(ids(gw1)).toEqual([h.A, h.C, h.G, h.H].sort((a, b) => a - b));
    const residents = (await get('/api/evaluation/cases?indicator=reported&period=2026-03&source=resident')).body;
    expect(ids(residents)).toEqual([h.B, h.D, h.E].sort((a, b) => a - b));
    const sixes = (await get('/api/evaluation/cases?indicator=reported&period=2026-03&class=06')).body;
    expect(ids(sixes)).toEqual([h.A]);
    const page1 = (await get('/api/evaluation/cases?indicator=reported&period=2026-03&limit=5')).body;
    expect(page1.items).toHaveLength(5);
    const page2 = (await get(`/api/evaluation/cases?indicator=reported&period=2026-03&limit=5&after=${page1.next}`)).body;
    expect(page2.items).toHaveLength(3);
    expect(page2.next).toBeNull();
    expect([...ids(page1), ...ids(page2)].sort((a, b) => a - b)).toEqual(ids((await get('/api/evaluation/cases?indicator=reported&period=2026-03')).body));
  });

  it('opens a case with its events and the figures it counts in', async () => {
    const { status, body } = await get(`/api/evaluation/cases/${h.B}`);
    expect(status).toBe(200);
    expect(body.events.map((e: { action: string }) => e.action)).toContain('check_fail');
    expect(body.marks.filter((m: { kind: string }) => m.kind === 'handled')).toHaveLength(2);
    expect(body.marks.find((m: { kind: string }) => m.kind === 'closed').flags).toEqual([]);
  });
});
