import { sql, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import {
  ACTOR_MEASURE_KEYS, DEPARTMENT_KINDS, MARK_KINDS, MEASURE_KEYS, MEASURES, measuresOfMark, zeroMeasures, type MarkKind, type MeasureDef, type MeasureKey, type Measures,
} from '../../../shared/evaluation/measures.js';
import {
  decomposeRange, firstDayOfMonth, lastDayOfMonth, monthOfDay, signedDecomposition, startOfDayNumber, yearOfMonth, type DayRange, type Decomposition,
} from '../../../shared/evaluation/periods.js';
import { AREA_CODE_LENGTH, AREA_LEVEL, INDICATOR_BY_KEY, indicatorsFor } from '../../../shared/evaluation/indicators.js';
import { SCORE_COMPONENTS, scoreModelOf } from '../../../shared/evaluation/scores.js';
import { onPostgres, type Executor } from '../../platform/db.js';
import { BREAKDOWN_MIN_LEVEL, bucketOfMs, bucketUpperMs, codeLengthOfLevel, HISTOGRAM_MIN_LEVEL, levelOfCode, SMALL_AREA_GRAIN } from './rollup.js';

/**
 * The only SQL that reads the rollups. A range is read as whole months plus the loose days at its
 * ends (decomposeRange), so any range costs about one row per month and per loose day per key.
 */

type Run = [grain: 'y' | 'm' | 't' | 'd', first: number, last: number];

/** A range as runs of rollup periods: whole years, then runs of months, of dekads, and loose days. */
function periodRuns(r: DayRange, opts: { years?: boolean } = {}): Run[] {
  return runsOf(decomposeRange(r, opts));
}

function runsOf({ years, months, dekads, days }: Decomposition): Run[] {
  const out: Run[] = [];
  if (years.length) out.push(['y', years[0]!, years[years.length - 1]!]);
  // whole months outside whole years lie at the two ends: two runs at most
  for (const [a, b] of runs(months)) out.push(['m', a, b]);
  for (const [a, b] of runs(dekads)) out.push(['t', a, b]);
  for (const d of days) out.push(['d', d.from, d.to]);
  return out;
}

type RollupTable = 'eval_stats' | 'eval_actor_stats' | 'eval_durations';

/**
 * One UNION ALL branch per run of periods, each a single range of an index, narrowed by `narrow`
 * (the area, the people …); the `negated` columns come negated from the runs marked '-'.
 */
function unionOfRuns(
  db: Executor, table: RollupTable, runs: readonly (readonly [Run, '' | '-'])[], columns: readonly string[], negated: readonly string[],
  narrow: (q: AnySelect) => AnySelect,
) {
  const parts = runs.map(([[g, a, b], sign]) => narrow((db as Kysely<any>).selectFrom(table)
    .select([...columns.map((c) => sql.ref(c).as(c)), ...negated.map((c) => sql`${sql.raw(sign)}${sql.ref(c)}`.as(c))])
    .where('grain', '=', g).where('period', '>=', a).where('period', '<=', b)));
  return parts.slice(1).reduce((u, q) => u.unionAll(q), parts[0]!);
}

/**
 * The rollup rows of a range narrowed to a few keys (one area, a few hundred people). On SQLite a
 * branch per run (`unionOfRuns`): with an OR of the runs in one WHERE, SQLite, which plans without
 * statistics, read a single area's rows through the rollup's own key by `dim` alone, most of the
 * table (20–500 ms at a million cases instead of about 1 ms). PostgreSQL, planning from its
 * statistics, reads the OR in one bitmap scan, and the branches cost it more (a street's range with
 * loose days 40 → 78 ms), so there it stays one query.
 */
function rowsOfRuns(db: Executor, table: RollupTable, r: DayRange, columns: readonly string[], narrow: (q: AnySelect) => AnySelect, opts: { years?: boolean } = {}) {
  const runs = periodRuns(r, opts);
  if (!onPostgres(db)) return unionOfRuns(db, table, runs.map((run) => [run, ''] as const), columns, [], narrow);
  return narrow((db as Kysely<any>).selectFrom(table).select(columns.map((c) => sql.ref(c).as(c)))
    .where((eb) => eb.or(runs.map(([g, a, b]) => sql<SqlBool>`(${sql.ref('grain')} = ${sql.lit(g)} and ${sql.ref('period')} between ${a} and ${b})`))));
}

/**
 * A wide read of a range (every grid of the district, every grid worker): one UNION ALL branch per
 * run of periods, each a single range of the rollup's (…, grain, period, …) key. With an OR of the
 * runs PostgreSQL fetches each row from the table itself, one scattered page per row; a branch per
 * run reads a covering index alone and in key order (migration 008). SQLite stores these tables in
 * that key order already. A year cut at its ends may be read as the whole year less what lies
 * outside the range (signedDecomposition): those branches give their measures negated.
 */
function rowsOfRange(db: Executor, table: 'eval_stats' | 'eval_actor_stats', r: DayRange, key: string, measures: readonly string[], narrow: (q: AnySelect) => AnySelect) {
  const { plus, minus } = signedDecomposition(r);
  const signed = [...runsOf(plus).map((run) => [run, ''] as const), ...runsOf(minus).map((run) => [run, '-'] as const)];
  return unionOfRuns(db, table, signed, [key], measures, narrow);
}

/**
 * Sums over a wide read, per key. The counts of one rollup row (one area or person, at most a year)
 * are far below 2^31, and PostgreSQL sums integers much faster than bigints (a bigint's sum is kept
 * as a numeric, allocated per group): about 20 ms less for a district's 7,309 grid workers. A count
 * that did not fit would fail the query, never give a wrong figure. Summed values (handling_ms, in
 * milliseconds) stay bigints.
 */
function wideSums(keys: readonly string[], alias: string) {
  return keys.map((k) => ((MEASURES as Record<string, MeasureDef>)[k]?.sum
    ? sql<number>`sum(${sql.ref(`${alias}.${k}`)})`
    : sql<number>`sum(cast(${sql.ref(`${alias}.${k}`)} as integer))`).as(k));
}
type AnySelect = SelectQueryBuilder<any, any, any>;

/**
 * The rows of a wide read (every grid of an area, every grid worker), as lists of fields in the order
 * of `columns`, none of them null. On PostgreSQL the thousands of small rows come back packed in one
 * text: taking apart a row per key, a string per value and an object per row cost the client about
 * three times the CPU of splitting one text, and on a busy machine the dashboard waits for the
 * client more than for the database. The last column may hold anything but the record separator;
 * a record that does not split into the columns asked for has the rows read again as rows.
 */
async function wideRows(db: Executor, q: AnySelect, columns: readonly string[]): Promise<string[][]> {
  const asRows = async () => (await q.execute()).map((row: Record<string, unknown>) => columns.map((c) => String(row[c])));
  const packed = onPostgres(db) ? await packedText(db, q, columns) : undefined;
  if (packed === undefined) return asRows();
  if (packed === null) return [];
  const out: string[][] = [];
  for (const record of packed.split(RS)) {
    const f = record.split(US);
    if (f.length < columns.length) return asRows();
    out.push(f.length === columns.length ? f : [...f.slice(0, columns.length - 1), f.slice(columns.length - 1).join(US)]);
  }
  return out;
}

/** A query's rows as one text (PostgreSQL): fields apart by the unit separator, records by the record separator; null for no rows. */
async function packedText(db: Executor, q: AnySelect, columns: readonly string[]): Promise<string | null> {
  // a null field comes back empty (concat_ws would leave it out, and the fields after it would move)
  const fields = sql.join(columns.map((c) => sql`coalesce(cast(${sql.ref(`z.${c}`)} as text), '')`), sql`, `);
  const row = await (db as Kysely<any>).selectFrom(q.as('z')).select(sql<string | null>`string_agg(concat_ws(chr(31), ${fields}), chr(30))`.as('packed')).executeTakeFirstOrThrow();
  return row.packed as string | null;
}

/** The sums of a wide read per key, as measures. */
async function wideTotals(
  db: Executor, table: 'eval_stats' | 'eval_actor_stats', r: DayRange, key: string, keys: readonly MeasureKey[], narrow: (q: AnySelect) => AnySelect,
): Promise<Map<string, Measures>> {
  const q = db.selectFrom(rowsOfRange(db, table, r, key, keys, narrow).as('s')).select(wideSums(keys, 's')).select(sql.ref(`s.${key}`).as('k')).groupBy(`s.${key}`);
  const out = new Map<string, Measures>();
  const packed = onPostgres(db) ? await packedText(db, q, [...keys, 'k']) : undefined;
  if (packed !== undefined) {
    // records of whole numbers and a key, read in place: no string per number
    const at = { i: 0 };
    while (packed !== null && at.i < packed.length) {
      const m = zeroMeasures();
      for (const k of keys) m[k] = wholeNumber(packed, at);
      const end = packed.indexOf(RS, at.i);
      const id = packed.slice(at.i, end < 0 ? packed.length : end);
      if (Number.isNaN(m[keys[keys.length - 1]!])) return rowsAsTotals(q, keys);
      out.set(id, m);
      at.i = end < 0 ? packed.length : end + 1;
    }
    return out;
  }
  return rowsAsTotals(q, keys);
}

async function rowsAsTotals(q: AnySelect, keys: readonly MeasureKey[]): Promise<Map<string, Measures>> {
  return new Map((await q.execute()).map((row: Record<string, unknown>) => [row.k as string, measuresOf(row, keys)]));
}

const US = '\u001f';
const RS = '\u001e';

/** The whole number at `at.i` up to the next unit separator, which it steps over; NaN when there is none. */
function wholeNumber(text: string, at: { i: number }): number {
  let i = at.i;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i++;
  let n = 0;
  let digits = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
    n = n * 10 + (c - 48);
    digits++;
  }
  if (digits === 0 || text.charCodeAt(i) !== 31) return Number.NaN;
  at.i = i + 1;
  return negative ? -n : n;
}

