import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { api } from '../../../app/api.js';
import type { Me } from '../../../app/auth.js';

/**
 * The calls the field app makes besides the case API (shared/api.ts): the session, the category
 * tree, the worker's grids and point → grid. Kept apart from the console's session code because the
 * field app must start without a connection (see session.tsx).
 */
export interface MeResponse {
  user: Me;
  csrfToken: string;
}

export const fetchMe = (signal?: AbortSignal) => api.get<MeResponse>('/api/auth/me', undefined, signal);
export const signInRequest = (username: string, password: string) => api.post<MeResponse>('/api/auth/login', { username, password });
export const signOutRequest = () => api.post<void>('/api/auth/logout');

export interface SubCategory {
  code: string;
  name_zh: string;
  name_en: string;
}

export interface CategoryClass {
  code: string;
  kind: string;
  name_zh: string;
  name_en: string;
  subcategories: SubCategory[];
}

export interface CategoryTree {
  version: number;
  classes: CategoryClass[];
}

/** The current category tree; public, so the resident form can use it too. */
export const fetchCategories = (signal?: AbortSignal) => api.get<CategoryTree>('/api/categories', undefined, signal);

export interface GridProperties {
  code: string;
  name: string;
  community_code?: string;
  parent_code?: string | null;
}

export type GridCollection = FeatureCollection<Polygon | MultiPolygon, GridProperties>;

/** The grids inside the user's jurisdiction: for a grid worker, their own grids. */
export const fetchMyGrids = (signal?: AbortSignal) => api.get<GridCollection>('/api/geo/layers/grids', undefined, signal);

export interface Located {
  gridCode: string;
  gridName: string;
  communityCode: string;
  streetCode: string;
  districtCode: string;
}

export const locatePoint = (lon: number, lat: number, signal?: AbortSignal) => api.get<Located>('/api/geo/locate', { lon, lat }, signal);

export interface DuplicateHint {
  id: number;
  number: string;
  state: string;
  gridCode?: string;
  address: string | null;
  description: string;
  createdAt: number;
  distanceM: number;
}

export interface DuplicateAnswer {
  radiusM: number;
  windowH: number;
  items: DuplicateHint[];
}

/** Open cases of the category near the point, before the worker submits (`GET /api/cases/duplicates`). */
export const fetchDuplicateHints = (category: string, lon: number, lat: number, signal?: AbortSignal) =>
  api.get<DuplicateAnswer>('/api/cases/duplicates', { category, lon, lat }, signal);
