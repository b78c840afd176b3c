import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPARTMENT_KINDS, MARK_KINDS, MEASURE_KEYS, measuresOfMark, zeroMeasures, type MarkKind, type Measures } from '../../../shared/evaluation/measures.js';
import { dayOfInstant, firstDayOfMonth, monthOfDay, startOfDayNumber, type DayRange } from '../../../shared/evaluation/periods.js';
import { createTestApp, type TestContext } from '../../../../test/support/app.js';
import type { Db } from '../../platform/db.js';
import { CaseDriver, evaluationRows } from './evaluation.testing.js';
import { bj, CG, D1, GA, GRID_A, GW1, GW2, SZ, URGENT } from './fixtures.testing.js';
import type { Action, ActionInput, CaseActor } from '../../../shared/cases/index.js';
import { opArb as workloadOp, runWorkload as runOps, WORKLOAD_GRIDS, type Op } from './workload.testing.js';
import * as migration015 from '../../db/migrations/015_eval_small_area_months.js';
import { bucketOfMs } from './rollup.js';
import { rebuildStats } from './stats.js';
import { areaBreakdown, areasBelow, areaTotals, durationHistograms, gridHistograms, marksBreakdown, marksHistograms } from './stats.query.js';

/**
 * Incremental counts equal a full recount: after any random workload through the workflow (every
 * event through applyEventToStats in its own transaction), the rollups, histograms, people and
 * marks are exactly what rebuildStats computes from case_events. On PostgreSQL the same holds when
 * many transactions commit concurrently.
 */
let t: TestContext;
let db: Db;
beforeAll(async () => {
  t = await createTestApp();
  db = t.dbh.db;
});
afterAll(() => t?.close());

const GRIDS = WORKLOAD_GRIDS;
// one case created for every three actions tried, so cases get long histories
const opArb = workloadOp(3, { min: 0, max: 12 * 60 });
const runWorkload = (ops: readonly Op[], start: number, driver: CaseDriver) => runOps(db, driver, ops, start, { forward: false, skip: ['urge', 'instruct'] });

const nonZero = (m: Map<string, Measures>) => new Map([...m].filter(([, x]) => Object.values(x).some((v) => v !== 0)));

/**
 * A community's and a grid's breakdowns and a grid's histogram, read as whole months from the
 * rollups and loose days from the marks, equal counting every mark of the range: for ranges cut
 * anywhere (inside one month, across months and years, on month boundaries).
 */
async function smallAreasAgreeWithMarks(ops: readonly Op[], clock: number, since = bj('2026-01-01 00:00')): Promise<void> {
  const first = dayOfInstant(since);
  const last = dayOfInstant(clock) + 3;
  for (const [i, op] of ops.slice(0, 4).entries()) {
    const a = first + (op.pick * 7 + i) % (last - first + 1);
    const b = a + (op.variant * 13) % (last - a + 1);
    const r = i === 0 ? { from: firstDayOfMonth(monthOfDay(a)), to: b } : { from: a, to: b };
    for (const area of [...GRIDS, GRID_A.slice(0, 12)]) {
      for (const dim of ['class', 'source', 'dept'] as const) {
        const read = await areaBreakdown(db, area, r, dim);
        const counted = await marksBreakdown(db, area, r, dim, dim === 'dept' ? DEPARTMENT_KINDS : MARK_KINDS);
        expect(nonZero(read), `${area} ${dim} ${r.from}…${r.to}`).toEqual(nonZero(counted));
      }
    }
    await cutRangesAgreeWithMarks({ ...r, until: startOfDayNumber(r.to) + ((op.pick * 97 + op.variant * 31) % 1440) * 60_000 });
    for (const grid of GRIDS) {
      const [read, counted] = await Promise.all([durationHistograms(db, r, { area: grid }), marksHistograms(db, grid, r, 'all')]);
      expect(read, `${grid} ${r.from}…${r.to}`).toEqual(counted);
    }
    // every grid's histogram inside a wider area (the indicator table's percentiles): month rows and
    // the loose days' marks read for all grids at once, against each grid's marks of the whole range
    const perGrid = new Map<string, Map<number, number>>();
    for (const grid of GRIDS) {
      const h = (await marksHistograms(db, grid, r, 'all')).get('');
      if (h) perGrid.set(grid, h);
    }
    for (const area of ['110112', GRID_A.slice(0, 9), GRID_A.slice(0, 12)]) {
      const expected = new Map([...perGrid].filter(([grid]) => grid.startsWith(area)));
      expect(await gridHistograms(db, area, r), `grids of ${area} ${r.from}…${r.to}`).toEqual(expected);
    }
  }
}