/** Consecutive numbers as [first, last] runs. */
function runs(xs: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && x === last[1] + 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
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

/** Marks of one kind and flags, counted under one key: how many, and the sum of their values. */
interface LateMarks {
  kind: MarkKind;
  flags: number;
  key: string;
  n: number;
  value: number;
}

/** What a breakdown's key is made of: a dimension of the rollups, an area's code of a given length, or nothing (the area's own figures). */
type LateKey = 'class' | 'source' | 'dept' | { codeLength: number } | null;

/**
 * The counted marks of an area on a range's last day after the instant the range ends (`until`),
 * summed per kind, flags and key: what the day's rollup rows hold beyond a range cut at a time of
 * day. For a range that runs up to now these are the rounds still open that fall due later today (no
 * act is dated after now), so a round due this afternoon is not 应处置 this morning; for the stretch
 * of the period before compared with it, that day's marks after the same time. None for a range
 * that ends with its day. Read through the time index (kind, at), summed in the database: one part
 * of one day's marks at most.
 */
async function marksAfter(db: Executor, area: string, r: DayRange, by: LateKey): Promise<LateMarks[]> {
  const end = startOfDayNumber(r.to + 1);
  if (r.until === undefined || r.until >= end - 1) return [];
  const key = by === null ? sql<string>`''`
    : typeof by === 'object' ? sql<string>`substr(grid_code, 1, ${sql.lit(by.codeLength)})`
      : by === 'class' ? sql<string>`class` : by === 'source' ? sql<string>`source` : sql<string>`coalesce(dept, '')`;
  let q = db.selectFrom('eval_marks').select(['kind', 'flags']).select(key.as('key'))
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('value').as('value')])
    .where('kind', 'in', by === 'dept' ? DEPARTMENT_KINDS : MARK_KINDS).where('at', '>', r.until).where('at', '<', end)
    // the area written so that no index by grid serves it: through the time index the read is part of
    // one day, through the grid index every mark of the area's history (PostgreSQL chose it for a street)
    .where(sql<SqlBool>`substr(grid_code, 1, ${sql.lit(area.length)}) = ${area}`);
  // a department's figures count only the marks that name one
  if (by === 'dept') q = q.where('dept', 'is not', null);
  const rows = await q.groupBy(['kind', 'flags', sql`3`]).execute();
  return rows.map((m) => ({ kind: m.kind as MarkKind, flags: Number(m.flags), key: String(m.key), n: Number(m.n), value: Number(m.value) }));
}

