import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replay, type Action, type ActionInput, type CaseActor, type State } from '../../../../shared/cases/index.js';
import { createTestApp, signIn, type TestContext } from '../../../../../test/support/app.js';
import { mulberry32 } from '../../geo/demo/prng.js';
import { categoryTree, historyEnv } from '../history/reference.js';
import { rebuildStats } from '../stats.js';
import { demoYearTargets, planYear, TONGZHOU_2013 } from './plan.js';

/**
 * The demo year (quick size under the test runner): exactly the planned reports and closures, a
 * realistic mix of everything that happens to cases, histories the workflow replays, and counts
 * equal to a full recount.
 */
let t: TestContext;
let leader: Record<string, string>;
const quick = demoYearTargets('quick')!;

beforeAll(async () => {
  t = await createTestApp({}, { demo: true });
  leader = await signIn(t.app, 'leader');
}, 300_000);
afterAll(() => t?.close());

const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: leader })).json();

describe('sizes of the demo year', () => {
  it('builds Tongzhou 2013 in full and one twentieth of it quickly', () => {
    expect(demoYearTargets('full')).toEqual({ year: 2013, reported: 28_172, closed: 27_699 });
    expect(quick).toEqual({ year: 2013, reported: 1409, closed: 1385 });
    expect(demoYearTargets('off')).toBeNull();
    // the refusal names where the size came from: the command's --cases, else the environment
    expect(() => demoYearTargets('lots')).toThrow(/^--cases must be full, quick, off or a number of reports, not lots$/);
    vi.stubEnv('ONEGRID_DEMO_CASES', 'lots');
    try {
      expect(() => demoYearTargets()).toThrow(/^ONEGRID_DEMO_CASES must be full, quick, off or a number of reports, not lots$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('plans the full year with exactly 27,699 cases to close within it', async () => {
    const grids = Array.from({ length: 50 }, (_, i) => `110112001006${String(i + 1).padStart(3, '0')}`);
    const plans = planYear(mulberry32(1), { tree: await categoryTree(t.dbh.db), grids, gridWeight: () => 1, restDay: () => false }, TONGZHOU_2013);
    const fates = plans.reduce<Record<string, number>>((a, p) => ({ ...a, [p.fate]: (a[p.fate] ?? 0) + 1 }), {});
    expect(plans).toHaveLength(28_172);
    expect(fates.close).toBe(27_699);
    expect(plans.every((p, i) => i === 0 || plans[i - 1]!.t0 <= p.t0)).toBe(true);
  });
});

describe('the quick demo year', () => {
  it('shows the planned reports, closures and completion rate for 2013', async () => {
    const d = await get('/api/evaluation/dashboard?period=2013');
    expect(d.figures.values.reported).toBe(quick.reported);
    expect(d.figures.values.closed).toBe(quick.closed);
    expect(d.figures.values.completion_rate).toBeCloseTo(0.983, 3);
  });

  it('has a realistic mix: sources, categories, returns, rework, postponements, suspensions, lateness, duplicates', async () => {
    const d = await get('/api/evaluation/dashboard?period=2013');
    const v = d.figures.values;
    for (const k of ['returned', 'rework', 'postponed', 'suspended', 'cancelled', 'rejected', 'merged', 'verified']) expect(v[k], k).toBeGreaterThan(0);
    expect(v.handled_on_time / v.handled).toBeGreaterThan(0.75);
    expect(v.handled_on_time / v.handled).toBeLessThan(0.97); // some are late
    expect(v.dispatch_accuracy).toBeLessThan(1);
    expect(d.sources.length).toBeGreaterThanOrEqual(5);
    expect(d.categories.length).toBeGreaterThanOrEqual(15);
    expect(d.trend.points).toHaveLength(12);
    expect(d.trend.points.every((p: { reported: number }) => p.reported > 0)).toBe(true);
    expect(d.children.rows).toHaveLength(22);
    expect(d.workers.length).toBeGreaterThan(0);
    expect(d.departments.length).toBeGreaterThan(5);
  });

  it('writes histories the workflow replays to the very state of each case', async () => {
    const cases = await t.dbh.db.selectFrom('cases').select(['id', 'state']).where('created_at', '<', Date.UTC(2014, 0, 1)).orderBy('id').execute();
    const sample = cases.filter((_, i) => i % 7 === 0);
    const events = await t.dbh.db.selectFrom('case_events').selectAll().where('case_id', 'in', sample.map((c) => c.id)).orderBy('case_id').orderBy('seq').execute();
    for (const c of sample) {
      const history = events.filter((e) => Number(e.case_id) === Number(c.id)).map((e) => ({
        action: e.action as Action, input: JSON.parse(e.input) as ActionInput, at: Number(e.at),
        actor: { id: e.actor_id, kind: e.actor_kind, permissions: ['cases.report', 'cases.verify', 'cases.accept', 'cases.dispatch', 'cases.handle', 'cases.check', 'cases.close', 'cases.request', 'cases.approve', 'cases.merge', 'cases.self_resolve'], level: e.actor_level, division_code: e.actor_division_code, department_code: e.actor_department_code } as CaseActor,
      }));
      expect(replay(history, historyEnv(), String(c.id))?.state).toBe(c.state as State);
    }
  });

  it('keeps counts equal to a full recount', async () => {
    const before = await get('/api/evaluation/indicators?subject=street&period=2013');
    const dBefore = await get('/api/evaluation/dashboard?period=2013');
    await rebuildStats(t.dbh.db);
    expect(await get('/api/evaluation/indicators?subject=street&period=2013')).toEqual(before);
    expect(await get('/api/evaluation/dashboard?period=2013')).toEqual(dBefore);
  });
});