/**
 * A range cut at an instant of its last day (a period running up to now, or the stretch before it)
 * reads what counting its marks up to that instant gives: the headline, the breakdowns and the areas
 * below, for the district, a street, a community and the grids. The marks after it are rounds due
 * later that day (and, for a stretch before, any act after that time of day).
 */
async function cutRangesAgreeWithMarks(r: DayRange & { until: number }): Promise<void> {
  const marks = await db.selectFrom('eval_marks').select(['kind', 'flags', 'value', 'grid_code', 'class', 'source', 'dept'])
    .where('day', '>=', r.from).where('day', '<=', r.to).where('at', '<=', r.until).execute();
  const counted = (area: string, keyOf: (m: (typeof marks)[number]) => string | null) => {
    const out = new Map<string, Measures>();
    for (const m of marks.filter((x) => x.grid_code.startsWith(area))) {
      const key = keyOf(m);
      if (key === null) continue;
      const sum = out.get(key) ?? zeroMeasures();
      for (const { index, sum: bySum } of measuresOfMark(m.kind as MarkKind, Number(m.flags))) sum[MEASURE_KEYS[index]!] += bySum ? Number(m.value) : 1;
      out.set(key, sum);
    }
    return nonZero(out);
  };
  const dept = new Set<string>(DEPARTMENT_KINDS);
  const dims = { class: (m: (typeof marks)[number]) => m.class, source: (m: (typeof marks)[number]) => m.source, dept: (m: (typeof marks)[number]) => (m.dept && dept.has(m.kind) ? m.dept : null) };
  const at = `${r.from}…${r.to} until ${r.until}`;
  for (const area of ['110112', GRID_A.slice(0, 9), GRID_A.slice(0, 12), ...GRIDS]) {
    expect(nonZero(new Map([['', await areaTotals(db, area, r)]])), `${area} ${at}`).toEqual(counted(area, () => ''));
    for (const dim of ['class', 'source', 'dept'] as const) {
      expect(nonZero(await areaBreakdown(db, area, r, dim)), `${area} ${dim} ${at}`).toEqual(counted(area, dims[dim]));
    }
  }
  for (const [area, level, length] of [['110112', 20, 9], ['110112', 0, 15], [GRID_A.slice(0, 12), 0, 15]] as const) {
    expect(nonZero(await areasBelow(db, area, level, r)), `below ${area} ${level} ${at}`).toEqual(counted(area, (m) => m.grid_code.slice(0, length)));
  }
}

