import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { api, requestEarly } from '../../app/api.js';
import { LAYERS, type Layer as LayerName } from '../../../shared/geo.js';
import type { Force, TeamRole } from '../../../shared/team.js';

export type { LayerName };

/** Properties of a division polygon as the layers API sends them (grids carry community_code). */
export interface DivisionProperties {
  code: string;
  name: string;
  parent_code?: string | null;
  community_code?: string;
  area_m2?: number;
}

export type DivisionFeature = Feature<Polygon | MultiPolygon, DivisionProperties>;
export type DivisionCollection = FeatureCollection<Polygon | MultiPolygon, DivisionProperties>;

export type BBox = [number, number, number, number];

export interface SearchHit {
  code: string;
  name: string;
  /** 30 district, 20 street, 10 community, 0 grid. */
  level: number;
  parentCode: string | null;
  bbox: BBox | null;
}

export interface TeamMember {
  id: number;
  name: string;
  /** Masked (138****1234) unless the user may read personal data unmasked. */
  phone: string | null;
  force: Force;
  role: TeamRole;
  departmentName: string | null;
}

export interface GridCard {
  code: string;
  name: string;
  areaM2: number | null;
  /** ISO time the grid was retired (redrawn away); null while in use. */
  retiredAt: string | null;
  bbox: BBox | null;
  community: { code: string; name: string };
  street: { code: string; name: string } | null;
  head: TeamMember | null;
  team: TeamMember[];
  counts: Record<Force, number>;
}

export interface CoverageProblem {
  areaM2: number;
  location: [number, number];
  sliver: boolean;
}

export interface CoverageReport {
  verdict: 'ok' | 'problems';
  districtCode: string;
  gridCount: number;
  boundaryAreaM2: number;
  gridsAreaM2: number;
  overlaps: (CoverageProblem & { a: string; b: string })[];
  gaps: CoverageProblem[];
  outside: CoverageProblem[];
}

/** One map layer inside the user's jurisdiction (the district outline is shown to everyone in it). */
export const LAYER_NAMES: readonly LayerName[] = LAYERS;

/** `at` (grids only): the grids as they stood at that moment, for a past period's map. */
export function fetchLayer(layer: LayerName, signal?: AbortSignal, at?: number): Promise<DivisionCollection> {
  return api.get<DivisionCollection>(`/api/geo/layers/${layer}`, at === undefined ? undefined : { at }, signal);
}

/** How long a layer read by the case maps and the dashboard is used again without asking. */
export const LAYER_FRESH_MS = 60_000;
const layerCache = new Map<string, { at: number; answer: Promise<DivisionCollection> }>();

/**
 * A layer shared by the screens that draw it again and again (the case maps, the dashboard's
 * density maps): read once, used again for a minute, then asked for again so that a console left
 * open all day sees an import, a redraw or a rename; the server answers an unchanged layer with a
 * 304 and the browser reuses its copy.
 */
export function sharedLayer(layer: LayerName, now = Date.now(), at?: number): Promise<DivisionCollection> {
  const key = at === undefined ? layer : `${layer}@${at}`;
  const hit = layerCache.get(key);
  if (hit && now - hit.at < LAYER_FRESH_MS) return hit.answer;
  const answer = fetchLayer(layer, undefined, at);
  answer.catch(() => {
    if (layerCache.get(key)?.answer === answer) layerCache.delete(key);
  });
  layerCache.set(key, { at: now, answer });
  return answer;
}

/** Forgets the shared layers at once (after this browser imported grids or renamed a division). */
export function forgetLayers(): void {
  layerCache.clear();
}

/** The layers the grid map shows, asked for while the console's code downloads (app/pages.ts). */
export function requestLayersEarly(): void {
  for (const layer of LAYER_NAMES) requestEarly(`/api/geo/layers/${layer}`);
}

export async function searchDivisions(q: string, signal?: AbortSignal): Promise<SearchHit[]> {
  return (await api.get<{ items: SearchHit[] }>('/api/geo/search', { q, limit: 12 }, signal)).items;
}

export function fetchGridCard(code: string, signal?: AbortSignal): Promise<GridCard> {
  return api.get<GridCard>(`/api/geo/grids/${encodeURIComponent(code)}`, undefined, signal);
}

/** 无缝拼接: overlaps between grids and gaps against the boundary; slivers below sliverM2 are flagged. */
export function fetchCoverage(sliverM2?: number, signal?: AbortSignal): Promise<CoverageReport> {
  return api.get<CoverageReport>('/api/geo/coverage', { sliverM2 }, signal);
}
