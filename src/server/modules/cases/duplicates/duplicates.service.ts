import { sql } from 'kysely';
import { OPEN_STATES, type CategoryTree, type State } from '../../../../shared/cases/index.js';
import { inScope, type Scope } from '../../../platform/access.js';
import type { Executor } from '../../../platform/db.js';
import { prepared } from '../../../platform/prepared.js';

/**
 * Duplicate reports (重复上报): open cases of the same sub-category within the category's radius
 * and time window of a report. The database narrows by category, time and a bounding box (the
 * cases_category_lon index); the exact great-circle distance decides. A dispatcher merges a
 * duplicate into its original with the workflow action `merge`; a merged case is terminal and
 * never offered again, so statistics that leave out `merged` count the problem once.
 */
export const DEFAULT_RADIUS_M = 50;
export const DEFAULT_WINDOW_H = 72;
/** More candidates than this are not useful on a screen. */
export const MAX_CANDIDATES = 20;

const EARTH_RADIUS_M = 6_371_008.8;
const HOUR_MS = 3_600_000;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A box that surely holds every point within `radiusM` of (lon, lat); a hair larger, never smaller. */
export function boxAround(lon: number, lat: number, radiusM: number) {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI) * 1.001;
  const cos = Math.max(Math.cos(rad(Math.min(89, Math.abs(lat) + dLat))), 1e-6);
  const dLon = dLat / cos;
  return { minLon: lon - dLon, maxLon: lon + dLon, minLat: lat - dLat, maxLat: lat + dLat };
}

export interface DuplicateLimits {
  radiusM: number;
  windowH: number;
}

const limitsByTree = new WeakMap<CategoryTree, Map<string, DuplicateLimits>>();

/** The category's radius and window in a tree, or the defaults (looked up by code: a report asks every time). */
export function limitsIn(tree: CategoryTree | null, categoryCode: string): DuplicateLimits {
  let byCode = tree ? limitsByTree.get(tree) : undefined;
  if (tree && !byCode) {
    byCode = new Map(tree.classes.flatMap((c) => c.subcategories).map((sub) => [sub.code, {
      radiusM: sub.duplicate_radius_m ?? DEFAULT_RADIUS_M, windowH: sub.duplicate_window_h ?? DEFAULT_WINDOW_H,
    }]));
    limitsByTree.set(tree, byCode);
  }
  return byCode?.get(categoryCode) ?? { radiusM: DEFAULT_RADIUS_M, windowH: DEFAULT_WINDOW_H };
}

/** The same, read from the current categories table. */
export async function limitsOf(db: Executor, categoryCode: string): Promise<DuplicateLimits> {
  const row = await db.selectFrom('categories').select(['duplicate_radius_m', 'duplicate_window_h']).where('code', '=', categoryCode).executeTakeFirst();
  return { radiusM: row?.duplicate_radius_m ?? DEFAULT_RADIUS_M, windowH: row?.duplicate_window_h ?? DEFAULT_WINDOW_H };
}

export interface DuplicateQuery {
  categoryCode: string | null;
  lon: number;
  lat: number;
  /** The report's time: candidates were reported within the window before or after it. */
  at: number;
  excludeCaseId?: number;
}

export interface DuplicateCandidateRow {
  id: number;
  number: string;
  state: State;
  gridCode: string;
  address: string | null;
  description: string;
  createdAt: number;
  distanceM: number;
}

/** Open cases of a category in a box and time window; the category's longitude band is the index range (cases_category_lon). */
const nearbyOpenCases = prepared((db, p: {
  category: string; from: number; to: number; minLon: number; maxLon: number; minLat: number; maxLat: number; exclude: number;
}) => db.selectFrom('cases')
  .select(['id', 'number', 'state', 'grid_code', 'department_id', 'address', 'description', 'created_at', 'lon', 'lat'])
  .where('category_code', '=', p.category)
  // unary plus: the time window is checked on the rows the longitude band finds (cases_category_lon);
  // without it SQLite's planner takes the category's whole window (cases_category_created) instead
  .where(sql<number>`+${sql.ref('created_at')}`, '>=', p.from)
  .where(sql<number>`+${sql.ref('created_at')}`, '<=', p.to)
  .where('state', 'in', [...OPEN_STATES])
  .where('lon', '>=', p.minLon).where('lon', '<=', p.maxLon)
  .where('lat', '>=', p.minLat).where('lat', '<=', p.maxLat)
  .where('id', '<>', p.exclude)
  .limit(500));

type NearbyRow = Awaited<ReturnType<typeof nearbyOpenCases>>[number];

/** The rows a scope sees: by grid or holding department, else by a department that once held the case. */
async function visibleIn(db: Executor, rows: NearbyRow[], scope: Scope): Promise<NearbyRow[]> {
  const seen = rows.filter((r) => inScope(scope, { divisionCode: r.grid_code, departmentId: r.department_id === null ? null : Number(r.department_id) }));
  const rest = rows.filter((r) => !seen.includes(r));
  if (rest.length === 0 || scope.departmentIds.length === 0) return seen;
  const held = await db.selectFrom('case_departments').select('case_id')
    .where('case_id', 'in', rest.map((r) => r.id)).where('department_id', 'in', scope.departmentIds).execute();
  const ids = new Set(held.map((h) => Number(h.case_id)));
  return [...seen, ...rest.filter((r) => ids.has(Number(r.id)))];
}

/**
 * Candidates nearest first. `scope` limits them to what the reader may see; null is the system's
 * own look (while a report is filed). Limits default to the category's from the categories table.
 */
export async function findDuplicateCandidates(
  db: Executor,
  q: DuplicateQuery,
  scope: Scope | null,
  limits?: DuplicateLimits,
): Promise<DuplicateCandidateRow[]> {
  if (!q.categoryCode) return [];
  const { radiusM, windowH } = limits ?? (await limitsOf(db, q.categoryCode));
  const box = boxAround(q.lon, q.lat, radiusM);
  let rows = await nearbyOpenCases(db, {
    category: q.categoryCode, from: q.at - windowH * HOUR_MS, to: q.at + windowH * HOUR_MS, exclude: q.excludeCaseId ?? -1, ...box,
  });
  if (scope && rows.length) rows = await visibleIn(db, rows, scope);
  return rows
    .map((r) => ({ r, d: haversineM(q.lon, q.lat, r.lon, r.lat) }))
    .filter(({ d }) => d <= radiusM)
    .sort((a, b) => a.d - b.d || a.r.created_at - b.r.created_at)
    .slice(0, MAX_CANDIDATES)
    .map(({ r, d }) => ({
      id: Number(r.id), number: r.number, state: r.state as State, gridCode: r.grid_code, address: r.address,
      description: r.description, createdAt: r.created_at, distanceM: Math.round(d * 10) / 10,
    }));
}
