import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ACTOR_MEASURE_KEYS, MEASURE_KEYS, zeroMeasures, type Measures } from '../../../shared/evaluation/measures.js';
import { decomposeRange, firstDayOfMonth, type DayRange } from '../../../shared/evaluation/periods.js';
import type { Database } from '../../db/schema.js';
import type { Executor } from '../../platform/db.js';
import { bucketUpperMs } from './rollup.js';

/**
 * The only SQL that reads the rollups. A range is read as whole months plus the loose days at its
 * ends (decomposeRange), so any range costs about one row per month and per loose day per key.
 */
type StatsTables = 'eval_stats' | 'eval_actor_stats' | 'eval_durations';

function periodFilter<T extends StatsTables>(eb: ExpressionBuilder<Database, T>, r: DayRange): Expression<SqlBool> {
  const { months, days } = decomposeRange(r);
  const parts: Expression<SqlBool>[] = [];
  const grain = sql.ref('grain');
  const period = sql.ref('period');
  if (months.length) parts.push(sql<SqlBool>`(${grain} = 'm' and ${period} between ${months[0]!} and ${months[months.length - 1]!})`);
  for (const d of days) parts.push(sql<SqlBool>`(${grain} = 'd' and ${period} between ${d.from} and ${d.to})`);
  return eb.or(parts);
}

const sums = (keys: readonly string[]) => keys.map((k) => sql<number>`sum(${sql.ref(k)})`.as(k));

function measuresOf(row: Record<string, unknown>, keys: readonly string[] = MEASURE_KEYS): Measures {
  const m = zeroMeasures();
  for (const k of keys) m[k as keyof Measures] = Number(row[k] ?? 0);
  return m;
}

function prefixRange(column: string, prefix: string) {
  return sql<SqlBool>`(${sql.ref(column)} >= ${prefix} and ${sql.ref(column)} < ${prefix + '\uffff'})`;
}

/** The figures of one area (or one key of a breakdown inside it) over a range. */
export async function areaTotals(db: Executor, area: string, r: DayRange, dim = '', key = ''): Promise<Measures> {
  const row = await db.selectFrom('eval_stats').select(sums(MEASURE_KEYS))
    .where('area', '=', area).where('dim', '=', dim).where('key', '=', key)
    .where((eb) => periodFilter(eb, r)).executeTakeFirst();
  return measuresOf(row ?? {});
}

/** An area's figures broken down by category class, source or department. */
export async function areaBreakdown(db: Executor, area: string, r: DayRange, dim: 'class' | 'source' | 'dept'): Promise<Map<string, Measures>> {
  const rows = await db.selectFrom('eval_stats').select('key').select(sums(MEASURE_KEYS))
    .where('area', '=', area).where('dim', '=', dim).where((eb) => periodFilter(eb, r)).groupBy('key').execute();
  return new Map(rows.map((row) => [row.key, measuresOf(row)]));
}

/** Every area of `level` inside `area` (streets of a district, grids of a community …). */
export async function areasBelow(db: Executor, area: string, level: number, r: DayRange): Promise<Map<string, Measures>> {
  const rows = await db.selectFrom('eval_stats').select('area').select(sums(MEASURE_KEYS))
    .where('dim', '=', '').where('level', '=', level).where((eb) => periodFilter(eb, r)).where(prefixRange('area', area))
    .groupBy('area').execute();
  return new Map(rows.map((row) => [row.area, measuresOf(row)]));
}

/** Series for a trend: rows per day or month of the range, summed into the caller's buckets. */
export async function areaSeries(
  db: Executor, area: string, r: DayRange, bucketOf: (grain: 'd' | 'm', period: number) => number, useMonths: boolean,
): Promise<Map<number, Measures>> {
  const q = db.selectFrom('eval_stats').select(['grain', 'period']).select(sums(MEASURE_KEYS))
    .where('area', '=', area).where('dim', '=', '').where('key', '=', '');
  const rows = await (useMonths
    ? q.where((eb) => periodFilter(eb, r))
    : q.where('grain', '=', 'd').where('period', '>=', r.from).where('period', '<=', r.to)
  ).groupBy(['grain', 'period']).execute();
  const out = new Map<number, Measures>();
  for (const row of rows) {
    const b = bucketOf(row.grain as 'd' | 'm', Number(row.period));
    const m = out.get(b) ?? zeroMeasures();
    const add = measuresOf(row);
    for (const k of MEASURE_KEYS) m[k] += add[k];
    out.set(b, m);
  }
  return out;
}

