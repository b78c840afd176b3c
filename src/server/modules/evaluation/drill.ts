import { sql, type SqlBool } from 'kysely';
import { hitRuleOf, type DrillRow } from '../../../shared/evaluation/drill.js';
import { INDICATOR_BY_KEY, type DrillDef, type IndicatorDef } from '../../../shared/evaluation/indicators.js';
import { FLAGS, type MeasureKey } from '../../../shared/evaluation/measures.js';
import { startOfDayNumber, type DayRange } from '../../../shared/evaluation/periods.js';
import { scopeFilter } from '../../platform/access.js';
import { indexHint, type Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { resolveArea, type AreaInfo, type EvalScope } from './scope.js';
import { FROM_HOME } from './table.service.js';

export type { DrillRow };

/**
 * The cases behind a figure: the marks the figure counts, with their cases, in the user's scope.
 * For a rate, the denominator's marks, each saying whether it is in the numerator (`hit`); `only`
 * narrows to the hits or the misses (e.g. the closures that were late).
 */
export type Subject =
  | { kind: 'area'; area: AreaInfo }
  | { kind: 'department'; area: AreaInfo; code: string }
  /** `home`: the grid or community a grid worker works in, whose figures their missed rate is (FROM_HOME). */
  | { kind: 'person'; actorId: string; home: string | null };

export interface DrillQuery {
  indicator: string;
  subject: Subject;
  range: DayRange;
  cls?: string;
  source?: string;
  only?: 'hit' | 'miss';
}

/** `subject=`: an area code, `dept:<code>` (inside `area`), or `person:<actor id>`. */
export async function resolveSubject(db: Executor, s: EvalScope, subject: string | undefined, area: string | undefined): Promise<Subject> {
  if (subject?.startsWith('dept:')) {
    const code = subject.slice(5);
    const dept = await db.selectFrom('departments').select('code').where('code', '=', code).executeTakeFirst();
    if (!dept) throw new AppError('not_found', 'Department not found.');
    if (s.scope.divisionPrefixes.length === 0) {
      if (!s.departmentCodes.includes(code)) throw new AppError('not_found', 'Department not found.');
    }
    return { kind: 'department', area: await resolveArea(db, s, area), code };
  }
  if (subject?.startsWith('person:')) {
    const actorId = subject.slice(7);
    const person = await db.selectFrom('eval_actors').select(['actor_id', 'division_code']).where('actor_id', '=', actorId).executeTakeFirst();
    const home = person?.division_code;
    if (!person || !home || !s.scope.divisionPrefixes.some((p) => home.startsWith(p))) throw new AppError('not_found', 'Person not found.');
    return { kind: 'person', actorId, home: home.length === 12 || home.length === 15 ? home : null };
  }
  return { kind: 'area', area: await resolveArea(db, s, subject ?? area) };
}

/** How a row is found to be in the numerator (`hitRuleOf`), with the flag as the marks store it. */
type HitRule = { flag: number } | { kind: string; flag: number };

export function drillOf(indicator: string): { def: IndicatorDef; drill: DrillDef; hit: HitRule | null } {
  const def = INDICATOR_BY_KEY.get(indicator);
  if (!def || !def.drill) throw new AppError('validation_failed', `No case list behind indicator ${indicator}.`, { field: 'indicator' });
  const rule = hitRuleOf(def);
  return { def, drill: def.drill, hit: rule && { ...rule, flag: FLAGS[rule.flag] } };
}

/**
 * A grid worker's figure taken from the grid or community they work in (their missed rate): its list
 * is that area's. (A dispatcher's acceptances are their own.)
 */
function fromHome(def: IndicatorDef): boolean {
  const used = [def.measure, def.num, def.den].filter((k): k is MeasureKey => !!k);
  return def.subjects.includes('worker') && used.length > 0 && used.every((k) => (FROM_HOME as readonly string[]).includes(k));
}

function hitExpression(hit: HitRule) {
  if (!('kind' in hit)) return sql<SqlBool>`(m.flags & ${hit.flag}) <> 0`;
  return sql<SqlBool>`exists (select 1 from eval_marks h where h.case_id = m.case_id and h.kind = ${hit.kind} and h.at = m.at and (h.flags & ${hit.flag}) <> 0)`;
}

/**
 * Refuses a query the list cannot answer, before anything is read or streamed: `only` on a rate
 * whose numerator counts other events, on days of their own, which marks no row of its list.
 */
export function checkDrillQuery(q: DrillQuery): void {
  if (q.only && drillOf(q.indicator).hit === null) {
    throw new AppError('validation_failed', `The cases behind ${q.indicator} are not split into those in its numerator and the others.`, { field: 'only' });
  }
}

// SQLite plans without statistics, so it is told which index to use (`indexHint`): for a district
// or a street, the time index (kind, at), which also gives the order; for a community or a grid, the
// grid index (kind, grid_code, at) over the area's few marks.

/**
 * The marks of a figure. The day range is given as instants, so the time index serves both the
 * range and the order; a page's cursor narrows that one range (a second bound on the same column
 * would leave the index scanning from the start of the range on every page).
 */
function baseQuery(db: Executor, s: EvalScope, q: DrillQuery, bounds: { from?: number; to?: number } = {}) {
  const { def, drill, hit } = drillOf(q.indicator);
  // a grid worker's missed rate is their home's, as the indicator table counts it: the list is the
  // home's marks, whoever acted (and none for someone at home in no grid or community, whose rate has none)
  const homeward = q.subject.kind === 'person' && fromHome(def);
  const home = homeward && q.subject.kind === 'person' ? q.subject.home : null;
  const area = q.subject.kind === 'person' ? home : q.subject.area.code;
  const small = area !== null && area.length >= 12;
  const at = indexHint(db, 'm.at', !small);
  const from = Math.max(startOfDayNumber(q.range.from), bounds.from ?? -Infinity);
  // a range that runs up to now ends now: a round due later today is not behind the figure yet
  const to = Math.min(startOfDayNumber(q.range.to + 1) - 1, q.range.until ?? Infinity, bounds.to ?? Infinity);
  let query = db.selectFrom('eval_marks as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .where('m.kind', '=', drill.kind)
    .where(sql<SqlBool>`${at} between ${from} and ${to}`)
    .where((eb) => scopeFilter(eb, s.scope, { division: 'c.grid_code' }));
  if (drill.flag) query = query.where(sql<SqlBool>`(m.flags & ${FLAGS[drill.flag]}) <> 0`);
  if (q.only && hit !== null) query = query.where(q.only === 'hit' ? hitExpression(hit) : sql<SqlBool>`not (${hitExpression(hit)})`);
  if (homeward && area === null) query = query.where(sql<SqlBool>`1 = 0`);
  else if (area === null && q.subject.kind === 'person') query = query.where('m.actor_id', '=', q.subject.actorId);
  else if (area !== null) {
    const grid = indexHint(db, 'm.grid_code', small);
    query = query.where(sql<SqlBool>`${grid} >= ${area}`).where(sql<SqlBool>`${grid} < ${area + '\uffff'}`);
    if (q.subject.kind === 'department') query = query.where('m.dept', '=', q.subject.code);
  }
  if (q.cls) query = query.where('m.class', '=', q.cls);
  if (q.source) query = query.where('m.source', '=', q.source);
  return { query, hit };
}

export async function countCases(db: Executor, s: EvalScope, q: DrillQuery): Promise<number> {
  const { query } = baseQuery(db, s, q);
  const row = await query.select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface Cursor {
  at: number;
  markId: number;
}

/**
 * One page of rows: newest first for the screen (`after` continues below the previous page), or
 * oldest first for exports. The cursor's time bounds the index range, so every page costs the
 * same however deep it is.
 */
export async function listCases(db: Executor, s: EvalScope, q: DrillQuery, limit: number, after?: Cursor, order: 'newest' | 'oldest' = 'newest'): Promise<DrillRow[]> {
  const bounds = after ? (order === 'newest' ? { to: after.at } : { from: after.at }) : {};
  const { query, hit } = baseQuery(db, s, q, bounds);
  const dir = order === 'newest' ? 'desc' : 'asc';
  let page = query
    .leftJoin('divisions as g', 'g.code', 'c.grid_code')
    .leftJoin('categories as cat', 'cat.code', 'c.category_code')
    .leftJoin('eval_actors as a', 'a.actor_id', 'm.actor_id')
    .select([
      'm.id as mark_id', 'm.at', 'm.flags', 'm.value', 'm.dept', 'm.actor_id', 'a.name as actor_name', 'm.kind',
      'c.id as case_id', 'c.number', 'c.state', 'c.category_code', 'cat.name_zh as category_name', 'c.source', 'c.grid_code',
      'g.name as grid_name', 'c.address', 'c.description', 'c.created_at', 'c.closed_at',
      (hit === null ? sql<number | null>`null` : sql<number>`case when ${hitExpression(hit)} then 1 else 0 end`).as('hit'),
    ])
    .orderBy('m.at', dir).orderBy('m.id', dir).limit(limit);
  if (after && order === 'newest') page = page.where((eb) => eb.or([eb('m.at', '<', after.at), eb('m.id', '<', after.markId)]));
  else if (after) page = page.where((eb) => eb.or([eb('m.at', '>', after.at), eb('m.id', '>', after.markId)]));
  const rows = await page.execute();
  return rows.map((r) => ({
    markId: Number(r.mark_id), caseId: Number(r.case_id), number: r.number, state: r.state, categoryCode: r.category_code,
    categoryName: r.category_name ?? null, source: r.source, gridCode: r.grid_code, gridName: r.grid_name ?? null,
    address: r.address, description: r.description, reportedAt: Number(r.created_at), closedAt: r.closed_at === null ? null : Number(r.closed_at),
    at: Number(r.at), department: r.dept, actorId: r.actor_id, actorName: r.actor_name ?? null,
    hit: r.hit === null ? null : Number(r.hit) === 1,
    hours: r.kind === 'handled' ? Math.round((Number(r.value) / 3_600_000) * 100) / 100 : null,
  }));
}

/** Every row, oldest first, page by page, for exports: memory stays at one page whatever the total. */
export async function* allCases(db: Executor, s: EvalScope, q: DrillQuery, pageSize = 2000): AsyncGenerator<DrillRow> {
  let after: Cursor | undefined;
  for (;;) {
    const rows = await listCases(db, s, q, pageSize, after, 'oldest');
    for (const r of rows) yield r;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, markId: last.markId };
  }
}
