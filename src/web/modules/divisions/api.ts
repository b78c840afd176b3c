import { api, ApiError } from '../../app/api.js';
import { forgetLayers } from '../map/api.js';

export type DivisionLevel = 40 | 30 | 20 | 10 | 0;

export interface Division {
  code: string;
  level: DivisionLevel;
  name: string;
  parentCode: string | null;
  childCount: number;
  areaM2: number | null;
}

export interface DivisionDetail {
  division: Division;
  /** Ancestors, from the top down, not including the division itself. */
  path: Division[];
  children: Division[];
  /** The division it belongs to, named even above the caller's jurisdiction; a link only when inScope. */
  parent: { code: string; name: string; inScope: boolean } | null;
  /** Whether the caller may rename it: the level above names a division (`named_above`: not this caller). */
  rename: 'allowed' | 'named_above' | 'not_allowed';
}

/** The top nodes of the user's jurisdiction (a district for district staff, a street for street staff). */
export async function fetchTopDivisions(signal?: AbortSignal): Promise<Division[]> {
  return (await api.get<{ items: Division[] }>('/api/divisions', undefined, signal)).items;
}

export async function fetchChildDivisions(parent: string, signal?: AbortSignal): Promise<Division[]> {
  return (await api.get<{ items: Division[] }>('/api/divisions', { parent }, signal)).items;
}

export function fetchDivision(code: string, signal?: AbortSignal): Promise<DivisionDetail> {
  return api.get<DivisionDetail>(`/api/divisions/${encodeURIComponent(code)}`, undefined, signal);
}

/** Renames a street, community or grid; its code stays. */
export async function renameDivision(code: string, name: string): Promise<Division> {
  const { division } = await api.put<{ division: Division }>(`/api/divisions/${encodeURIComponent(code)}`, { name });
  forgetLayers(); // this browser's maps show the new name at once
  return division;
}

/** The refusal that belongs to the name field: a sibling already has the name. */
export function isSiblingNamed(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'already_exists' && (err.details as { reason?: string } | null)?.reason === 'sibling_named';
}