export const monthBucket = (grain: 'd' | 'm', period: number, dayBucket: (day: number) => number) =>
  grain === 'm' ? firstDayOfMonth(period) : dayBucket(period);

/** People's figures over a range, for the given people (or everyone with figures). */
export async function actorTotals(db: Executor, r: DayRange, actorIds?: readonly string[]): Promise<Map<string, Measures>> {
  if (actorIds && actorIds.length === 0) return new Map();
  let q = db.selectFrom('eval_actor_stats').select('actor_id').select(sums(ACTOR_MEASURE_KEYS)).where((eb) => periodFilter(eb, r));
  if (actorIds) q = q.where('actor_id', 'in', actorIds);
  const rows = await q.groupBy('actor_id').execute();
  return new Map(rows.map((row) => [row.actor_id, measuresOf(row, ACTOR_MEASURE_KEYS)]));
}

/** Handling-time histogram (bucket → count) per key: one area, or the areas of a level inside it. */
export async function durationHistograms(
  db: Executor, r: DayRange, where: { area: string; dim?: '' | 'dept'; key?: string } | { below: string; level: number },
): Promise<Map<string, Map<number, number>>> {
  let q = db.selectFrom('eval_durations').select(['area', 'key', 'bucket']).select(sql<number>`sum(n)`.as('n')).where((eb) => periodFilter(eb, r));
  if ('below' in where) q = q.where('dim', '=', '').where('level', '=', where.level).where(prefixRange('area', where.below));
  else {
    q = q.where('area', '=', where.area).where('dim', '=', where.dim ?? '');
    if (where.key !== undefined) q = q.where('key', '=', where.key);
  }
  const rows = await q.groupBy(['area', 'key', 'bucket']).execute();
  const out = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const id = 'below' in where ? row.area : row.key;
    const h = out.get(id) ?? new Map<number, number>();
    h.set(Number(row.bucket), (h.get(Number(row.bucket)) ?? 0) + Number(row.n));
    out.set(id, h);
  }
  return out;
}

/** The 90th percentile (hours) of a histogram: the upper bound of the bucket where 90% is reached. */
export function percentileHours(h: Map<number, number> | undefined, p = 0.9): number | null {
  if (!h) return null;
  const total = [...h.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const target = Math.ceil(total * p);
  let seen = 0;
  for (const b of [...h.keys()].sort((a, c) => a - c)) {
    seen += h.get(b)!;
    if (seen >= target) return Math.round((bucketUpperMs(b) / 3_600_000) * 100) / 100;
  }
  return null;
}

/**
 * Category class or source breakdown of one grid, from its marks: grids are listed in the rollups
 * but not broken down (a grid holds few cases, so counting its marks is cheap).
 */
export async function gridBreakdown(db: Executor, grid: string, r: DayRange, column: 'class' | 'source'): Promise<Map<string, Measures>> {
  const rows = await db.selectFrom('eval_marks').select([column, 'kind']).select(sql<number>`count(*)`.as('n'))
    .where('grid_code', '=', grid).where('kind', 'in', ['reported', 'closed']).where('day', '>=', r.from).where('day', '<=', r.to)
    .groupBy([column, 'kind']).execute();
  const out = new Map<string, Measures>();
  for (const row of rows) {
    const key = String((row as Record<string, unknown>)[column]);
    const m = out.get(key) ?? zeroMeasures();
    m[row.kind === 'reported' ? 'reported' : 'closed'] += Number(row.n);
    out.set(key, m);
  }
  return out;
}
