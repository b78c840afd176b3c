/**
 * The pure geometry core of the geo module: no database, no HTTP. The repository, routes and CLI
 * (`onegrid grids import|check|export`, `onegrid demo`) build on these functions.
 */
export type {
  BBox, GridFeature, GridFeatureCollection, GridShape, LooseMultiPolygon, LoosePolygon,
  MultiPolygonCoords, PolygonCoords, Position, Ring, ValidGrid,
} from './types.js';
export { EARTH_RADIUS_M, bboxOf, multiStraightEdgeAreaM2, multiPolygonAreaM2, straightEdgeAreaM2, polygonAreaM2, ringAreaM2 } from './area.js';
export { multiPointOnSurface, planarCentroid, pointOnSurface, rewindMultiPolygon } from './rings.js';
export {
  GRID_PROBLEM_REASONS, featureCode, validateBoundary, validateGridFeatures,
  type GridProblem, type GridProblemReason, type GridValidation, type KnownCommunities,
} from './validate.js';
export {
  GridLocator, INSIDE, ON_BOUNDARY, OUTSIDE,
  type GridLocatorOptions, type GridLocatorStats, type PointStatus,
} from './locate.js';
export { PastOutlineIndex, type PastOutline } from './outlines.js';
export {
  checkCoverage, unionAll,
  type CoverageGap, type CoverageOptions, type CoverageOverlap, type CoverageReport,
} from './coverage.js';
export { gridCode, gridNumberingOrder, orderByRows } from './numbering.js';
export { toGridFeatureCollection, type ExportableGrid } from './geojson.js';
