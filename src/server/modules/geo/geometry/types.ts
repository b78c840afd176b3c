/**
 * GeoJSON-shaped coordinate types used by the geometry core. Coordinates are WGS84 [lon, lat] in
 * degrees, as in RFC 7946. Inputs are typed loosely (`number[]` positions, so parsed JSON fits);
 * outputs use the tuple types.
 */
export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];

/** A polygon or multipolygon's coordinates as they arrive from JSON. */
export type LoosePolygon = number[][][];
export type LooseMultiPolygon = number[][][][];

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** What the point → grid index needs of a grid: its 15-digit code and MultiPolygon coordinates. */
export interface GridShape {
  code: string;
  polygon: LooseMultiPolygon;
}

/** A grid that passed validation, normalised to a MultiPolygon with RFC 7946 winding. */
export interface ValidGrid {
  /** Position of the feature in the FeatureCollection it came from. */
  index: number;
  code: string;
  name: string;
  communityCode: string;
  streetCode: string;
  polygon: MultiPolygonCoords;
  areaM2: number;
  bbox: BBox;
}

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: LoosePolygon;
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: LooseMultiPolygon;
}

/** The grid file format: one feature per grid with `code`, `name` and `community_code` properties. */
export interface GridFeature {
  type: 'Feature';
  geometry: PolygonGeometry | MultiPolygonGeometry;
  properties: { code: string; name: string; community_code: string; [key: string]: unknown };
}

export interface GridFeatureCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}
