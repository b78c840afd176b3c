import { sql } from 'kysely';
import { OPEN_STATES, type CategoryTree, type State } from '../../../../shared/cases/index.js';
import type { Scope } from '../../../platform/access.js';
import type { Executor } from '../../../platform/db.js';
import { caseInScope } from '../cases.repo.js';

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

/** The category's radius and window in a tree, or the defaults. */
export function limitsIn(tree: CategoryTree | null, categoryCode: string): DuplicateLimits {
  const sub = tree?.classes.flatMap((c) => c.subcategories).find((s) => s.code === categoryCode);
  return { radiusM: sub?.duplicate_radius_m ?? DEFAULT_RADIUS_M, windowH: sub?.duplicate_window_h ?? DEFAULT_WINDOW_H };
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
  let sel = db.selectFrom('cases')
    .select(['id', 'number', 'state', 'grid_code', 'address', 'description', 'created_at', 'lon', 'lat'])
    .where('category_code', '=', q.categoryCode)
    // unary plus: the time window is checked on the rows the longitude band finds (cases_category_lon);
    // without it SQLite's planner takes the category's whole window (cases_category_created) instead
    .where(sql<number>`+${sql.ref('created_at')}`, '>=', q.at - windowH * HOUR_MS)
    .where(sql<number>`+${sql.ref('created_at')}`, '<=', q.at + windowH * HOUR_MS)
    .where('state', 'in', [...OPEN_STATES])
    .where('lon', '>=', box.minLon).where('lon', '<=', box.maxLon)
    .where('lat', '>=', box.minLat).where('lat', '<=', box.maxLat);
  if (q.excludeCaseId !== undefined) sel = sel.where('id', '<>', q.excludeCaseId);
  if (scope) sel = sel.where((eb) => caseInScope(eb, scope));
  const rows = await sel.limit(500).execute();
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
