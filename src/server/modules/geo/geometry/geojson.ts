import type { GridFeatureCollection, LooseMultiPolygon } from './types.js';

export interface ExportableGrid {
  code: string;
  name: string;
  communityCode: string;
  polygon: LooseMultiPolygon;
  /** Extra properties to carry along (e.g. area_m2); they never override the three above. */
  properties?: Record<string, unknown>;
}

/**
 * The grid file format that validateGridFeatures reads: one MultiPolygon feature per grid, with
 * `code`, `name` and `community_code`, so an exported file imports again unchanged.
 */
export function toGridFeatureCollection(grids: readonly ExportableGrid[]): GridFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: grids.map((g) => ({
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: g.polygon },
      properties: { ...g.properties, code: g.code, name: g.name, community_code: g.communityCode },
    })),
  };
}
