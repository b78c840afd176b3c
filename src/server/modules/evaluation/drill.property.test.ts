import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATORS, type SubjectKind } from '../../../shared/evaluation/indicators.js';
import { MEASURES } from '../../../shared/evaluation/measures.js';
import { dateOfDay, dayOfInstant } from '../../../shared/evaluation/periods.js';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import type { Db } from '../../platform/db.js';
import { CaseDriver } from './evaluation.testing.js';
import { bj, D1, D2, GRID_A, GRID_B, GW1, GW2 } from './fixtures.testing.js';
import { opArb as workloadOp, runWorkload as runOps, WORKLOAD_GRIDS, type Op } from './workload.testing.js';

/**
 * Every figure links to the cases behind it: for random histories, the list behind a count has
 * exactly as many rows as the figure, and the list behind a rate is its denominator with exactly
 * the numerator's rows marked as in it, for every subject (district, street, community, grid,
 * department in each of them, grid worker, dispatcher) and ranges cut anywhere (loose days, whole
 * months, across a year end).
 */
let t: TestContext;
let db: Db;
let leader: Record<string, string>;

const GRIDS = WORKLOAD_GRIDS;
const GRID_C = GRIDS[2]!;

beforeAll(async () => {
  t = await createTestApp();
  db = t.dbh.db;
  for (const code of GRIDS) {
    if (await db.selectFrom('divisions').select('code').where('code', '=', code).executeTakeFirst()) continue;
    await db.insertInto('divisions').values({
      code, level: 0, name: `网格 ${code.slice(-3)}`, parent_code: code.slice(0, 12), sort: Number(code.slice(-3)), geometry: null,
      min_lon: 116.65, min_lat: 39.89, max_lon: 116.67, max_lat: 39.91, area_m2: 250_000, updated_at: 0,
    }).execute();
  }
  leader = await signIn(t.app, 'leader');
});
afterAll(() => t?.close());

// events a minute apart at least, some of them across midnight
const opArb = workloadOp(5, { min: 1, max: 16 * 60 });
const runWorkload = (ops: readonly Op[], start: number, driver: CaseDriver) => runOps(db, driver, ops, start, { forward: true, skip: ['urge', 'instruct', 'comment'] });

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: leader });
  expect(res.statusCode, url).toBe(200);
  return res.json();
};

type Row = { id: string; figures: { values: Record<string, number | null> } };

/** The subjects to check: an indicator table to read the figure from, and how the case list names the row. */
const TABLES: { subject: SubjectKind; area: string; rows: string[]; drill: (id: string) => string }[] = [
  { subject: 'district', area: '110112', rows: ['110112'], drill: (id) => id },
  { subject: 'street', area: '110112', rows: [GRID_A.slice(0, 9), GRID_B.slice(0, 9)], drill: (id) => id },
  { subject: 'community', area: GRID_A.slice(0, 9), rows: [GRID_A.slice(0, 12)], drill: (id) => id },
  { subject: 'grid', area: GRID_A.slice(0, 12), rows: [GRID_A, GRID_C], drill: (id) => id },
  { subject: 'grid', area: GRID_B.slice(0, 12), rows: [GRID_B], drill: (id) => id },
  ...['110112', GRID_A.slice(0, 9), GRID_A.slice(0, 12), GRID_A].map((area) => (
    { subject: 'department' as const, area, rows: ['CG', 'SZ', 'GA'], drill: (id: string) => `dept:${id}&area=${area}` })),
  { subject: 'worker', area: '110112', rows: [GW1.id, GW2.id], drill: (id) => `person:${id}` },
  { subject: 'dispatcher', area: '110112', rows: [D1.id, D2.id], drill: (id) => `person:${id}` },
];

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Each figure of each subject against the list behind it; returns the mismatches, as text. */
async function mismatches(range: { from: number; to: number }): Promise<string[]> {
  const period = `from=${dateOfDay(range.from)}&to=${dateOfDay(range.to)}`;
  const out: string[] = [];
  for (const table of TABLES) {
    const body = await get(`/api/evaluation/indicators?subject=${table.subject}&area=${table.area}&${period}`);
    for (const id of table.rows) {
      const row = (body.rows as Row[]).find((r) => r.id === id);
      if (!row) continue;
      for (const def of INDICATORS.filter((d) => d.drill && d.subjects.includes(table.subject))) {
        const url = `/api/evaluation/cases?indicator=${def.key}&subject=${table.drill(id)}&${period}&limit=1`;
        const total = (await get(url)).total as number;
        const value = row.figures.values[def.key];
        const where = `${table.subject} ${id} (in ${table.area}) ${def.key} ${period}`;
        if (def.type === 'count') {
          if (value !== total) out.push(`${where}: figure ${value}, list ${total}`);
        } else if (def.type === 'rate' && MEASURES[def.num!].kind !== MEASURES[def.den!].kind && !def.drill!.hit) {
          // a numerator counting other events on days of their own (办结率, 结案率, 返工率): the list is the denominator, unmarked
          if (row.figures.values[def.den!] !== total) out.push(`${where}: denominator ${row.figures.values[def.den!]}, list ${total}`);
          const res = await t.app.inject({ method: 'GET', url: `${url}&only=hit`, headers: leader });
          if (res.statusCode !== 400) out.push(`${where}: narrowed to hits (${res.statusCode})`);
        } else if (def.type === 'rate') {
          const hits = (await get(`${url}&only=hit`)).total as number;
          const misses = (await get(`${url}&only=miss`)).total as number;
          const listed = total === 0 ? null : round4(hits / total);
          if (value !== listed || hits + misses !== total) out.push(`${where}: figure ${value}, list ${hits} of ${total} (${misses} missed)`);
        } else if (def.type === 'hours' && total !== row.figures.values.handled) {
          out.push(`${where}: handled ${row.figures.values.handled}, list ${total}`);
        }
      }
    }
  }
  return out;
}

describe('the cases behind every figure', () => {
  it('are as many as a count counts, and for a rate its denominator with its numerator marked', async () => {
    const driver = new CaseDriver(db);
    // from late November, so the histories run across the year end
    const start = bj('2026-11-23 09:00');
    let clock = start;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 60, size: 'max' }), fc.nat(1000), fc.nat(1000), async (ops, a, b) => {
        clock = await runWorkload(ops, clock, driver);
        const first = dayOfInstant(start);
        const last = dayOfInstant(clock) + 2;
        const from = first + (a % (last - first + 1));
        const to = from + (b % (last - from + 1));
        const found = [
          ...(await mismatches({ from, to })),
          // across the year end, with loose days at both ends
          ...(await mismatches({ from: dayOfInstant(bj('2026-12-19 12:00')), to: dayOfInstant(bj('2027-01-12 12:00')) })),
        ];
        expect(found).toEqual([]);
      }),
      { numRuns: 8, seed: 20270101 },
    );
    // the histories went through the whole loop
    const kinds = await db.selectFrom('eval_marks').select('kind').distinct().execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(expect.arrayContaining(['closed', 'due', 'handled', 'merged', 'rework', 'verified']));
    // the year as a whole, and January read as a month
    expect([...(await mismatches({ from: dayOfInstant(bj('2026-01-01 12:00')), to: dayOfInstant(bj('2026-12-31 12:00')) })),
      ...(await mismatches({ from: dayOfInstant(bj('2027-01-01 12:00')), to: dayOfInstant(bj('2027-01-31 12:00')) }))]).toEqual([]);
  }, 600_000);
});