/** Takes the marks' figures (in `keys`) out of the measures of their key (`keyOf` may move or drop it). */
function takeOut<K = string>(
  out: Map<K, Measures>, marks: readonly LateMarks[], keys: readonly MeasureKey[] = MEASURE_KEYS, keyOf: (key: string) => K | null = (k) => k as K,
): void {
  const wanted = new Set(keys);
  for (const m of marks) {
    const key = keyOf(m.key);
    const counted = measuresOfMark(m.kind, m.flags).filter(({ index }) => wanted.has(MEASURE_KEYS[index]!));
    if (key === null || counted.length === 0) continue;
    let target = out.get(key);
    if (!target) out.set(key, (target = zeroMeasures()));
    for (const { index, sum } of counted) target[MEASURE_KEYS[index]!] -= sum ? m.value : m.n;
  }
}

/** The figures of one area (or one key of a breakdown inside it) over a range. */
export async function areaTotals(db: Executor, area: string, r: DayRange, dim = '', key = ''): Promise<Measures> {
  const by = dim === '' ? null : (dim as 'class' | 'source' | 'dept');
  const [whole, late] = await Promise.all([daysTotals(db, area, r, dim, key), marksAfter(db, area, r, by)]);
  const out = new Map([[key, whole]]);
  takeOut(out, late, MEASURE_KEYS, (k) => (k === key ? k : null));
  return out.get(key)!;
}

