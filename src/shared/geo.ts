/**
 * Grids and map layers as the server and the web app both speak of them: the layers a map can ask
 * for, and the answer of a grid import (its rejected features and the grids a redraw retired).
 */

/** The map layers and the division level each draws. */
export const LAYER_LEVEL = { district: 30, streets: 20, communities: 10, grids: 0 } as const;
export type Layer = keyof typeof LAYER_LEVEL;
export const LAYERS = Object.keys(LAYER_LEVEL) as Layer[];

/**
 * Every reason a grid feature can be rejected for. The keys are stable: the import API returns them,
 * the UI translates them, and the docs list them. Add new ones at the end; never rename.
 */
export const GRID_PROBLEM_REASONS = {
  not_feature_collection: 'The file is not a GeoJSON FeatureCollection with a features array (index −1).',
  not_feature: 'An entry of features is not a GeoJSON Feature.',
  geometry_missing: 'The feature has no geometry.',
  geometry_type: 'The geometry is neither a Polygon nor a MultiPolygon.',
  geometry_empty: 'The geometry has no polygons, or a polygon has no rings.',
  coordinates_malformed: 'Coordinates are not nested arrays of [lon, lat] numbers.',
  coordinate_not_finite: 'A coordinate is NaN or infinite.',
  coordinate_out_of_range: 'A longitude is outside −180..180 or a latitude outside −90..90.',
  ring_too_short: 'A ring has fewer than 4 positions.',
  ring_not_closed: 'A ring’s last position differs from its first.',
  ring_degenerate: 'A ring has fewer than 3 distinct positions or encloses no area.',
  ring_self_intersection: 'A ring crosses or touches itself.',
  rings_cross: 'Two rings of the same feature (holes, or parts of a MultiPolygon) cross or share a stretch of boundary.',
  code_missing: 'The code property is missing.',
  code_format: 'The code is not 15 digits.',
  code_duplicate: 'Another feature earlier in the file has the same code.',
  name_missing: 'The name property is missing or blank.',
  community_missing: 'The community_code property is missing.',
  community_unknown: 'The community_code is not a community of this district.',
  code_prefix_mismatch: 'The code does not start with its community_code.',
} as const;

export type GridProblemReason = keyof typeof GRID_PROBLEM_REASONS;

export interface GridProblem {
  /** Position of the feature in the file; −1 for the file itself. */
  index: number;
  code?: string;
  reason: GridProblemReason;
  message: string;
  /** Where on the map, when the problem has a place. */
  location?: [number, number];
}

/** A grid a redraw retired, with what still refers to it. */
export interface RetiredGrid {
  code: string;
  name: string;
  /** Cases still open there: they finish in this grid. */
  openCases: number;
  /** Team members still assigned to it: to be given the new grids. */
  teamMembers: number;
  /** Roles granted on it (a grid worker's account): to be granted on the new grids. */
  grants: number;
}

/**
 * A community a redraw merged into a neighbour (社区合并): it leaves the tree, the map and the
 * search with all its grids (listed among the retired grids); its cases, cards and figures stay.
 */
export interface RetiredCommunity {
  code: string;
  name: string;
  /** Cases still open in its grids: they finish there. */
  openCases: number;
  /** Roles granted on the community itself (its workstation's accounts): to be granted on the community that took it in. */
  grants: number;
}

/** Why a community to merge was refused (`details.reason` of the 400, with `details.code`). */
export const MERGE_REFUSALS = ['not_redraw', 'unknown', 'retired', 'drawn_by_file', 'other_street'] as const;
export type MergeRefusal = (typeof MERGE_REFUSALS)[number];

/** What a grid import did. */
export interface GridImportResult {
  imported: number;
  inserted: number;
  updated: number;
  /** Retired grids imported again, now back in use (counted in `updated` as well). */
  revived: number;
  /** Grids in use given a new outline (counted in `updated` as well); the earlier one is kept for history. */
  reshaped: number;
  /** With retireMissing: the grids of the file's communities that the file left out, now retired. */
  retired: RetiredGrid[];
  /** With mergeCommunities: the communities merged into the file's communities, now retired. */
  retiredCommunities: RetiredCommunity[];
  skipped: GridProblem[];
}
