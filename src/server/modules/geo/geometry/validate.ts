import { bboxOf, multiPolygonAreaM2 } from './area.js';
import { rewindMultiPolygon } from './rings.js';
import { findRingContacts, orient } from './segments.js';
import { GRID_PROBLEM_REASONS, type GridProblem, type GridProblemReason } from '../../../../shared/geo.js';
import type { LooseMultiPolygon, Position, ValidGrid } from './types.js';

export { GRID_PROBLEM_REASONS, type GridProblem, type GridProblemReason };

export interface GridValidation {
  ok: ValidGrid[];
  problems: GridProblem[];
}

export type KnownCommunities = ReadonlyMap<string, { street_code: string }>;

const GRID_CODE = /^\d{15}$/;

/** A code as a feature's properties give it; the import's scope check reads codes the same way. */
export function featureCode(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  // spreadsheets and GIS tools often write codes as numbers; 15 digits are exact in a double
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const fmt = (p: readonly number[]) => `[${p[0]}, ${p[1]}]`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** True when the positions span no area at all: fewer than 3 distinct, or all on one line. */
function allCollinear(positions: readonly number[][]): boolean {
  const [p] = positions;
  const q = positions.find((r) => r[0] !== p[0] || r[1] !== p[1]);
  return !q || positions.every((r) => orient(p[0], p[1], q[0], q[1], r[0], r[1]) === 0);
}

type Report = (reason: GridProblemReason, message: string, location?: Position) => void;

/** Checks one geometry; returns its polygons as a MultiPolygon when nothing is wrong with it. */
function checkGeometry(geometry: unknown, report: Report): LooseMultiPolygon | null {
  if (!isObject(geometry)) {
    report('geometry_missing', 'Feature has no geometry.');
    return null;
  }
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    report('geometry_type', `Geometry type ${String(geometry.type)} is not Polygon or MultiPolygon.`);
    return null;
  }
  const coords = geometry.coordinates;
  if (!Array.isArray(coords)) {
    report('coordinates_malformed', 'Geometry has no coordinates array.');
    return null;
  }
  const polygons = (geometry.type === 'Polygon' ? [coords] : coords) as unknown[];
  if (polygons.length === 0) {
    report('geometry_empty', 'MultiPolygon has no polygons.');
    return null;
  }

  let sound = true;
  let parseable = true;
  const multi: LooseMultiPolygon = [];
  polygons.forEach((polygon, pi) => {
    const where = geometry.type === 'Polygon' ? '' : `polygon ${pi}, `;
    if (!Array.isArray(polygon) || polygon.length === 0) {
      sound = parseable = false;
      if (Array.isArray(polygon)) report('geometry_empty', `Polygon ${pi} has no rings.`);
      else report('coordinates_malformed', `Polygon ${pi} is not an array of rings.`);
      return;
    }
    const rings: number[][][] = [];
    polygon.forEach((ring: unknown, ri) => {
      const label = `${where}ring ${ri}`;
      if (!Array.isArray(ring) || !ring.every((p) => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number')) {
        sound = parseable = false;
        return report('coordinates_malformed', `In ${label}, positions must be [lon, lat] arrays of numbers.`);
      }
      const positions = ring as number[][];
      const notFinite = positions.find((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
      if (notFinite) {
        sound = parseable = false;
        return report('coordinate_not_finite', `In ${label}, position ${fmt(notFinite)} is not finite.`);
      }
      const outOfRange = positions.find((p) => p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90);
      if (outOfRange) {
        sound = false;
        report('coordinate_out_of_range', `In ${label}, position ${fmt(outOfRange)} is outside lon −180..180, lat −90..90.`, [outOfRange[0], outOfRange[1]]);
      }
      const first = positions[0], last = positions[positions.length - 1];
      if (positions.length < 4) {
        sound = false;
        report('ring_too_short', `${cap(label)} has ${positions.length} positions; a closed ring needs at least 4.`, first && [first[0], first[1]]);
      } else if (first[0] !== last[0] || first[1] !== last[1]) {
        sound = false;
        report('ring_not_closed', `${cap(label)} is not closed: it starts at ${fmt(first)} and ends at ${fmt(last)}.`, [first[0], first[1]]);
      }
      const closed = positions.length > 0 && (first[0] !== last[0] || first[1] !== last[1]) ? [...positions, first] : positions;
      if (positions.length >= 4 && allCollinear(positions)) {
        sound = false;
        report('ring_degenerate', `${cap(label)} encloses no area.`, [first[0], first[1]]);
      }
      rings.push(closed);
    });
    multi.push(rings);
  });

  // intersections are only meaningful once every ring parsed into finite positions
  const flat = multi.flat();
  if (parseable && flat.length > 0) {
    const labels: string[] = [];
    multi.forEach((p, pi) => p.forEach((_, ri) => labels.push(geometry.type === 'Polygon' ? `ring ${ri}` : `polygon ${pi}, ring ${ri}`)));
    const contacts = findRingContacts(flat);
    for (const hit of contacts.selfIntersections) {
      sound = false;
      report('ring_self_intersection', `${cap(labels[hit.ring])} intersects itself near ${fmt(hit.at)}.`, hit.at);
    }
    for (const hit of contacts.crossings) {
      sound = false;
      report('rings_cross', `${cap(labels[hit.rings[0]])} and ${labels[hit.rings[1]]} cross near ${fmt(hit.at)}.`, hit.at);
    }
  }
  return sound ? multi : null;
}

/**
 * Validates a grid file (a FeatureCollection of Polygon/MultiPolygon features with properties
 * `code`, `name`, `community_code`) against the district's communities. Reports every problem of
 * every feature, so one round of fixes is enough; features without problems come back normalised.
 */
export function validateGridFeatures(fc: unknown, knownCommunities: KnownCommunities): GridValidation {
  const ok: ValidGrid[] = [];
  const problems: GridProblem[] = [];
  if (!isObject(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    problems.push({ index: -1, reason: 'not_feature_collection', message: 'Expected a GeoJSON FeatureCollection with a features array.' });
    return { ok, problems };
  }
  const firstIndexOfCode = new Map<string, number>();
  fc.features.forEach((feature: unknown, index) => {
    const before = problems.length;
    if (!isObject(feature) || feature.type !== 'Feature') {
      problems.push({ index, reason: 'not_feature', message: `features[${index}] is not a GeoJSON Feature.` });
      return;
    }
    const props = isObject(feature.properties) ? feature.properties : {};
    const code = featureCode(props.code);
    const report: Report = (reason, message, location) =>
      void problems.push({ index, ...(code !== undefined && { code }), reason, message, ...(location && { location }) });

    if (code === undefined) report('code_missing', 'Property code is missing.');
    else if (!GRID_CODE.test(code)) report('code_format', `Code "${code}" is not 15 digits.`);
    else if (firstIndexOfCode.has(code)) report('code_duplicate', `Code ${code} is also used by features[${firstIndexOfCode.get(code)}].`);
    else firstIndexOfCode.set(code, index);

    const name = typeof props.name === 'string' ? props.name.trim() : '';
    if (!name) report('name_missing', 'Property name is missing or blank.');

    const communityCode = featureCode(props.community_code);
    const community = communityCode === undefined ? undefined : knownCommunities.get(communityCode);
    if (communityCode === undefined) report('community_missing', 'Property community_code is missing.');
    else if (!community) report('community_unknown', `Community ${communityCode} is not a community of this district.`);
    if (code !== undefined && GRID_CODE.test(code) && communityCode !== undefined && !code.startsWith(communityCode)) {
      report('code_prefix_mismatch', `Code ${code} does not start with its community_code ${communityCode}.`);
    }

    const multi = checkGeometry(feature.geometry, report);
    if (problems.length > before || !multi || !community) return;
    const polygon = rewindMultiPolygon(multi);
    ok.push({
      index,
      code: code!,
      name,
      communityCode: communityCode!,
      streetCode: community.street_code,
      polygon,
      areaM2: multiPolygonAreaM2(polygon),
      bbox: bboxOf(polygon),
    });
  });
  return { ok, problems };
}

/**
 * A district's boundary from a GeoJSON file: a Polygon or MultiPolygon geometry, a Feature, or a
 * FeatureCollection holding one feature, or several of which one carries the district's code
 * (`code`, `adcode` or `gb` among its properties: a file of a city's districts). Checked as a grid's
 * outline is; the problems come back with the grid import's reasons.
 */
export function validateBoundary(input: unknown, districtCode: string): { polygon: LooseMultiPolygon; problems: [] } | { polygon: null; problems: GridProblem[] } {
  const problems: GridProblem[] = [];
  const report: Report = (reason, message, location) => void problems.push({ index: 0, reason, message, ...(location && { location }) });
  let geometry: unknown = input;
  if (isObject(input) && input.type === 'FeatureCollection' && Array.isArray(input.features)) {
    const features = input.features.filter(isObject);
    const own = features.filter((f) => isObject(f.properties) && ['code', 'adcode', 'gb'].some((k) => featureCode((f.properties as Record<string, unknown>)[k])?.replace(/^156/, '').startsWith(districtCode)));
    const chosen = features.length === 1 ? features[0] : own.length === 1 ? own[0] : undefined;
    if (!chosen) {
      return { polygon: null, problems: [{ index: -1, reason: 'not_feature_collection', message: `The file holds ${features.length} features, none or several of them with the code ${districtCode} (code, adcode or gb); give one.` }] };
    }
    geometry = chosen.geometry;
  } else if (isObject(input) && input.type === 'Feature') {
    geometry = input.geometry;
  }
  const multi = checkGeometry(geometry, report);
  return multi && problems.length === 0 ? { polygon: rewindMultiPolygon(multi), problems: [] } : { polygon: null, problems };
}