/** The figures of one area (or one key of a breakdown) over a range's whole days, from the rollup rows alone (`until` not applied). */
async function daysTotals(db: Executor, area: string, r: DayRange, dim = '', key = ''): Promise<Measures> {
  const rows = rowsOfRuns(db, 'eval_stats', r, MEASURE_KEYS, (q) => q.where('area', '=', area).where('dim', '=', dim).where('key', '=', key));
  return measuresOf((await (db as Kysely<any>).selectFrom(rows.as('s')).select(sums(MEASURE_KEYS)).executeTakeFirst()) ?? {});
}

/**
 * An area's figures broken down by category class, source or department. A community's or a grid's
 * breakdowns are kept per month only: its whole months come from those rows, and the days outside
 * them from its marks.
 */
export async function areaBreakdown(db: Executor, area: string, r: DayRange, dim: 'class' | 'source' | 'dept'): Promise<Map<string, Measures>> {
  const [out, late] = await Promise.all([breakdownRows(db, area, r, dim), marksAfter(db, area, r, dim)]);
  takeOut(out, late);
  return out;
}

async function breakdownRows(db: Executor, area: string, r: DayRange, dim: 'class' | 'source' | 'dept'): Promise<Map<string, Measures>> {
  if (levelOfCode(area) < BREAKDOWN_MIN_LEVEL) {
    const { months, loose } = wholeMonths(r);
    const parts = await Promise.all([
      months ? monthRows(db, 'eval_stats', area, dim, months, ['key'], MEASURE_KEYS) : [],
      loose.length ? marksBreakdown(db, area, loose, dim, dim === 'dept' ? DEPARTMENT_KINDS : MARK_KINDS) : new Map<string, Measures>(),
    ]);
    const out = new Map<string, Measures>();
    for (const row of parts[0] as Record<string, unknown>[]) addTo(out, String(row.key), measuresOf(row));
    for (const [key, m] of parts[1] as Map<string, Measures>) addTo(out, key, m);
    return out;
  }
  const inRange = rowsOfRuns(db, 'eval_stats', r, ['key', ...MEASURE_KEYS], (q) => q.where('area', '=', area).where('dim', '=', dim));
  const rows = await (db as Kysely<any>).selectFrom(inRange.as('s')).select('s.key').select(sums(MEASURE_KEYS)).groupBy('s.key').execute();
  return new Map(rows.map((row) => [String(row.key), measuresOf(row)]));
}

/** A range's whole months (as month numbers, first and last) and the days outside them: at most one run at each end. */
function wholeMonths(r: DayRange): { months: [number, number] | null; loose: DayRange[] } {
  let first = monthOfDay(r.from);
  if (firstDayOfMonth(first) < r.from) first++;
  let last = monthOfDay(r.to);
  if (lastDayOfMonth(last) > r.to) last--;
  if (first > last) return { months: null, loose: [r] };
  const loose: DayRange[] = [];
  if (r.from < firstDayOfMonth(first)) loose.push({ from: r.from, to: firstDayOfMonth(first) - 1 });
  if (lastDayOfMonth(last) < r.to) loose.push({ from: lastDayOfMonth(last) + 1, to: r.to });
  return { months: [first, last], loose };
}