describe('incremental counts', () => {
  it('equal a full recount after any workload', async () => {
    const driver = new CaseDriver(db);
    let clock = bj('2026-01-05 09:00');
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' }), async (ops) => {
        clock = await runWorkload(ops, clock, driver);
        const incremental = await evaluationRows(db);
        await rebuildStats(db, { casesPerBatch: 7 });
        expect(await evaluationRows(db)).toEqual(incremental);
        await smallAreasAgreeWithMarks(ops, clock);
        runs++;
      }),
      { numRuns: 15, seed: 20130101 },
    );
    expect(runs).toBe(15);
    const events = await db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBeGreaterThan(250);
  }, 600_000);

  it('equal a full recount when transactions commit concurrently', async () => {
    const driver = new CaseDriver(db);
    const at = bj('2031-03-03 09:00');
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) =>
      driver.create({ grid_code: GRIDS[i % 3]!, lon: 116.6, lat: 39.9, address: null, description: '并发' }, 'report',
        { source: 'grid_worker', level: 'district', filing: URGENT, category_code: URGENT.category_code }, GW1, at + i)));
    const steps: [Action, (i: number) => ActionInput, CaseActor | ((i: number) => CaseActor)][] = [
      ['accept', () => ({ filing: URGENT }), D1],
      ['dispatch', (i) => ({ department: ['CG', 'SZ', 'GA'][i % 3] }), D1],
      ['claim', () => ({}), (i) => [CG, SZ, GA][i % 3]!],
      ['feedback', () => ({ comment: '好', photos: ['p'] }), (i) => [CG, SZ, GA][i % 3]!],
      ['check_pass', () => ({}), GW2],
      ['close', () => ({}), D1],
    ];
    for (const [k, [action, input, actor]] of steps.entries()) {
      await Promise.all(ids.map((id, i) => driver.act(id, action, input(i), typeof actor === 'function' ? actor(i) : actor, at + (k + 1) * 600_000 + i)));
    }
    const incremental = await evaluationRows(db);
    await rebuildStats(db);
    expect(await evaluationRows(db)).toEqual(incremental);
    // the same when cases close over several months (handling-time histograms of grids, departments)
    const later = bj('2031-05-20 09:00');
    for (let i = 0; i < 30; i++) {
      const t0 = later + i * 3 * 86_400_000;
      const id = await driver.create({ grid_code: GRIDS[i % 3]!, lon: 116.6, lat: 39.9, address: null, description: '跨月' }, 'report',
        { source: 'grid_worker', level: 'district', filing: URGENT, category_code: URGENT.category_code }, GW1, t0);
      for (const [k, [action, input, actor]] of steps.entries()) {
        await driver.act(id, action, input(i), typeof actor === 'function' ? actor(i) : actor, t0 + (k + 1) * (i + 1) * 3_600_000);
      }
    }
    const handled = await db.selectFrom('eval_marks').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'handled').where('at', '>=', later).executeTakeFirstOrThrow();
    expect(Number(handled.n)).toBe(30);
    const spread: Op[] = [0, 1, 2, 3].map((k) => ({ create: false, pick: 5 + k * 4, variant: 3 + k * 5, minutes: 0 }));
    await smallAreasAgreeWithMarks(spread, later + 95 * 86_400_000, later);
    const march = await db.selectFrom('eval_stats').select(['closed', 'reported']).where('area', '=', '110112').where('dim', '=', '')
      .where('grain', '=', 'm').where('period', '=', (2031 - 1970) * 12 + 2).executeTakeFirstOrThrow();
    expect(Number(march.closed)).toBe(24);
    expect(Number(march.reported)).toBe(24);
  }, 120_000);

  it('equal what the upgrade to small areas\' month rows (migration 015) writes from the marks', async () => {
    const counted = await evaluationRows(db);
    const small = await db.selectFrom('eval_stats').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '<', 20).where('dim', '<>', '').executeTakeFirstOrThrow();
    expect(Number(small.n)).toBeGreaterThan(100);
    await migration015.down(db);
    expect(await evaluationRows(db)).not.toEqual(counted);
    await migration015.up(db);
    expect(await evaluationRows(db)).toEqual(counted);
  });

  it('puts a handling time in the bucket the server does', () => {
    const starts = migration015.bucketStarts();
    expect(starts.length).toBeGreaterThan(250);
    for (const [i, { lo, bucket }] of starts.entries()) {
      expect(bucketOfMs(lo)).toBe(bucket);
      if (lo > 0) expect(bucketOfMs(lo - 1)).toBe(bucket - 1);
      if (i + 1 < starts.length) expect(bucketOfMs(starts[i + 1]!.lo - 1)).toBe(bucket);
    }
  });
});
