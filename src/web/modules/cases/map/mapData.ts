import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { CaseSummary } from '../shared/api.js';
import { LIGHT_COLORS, STATE_COLORS, stateGroupOf } from '../shared/labels.js';

/** Map data for the case map: where each case goes and what colour it wears. */

export interface CasePointProps {
  id: number;
  number: string;
  state: string;
  group: string;
  color: string;
  light: string;
  ring: string;
  red: number;
}

/** Planar centroid of a ring (lon/lat is flat enough at grid size), or its first vertex if degenerate. */
function ringCentroid(ring: readonly Position[]): [number, number] | null {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j] as [number, number];
    const [x1, y1] = ring[i] as [number, number];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-18) return ring[0] ? [ring[0][0]!, ring[0][1]!] : null;
  return [cx / (3 * a), cy / (3 * a)];
}

/** The centre of each grid's largest outer ring, by grid code. */
export function gridCentres(grids: FeatureCollection<Polygon | MultiPolygon, { code: string }>): Map<string, { centre: [number, number]; span: number }> {
  const out = new Map<string, { centre: [number, number]; span: number }>();
  for (const f of grids.features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let best: readonly Position[] | null = null;
    let bestSpan = -1;
    for (const poly of polygons) {
      const ring = poly[0];
      if (!ring) continue;
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);
      const span = Math.min(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
      if (span > bestSpan) {
        best = ring;
        bestSpan = span;
      }
    }
    const centre = best ? ringCentroid(best) : null;
    if (centre) out.set(f.properties.code, { centre, span: bestSpan });
  }
  return out;
}

/** A stable pseudo-random offset in [-0.5, 0.5) from a case id, so cases of one grid do not stack. */
function jitter(id: number, salt: number): number {
  let x = (id * 2654435761 + salt * 40503) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 2246822519) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  return (x % 10_000) / 10_000 - 0.5;
}

/**
 * One point per case: its own position when the list carries one, else near its grid's centre
 * (spread over a fifth of the grid, the same way on every load). Cases whose grid is unknown to
 * the map are left out and counted.
 */
export function caseFeatures(
  cases: readonly CaseSummary[],
  centres: ReadonlyMap<string, { centre: [number, number]; span: number }>,
): { collection: FeatureCollection<Point, CasePointProps>; unplaced: number } {
  const features: Feature<Point, CasePointProps>[] = [];
  let unplaced = 0;
  for (const c of cases) {
    let position: [number, number] | null = null;
    if (typeof c.lon === 'number' && typeof c.lat === 'number') position = [c.lon, c.lat];
    else {
      const grid = centres.get(c.gridCode);
      if (grid) position = [grid.centre[0] + jitter(c.id, 1) * grid.span * 0.4, grid.centre[1] + jitter(c.id, 2) * grid.span * 0.4];
    }
    if (!position) {
      unplaced++;
      continue;
    }
    features.push({
      type: 'Feature',
      id: c.id,
      geometry: { type: 'Point', coordinates: position },
      properties: {
        id: c.id,
        number: c.number,
        state: c.state,
        group: stateGroupOf(c.state),
        color: STATE_COLORS[c.state],
        light: c.light ?? 'none',
        ring: c.light ? LIGHT_COLORS[c.light] : '#ffffff',
        red: c.light === 'red' ? 1 : 0,
      },
    });
  }
  return { collection: { type: 'FeatureCollection', features }, unplaced };
}

/** The box around a collection of polygons, for "show the whole jurisdiction". */
export function boundsOf(fc: FeatureCollection<Polygon | MultiPolygon>): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const f of fc.features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const poly of polygons) for (const p of poly[0] ?? []) {
      minX = Math.min(minX, p[0]!);
      minY = Math.min(minY, p[1]!);
      maxX = Math.max(maxX, p[0]!);
      maxY = Math.max(maxY, p[1]!);
    }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** One label point per division (its largest ring's centre), for names on the map. */
export function labelPoints(fc: FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>): FeatureCollection<Point, { name: string }> {
  const centres = gridCentres(fc);
  return {
    type: 'FeatureCollection',
    features: fc.features.flatMap((f) => {
      const c = centres.get(f.properties.code);
      return c ? [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: c.centre }, properties: { name: f.properties.name } }] : [];
    }),
  };
}