/** A small area's month rows of one dimension over a run of months: `summed` summed per `by`. */
function monthRows(
  db: Executor, table: 'eval_stats' | 'eval_durations', area: string, dim: string, [first, last]: [number, number], by: readonly string[], summed: readonly string[],
) {
  return (db as Kysely<any>).selectFrom(table).select(by.map((c) => sql.ref(c).as(c))).select(sums(summed))
    .where('area', '=', area).where('dim', '=', dim).where('grain', '=', SMALL_AREA_GRAIN).where('period', '>=', first).where('period', '<=', last)
    .groupBy([...by]).execute();
}

function addTo(out: Map<string, Measures>, key: string, add: Measures): void {
  const m = out.get(key);
  if (!m) {
    out.set(key, add);
    return;
  }
  for (const k of MEASURE_KEYS) m[k] += add[k];
}

/** Every area of `level` (or of any of `levels`) inside `area` (streets of a district, grids of a community …). */
export async function areasBelow(db: Executor, area: string, level: number | readonly number[], r: DayRange, keys: readonly MeasureKey[] = MEASURE_KEYS): Promise<Map<string, Measures>> {
  // a community's or a grid's few grids are read one by one through the index by area (a level's
  // whole range of codes is read through the rollup's key, every grid of the district in each period),
  // and their marks after the range's end once, by grid
  if (level === 0 && levelOfCode(area) < BREAKDOWN_MIN_LEVEL) {
    const [grids, late] = await Promise.all([
      gridsWithMarks(db, area, r).then((codes) => Promise.all(codes.map(async (grid) => [grid, await daysTotals(db, grid, r)] as const))),
      marksAfter(db, area, r, { codeLength: codeLengthOfLevel(0) }),
    ]);
    const out = new Map(grids);
    takeOut(out, late);
    return out;
  }
  // one query per level, the level written out rather than bound: SQLite then reads the rollup's own key
  // (dim, level, grain, period, …), not the index by area, which holds every grain and period of the area
  const read = (l: number) => wideTotals(db, 'eval_stats', r, 'area', keys, (q) => q.where('dim', '=', '').where('level', '=', sql.lit(l)).where(prefixRange('area', area)));
  const levels = typeof level === 'number' ? [level] : level;
  const [parts, ...late] = await Promise.all([
    Promise.all(levels.map(read)),
    ...levels.map((l) => marksAfter(db, area, r, { codeLength: codeLengthOfLevel(l) })),
  ]);
  const out = new Map(parts.flatMap((m) => [...m]));
  for (const marks of late) takeOut(out, marks, keys);
  return out;
}

/** Series for a trend: rows per day or month of the range, summed into the caller's buckets. */
export async function areaSeries(
  db: Executor, area: string, r: DayRange, bucketOf: (grain: 'd' | 't' | 'm', period: number) => number, useMonths: boolean,
): Promise<Map<number, Measures>> {
  const ofArea = (q: AnySelect) => q.where('area', '=', area).where('dim', '=', '').where('key', '=', '');
  const inRange = useMonths
    ? rowsOfRuns(db, 'eval_stats', r, ['grain', 'period', ...MEASURE_KEYS], ofArea, { years: false })
    : ofArea((db as Kysely<any>).selectFrom('eval_stats').select(['grain', 'period', ...MEASURE_KEYS]))
      .where('grain', '=', 'd').where('period', '>=', r.from).where('period', '<=', r.to);
  const [rows, late] = await Promise.all([
    (db as Kysely<any>).selectFrom(inRange.as('s')).select(['s.grain', 's.period']).select(sums(MEASURE_KEYS)).groupBy(['s.grain', 's.period']).execute(),
    marksAfter(db, area, r, null),
  ]);
  const out = new Map<number, Measures>();
  for (const row of rows) {
    const b = bucketOf(row.grain as 'd' | 't' | 'm', Number(row.period));
    const m = out.get(b) ?? zeroMeasures();
    const add = measuresOf(row);
    for (const k of MEASURE_KEYS) m[k] += add[k];
    out.set(b, m);
  }
  // the marks after the range's end all fall on its last day
  const last = bucketOf('d', r.to);
  takeOut(out, late, MEASURE_KEYS, () => last);
  return out;
}

export type PersonKind = 'worker' | 'dispatcher';

/**
 * Who counts as a grid worker: someone acting at grid level, or a user holding the grid worker role
 * (whose grant may name a community). Dispatchers act for a street sub-centre or the district centre.
 */
