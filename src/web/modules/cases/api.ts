import { api } from '../../app/api.js';

/** Reference data the case screens need besides the cases API: division names and the grid team. */

export interface DivisionRow {
  code: string;
  level: number;
  name: string;
  parentCode: string | null;
  childCount: number;
}

const childrenCache = new Map<string, Promise<DivisionRow[]>>();

/** Children of a division (or the user's top divisions), cached for the page's life: names do not change under a dispatcher. */
export function fetchChildren(parent: string | null): Promise<DivisionRow[]> {
  const key = parent ?? '';
  let hit = childrenCache.get(key);
  if (!hit) {
    hit = api.get<{ items: DivisionRow[] }>('/api/divisions', parent ? { parent } : undefined).then((r) => r.items);
    hit.catch(() => childrenCache.delete(key));
    childrenCache.set(key, hit);
  }
  return hit;
}

export function fetchTopDivisions(): Promise<DivisionRow[]> {
  return fetchChildren(null);
}

/**
 * Names of the streets and communities that grid codes lie in: one request per street seen, not
 * per case (a case summary carries only its grid code).
 */
export async function namesForGrids(gridCodes: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const streets = [...new Set(gridCodes.map((g) => g.slice(0, 9)))];
  const districts = [...new Set(gridCodes.map((g) => g.slice(0, 6)))];
  const lists = await Promise.all([
    ...districts.map((d) => fetchChildren(d).catch(() => [] as DivisionRow[])),
    ...streets.map((s) => fetchChildren(s).catch(() => [] as DivisionRow[])),
  ]);
  for (const list of lists) for (const d of list) names.set(d.code, d.name);
  return names;
}

export interface TeamMember {
  id: number;
  name: string;
  phone: string | null;
  force: 'fulltime' | 'social' | 'professional';
  role: string;
  departmentName: string | null;
  divisionCode: string;
  gridCodes: string[];
}

export function fetchTeam(area: string, page = 1, pageSize = 50, signal?: AbortSignal) {
  return api.get<{ total: number; items: TeamMember[] }>('/api/team', { area, page, pageSize }, signal);
}