export function personKindFilter(eb: ExpressionBuilder<any, any>, kind: PersonKind, area: string, alias = 'a'): Expression<SqlBool> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const home = sql<SqlBool>`(${col('division_code')} >= ${area} and ${col('division_code')} < ${area + '\uffff'})`;
  if (kind === 'dispatcher') return eb.and([home, sql<SqlBool>`${col('level')} in ('street', 'district')`]);
  return eb.and([home, eb.or([
    sql<SqlBool>`${col('level')} = 'grid'`,
    sql<SqlBool>`${col('user_id')} in (select user_id from grants where role = 'grid_worker')`,
  ])]);
}

/** The per-person measures that grid workers' (or dispatchers') indicators and score use; the others stay zero. */
function personMeasures(kind: PersonKind): MeasureKey[] {
  const defs = [...indicatorsFor(kind), ...SCORE_COMPONENTS[scoreModelOf(kind)].map((k) => INDICATOR_BY_KEY.get(k)!)];
  const used = new Set(defs.flatMap((d) => [d.measure, d.num, d.den]));
  return ACTOR_MEASURE_KEYS.filter((k) => used.has(k));
}

/**
 * The grid workers or dispatchers at home in an area, each with their figures over a range (zero
 * for someone who did nothing in it), in the measures their indicators use but those the caller
 * takes from their home area (`fromHome`: a grid worker's accepted and missed are their grid's). A
 * few people (a street, a community) are looked up by id; a whole district's people are summed in
 * one pass over the range's rollup rows, read alongside who is at home in the area, then matched.
 * Their names are the caller's to look up, for the few it shows.
 */
export async function peopleTotals(db: Executor, r: DayRange, area: string, kind: PersonKind, fromHome: readonly MeasureKey[] = []) {
  const keys = personMeasures(kind).filter((k) => !fromHome.includes(k));
  const everyone = () => wideTotals(db, 'eval_actor_stats', r, 'actor_id', keys, (q) => q);
  const [people, early] = await Promise.all([
    // someone at home in the area has a division (personKindFilter): no field is null; the order is the ranking's to make
    wideRows(db, db.selectFrom('eval_actors as a').select(['a.division_code', 'a.actor_id'])
      .where((eb) => personKindFilter(eb, kind, area)), ['division_code', 'actor_id']),
    // a district's people are thousands: nothing to wait for
    area.length <= AREA_CODE_LENGTH.district ? everyone() : undefined,
  ]);
  if (people.length === 0) return [];
  const ids = people.map(([, id]) => id!);
  const few = () => sql`(${onPostgres(db) ? rowsOfRuns(db, 'eval_actor_stats', r, ['actor_id', ...keys], (q) => q.where('actor_id', 'in', ids)) : fewPeopleRows(r, ids, keys)})`.as('s');
  const totals = early ?? (people.length <= 500
    ? new Map((await (db as Kysely<any>).selectFrom(few())
      .select('s.actor_id').select(wideSums(keys, 's')).groupBy('s.actor_id').execute()).map((row) => [row.actor_id as string, measuresOf(row, keys)]))
    : await everyone());
  return people.map(([divisionCode, actorId]) => ({ actorId: actorId!, divisionCode: divisionCode!, measures: totals.get(actorId!) ?? zeroMeasures() }));
}

/**
 * A few people's rollup rows over a range on SQLite: a branch per run of periods, each through the
 * index by person, named. Planning without statistics, SQLite read them through the table's key
 * (grain, period) instead, every person's rows of the periods: at 10 M cases 10 ms for a grid's
 * five grid workers and 18 ms for a street's two hundred, against 0.06 and 3 ms by person.
 */
function fewPeopleRows(r: DayRange, ids: readonly string[], keys: readonly string[]) {
  const columns = sql.join(['actor_id', ...keys].map((c) => sql.ref(c)));
  return sql.join(periodRuns(r).map(([g, a, b]) => sql`select ${columns} from eval_actor_stats indexed by eval_actor_stats_actor
    where actor_id in (${sql.join(ids)}) and grain = ${g} and period >= ${a} and period <= ${b}`), sql` union all `);
}

type Histograms = Map<string, Map<number, number>>;

/** Adds n to a histogram's bucket, the histogram of `key` made when it is the first. */
function addToHistogram(out: Histograms, key: string, bucket: number, n: number): void {
  const h = out.get(key) ?? new Map<number, number>();
  h.set(bucket, (h.get(bucket) ?? 0) + n);
  out.set(key, h);
}

/** Handling-time histogram (bucket → count) per key: one area, or the areas of a level inside it. */
export async function durationHistograms(
  db: Executor, r: DayRange, where: { area: string; dim?: '' | 'dept'; key?: string } | { below: string; level: number },
): Promise<Histograms> {
  const narrow = (q: AnySelect) => {
    // the level written out, as in areasBelow: SQLite then reads the rollup's own key
    if ('below' in where) return q.where('dim', '=', '').where('level', '=', sql.lit(where.level)).where(prefixRange('area', where.below));
    const one = q.where('area', '=', where.area).where('dim', '=', where.dim ?? '');
    return where.key !== undefined ? one.where('key', '=', where.key) : one;
  };
  // a grid keeps its histogram per month only: its whole months from those rows, the days outside them from its marks
  if (!('below' in where) && levelOfCode(where.area) < HISTOGRAM_MIN_LEVEL && (where.dim ?? '') === '') {
    const { months, loose } = wholeMonths(r);
    const [rows, counted] = await Promise.all([
      months ? monthRows(db, 'eval_durations', where.area, '', months, ['bucket'], ['n']) : [],
      loose.length ? marksHistograms(db, where.area, loose, 'all') : undefined,
    ]);
    const h = new Map<number, number>();
    for (const row of rows as Record<string, unknown>[]) h.set(Number(row.bucket), (h.get(Number(row.bucket)) ?? 0) + Number(row.n));
    for (const [b, n] of counted?.get('') ?? []) h.set(b, (h.get(b) ?? 0) + n);
    return new Map(h.size > 0 ? [['', h]] : []);
  }
  const inRange = rowsOfRuns(db, 'eval_durations', r, ['area', 'key', 'bucket', 'n'], narrow);
  const rows = await (db as Kysely<any>).selectFrom(inRange.as('s')).select(['s.area', 's.key', 's.bucket']).select(sql<number>`sum(s.n)`.as('n'))
    .groupBy(['s.area', 's.key', 's.bucket']).execute();
  const out: Histograms = new Map();
  for (const row of rows) {
    addToHistogram(out, 'below' in where ? row.area : row.key, Number(row.bucket), Number(row.n));
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
 * Rows read from a small area's marks in one or more day ranges: one read per grid and range, each
 * through the grid index (kind, grid_code, at …, migration 014) by the grid's code and the time. A
 * community's grids are named one by one (those with counted marks: every counted mark adds to its
 * grid's year row): SQLite, planning without statistics, read a range of grid codes, after which
 * the index's time narrows nothing, through that index but every mark of the grids; and a list of
 * grids, or an OR of ranges, through (kind, at) or (kind, dept, at) instead: seconds at 10 M cases.
 */
async function fromMarks<T>(
  db: Executor, area: string, r: DayRange | readonly DayRange[], read: (where: (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>) => Promise<T[]>,
): Promise<T[]> {
  const ranges = 'from' in r ? [r] : r;
  const grids = await gridsWithMarks(db, area, { from: Math.min(...ranges.map((x) => x.from)), to: Math.max(...ranges.map((x) => x.to)) });
  return (await Promise.all(grids.flatMap((grid) => ranges.map((one) => read((eb) => eb.and([
    eb('grid_code', '=', grid), eb('at', '>=', startOfDayNumber(one.from)), eb('at', '<', startOfDayNumber(one.to + 1)),
  ])))))).flat();
}

/** The grids of a small area with marks counted in the years of a range: every counted mark adds to its grid's year row. */
async function gridsWithMarks(db: Executor, area: string, r: DayRange): Promise<string[]> {
  if (levelOfCode(area) === 0) return [area];
  const rows = await db.selectFrom('eval_stats').select('area').distinct()
    .where('dim', '=', '').where('level', '=', sql.lit(0)).where('grain', '=', 'y')
    .where('period', '>=', yearOfMonth(monthOfDay(r.from))).where('period', '<=', yearOfMonth(monthOfDay(r.to)))
    .where(prefixRange('area', area)).execute();
  return rows.map((row) => row.area);
}

/**
 * Figures of a community or a grid broken down by category class, source, department or grid,
 * counted from its marks: the days of a range outside whole months (areaBreakdown), and the
 * breakdowns the rollups keep no rows for (a community's grids).
 */
export async function marksBreakdown(
  db: Executor, area: string, r: DayRange | readonly DayRange[], by: 'class' | 'source' | 'dept' | 'grid_code', kinds: readonly MarkKind[] = MARK_KINDS,
): Promise<Map<string, Measures>> {
  const rows = await fromMarks(db, area, r, (where) => db.selectFrom('eval_marks').select([sql.ref(by).as('key'), 'kind', 'flags'])
    .select([sql<number>`count(*)`.as('n'), sql<number>`sum(value)`.as('v')])
    .where('kind', 'in', [...kinds]).where(where)
    .groupBy([sql.ref(by), 'kind', 'flags']).execute());
  const out = new Map<string, Measures>();
  for (const row of rows) {
    if (row.key === null) continue;
    const key = String(row.key);
    const m = out.get(key) ?? zeroMeasures();
    for (const { index, sum } of measuresOfMark(row.kind as MarkKind, Number(row.flags))) m[MEASURE_KEYS[index]!] += sum ? Number(row.v) : Number(row.n);
    out.set(key, m);
  }
  return out;
}

/** Handling-time histograms of a small area's handled marks, per department, per grid or all together (key ''). */
export async function marksHistograms(
  db: Executor, area: string, r: DayRange | readonly DayRange[], by: 'all' | 'dept' | 'grid_code',
): Promise<Histograms> {
  const read = levelOfCode(area) >= AREA_LEVEL.district ? wideHandledMarks(db, area, 'from' in r ? [r] : r) : fromMarks(db, area, r, (where) => db.selectFrom('eval_marks').select(['value', 'dept', 'grid_code'])
    .where('kind', '=', 'handled').where(where).execute());
  const rows = await read;
  const out: Histograms = new Map();
  for (const row of rows) {
    const key = by === 'all' ? '' : by === 'dept' ? row.dept : row.grid_code;
    if (key !== null) addToHistogram(out, key, bucketOfMs(Number(row.value)), 1);
  }
  return out;
}

/**
 * The handling marks of the district's grids over a few days (the days outside whole months), by
 * time: one read of those days' marks instead of a read per grid (1,809). On SQLite, which plans
 * without statistics, named: by the grids it would read every handling mark of the district.
 */
async function wideHandledMarks(db: Executor, area: string, ranges: readonly DayRange[]) {
  const index = onPostgres(db) ? sql`` : sql` indexed by eval_marks_kind_at`;
  const reads = ranges.map((one) => sql<{ value: number; dept: string | null; grid_code: string }>`select value, dept, grid_code from eval_marks${index}
    where kind = 'handled' and at >= ${startOfDayNumber(one.from)} and at < ${startOfDayNumber(one.to + 1)} and ${prefixRange('grid_code', area)}`.execute(db));
  return (await Promise.all(reads)).flatMap((x) => x.rows);
}

/**
 * Handling-time histograms of every grid in an area, for the indicator table's percentiles. A
 * street's or a community's grids are counted from their marks, grid by grid (a few dozen reads of a
 * covering index). The district's 1,809 grids so took 1.3–3.2 s at 1 M cases on PostgreSQL: there
 * the whole months come from the grids' month rows (SMALL_AREA_GRAIN) in one read, and only the days
 * outside them from the marks (0.56–0.84 s).
 */
export async function gridHistograms(db: Executor, area: string, r: DayRange): Promise<Histograms> {
  if (levelOfCode(area) < AREA_LEVEL.district) return marksHistograms(db, area, r, 'grid_code');
  const { months, loose } = wholeMonths(r);
  const [rows, out] = await Promise.all([
    months
      ? (db as Kysely<any>).selectFrom('eval_durations').select(['area', 'bucket']).select(sql<number>`sum(n)`.as('n'))
        .where('dim', '=', '').where('level', '=', sql.lit(0)).where('grain', '=', SMALL_AREA_GRAIN)
        .where('period', '>=', months[0]).where('period', '<=', months[1]).where(prefixRange('area', area))
        .groupBy(['area', 'bucket']).execute()
      : [],
    loose.length ? marksHistograms(db, area, loose, 'grid_code') : new Map<string, Map<number, number>>(),
  ]);
  for (const row of rows as { area: string; bucket: number; n: number }[]) addToHistogram(out, row.area, Number(row.bucket), Number(row.n));
  return out;
}
