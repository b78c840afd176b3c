import type { BBox, LooseMultiPolygon, LoosePolygon } from './types.js';

/** WGS84 equatorial radius, the sphere @turf/area uses. */
export const EARTH_RADIUS_M = 6378137;

const RAD = Math.PI / 180;
const HALF_R2 = (EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;

/**
 * Signed spherical area of a closed ring in m² (the formula of @turf/area, after Chamberlain &
 * Duquette, "Some algorithms for polygons on a sphere", 2007). The sign depends on winding.
 */
export function ringAreaM2(ring: readonly (readonly number[])[]): number {
  const n = ring.length - 1; // the closing position repeats the first
  if (n <= 2) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i];
    const middle = ring[i + 1 === n ? 0 : i + 1];
    const upper = ring[(i + 2) % n];
    total += (upper[0] - lower[0]) * RAD * Math.sin(middle[1] * RAD);
  }
  return total * HALF_R2;
}

/** Area of a polygon in m²: the outer ring less its holes. */
export function polygonAreaM2(polygon: LoosePolygon): number {
  if (polygon.length === 0) return 0;
  let total = Math.abs(ringAreaM2(polygon[0]));
  for (let i = 1; i < polygon.length; i++) total -= Math.abs(ringAreaM2(polygon[i]));
  return total;
}

/** Area of a multipolygon in m² (its polygons are assumed not to overlap). */
export function multiPolygonAreaM2(multi: LooseMultiPolygon): number {
  let total = 0;
  for (const p of multi) total += polygonAreaM2(p);
  return total;
}

/** sin(x)/x, stable near zero. */
function sinc(x: number): number {
  return Math.abs(x) < 1e-4 ? 1 - (x * x) / 6 : Math.sin(x) / x;
}

/**
 * Area in m² enclosed by a ring whose edges are straight lines in lon/lat (the plane polygon
 * clipping works in), exact on the sphere: by Green's theorem each edge contributes
 * ∫ sin φ dλ = Δλ · sin φ̄ · sinc(Δφ/2). Cutting an edge at a point on it leaves the sum unchanged,
 * so a zero-width sliver between two grids measures (almost) nothing, where ringAreaM2, which bends
 * such edges, would give it square metres. For shapes of a few km the two agree to about 1e-5.
 */
function straightEdgeRingAreaM2(ring: readonly (readonly number[])[]): number {
  if (ring.length < 4) return 0;
  // sin φ0 taken out of every term (Σ Δλ = 0 round a closed ring) keeps the terms small, so a
  // thin sliver's area does not drown in the rounding of large ones
  const sin0 = Math.sin(ring[0][1] * RAD);
  let total = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [l1, p1] = ring[i], [l2, p2] = ring[i + 1];
    const dPhi = (p2 - p1) * RAD;
    total += (l2 - l1) * RAD * (Math.sin(((p1 + p2) / 2) * RAD) * sinc(dPhi / 2) - sin0);
  }
  return Math.abs(total) * EARTH_RADIUS_M * EARTH_RADIUS_M;
}

/** Area in m² of a polygon with straight lon/lat edges: the outer ring less its holes. */
export function straightEdgeAreaM2(polygon: LoosePolygon): number {
  if (polygon.length === 0) return 0;
  let total = straightEdgeRingAreaM2(polygon[0]);
  for (let i = 1; i < polygon.length; i++) total -= straightEdgeRingAreaM2(polygon[i]);
  return total;
}

/** straightEdgeAreaM2 over the polygons of a multipolygon. */
export function multiStraightEdgeAreaM2(multi: LooseMultiPolygon): number {
  let total = 0;
  for (const p of multi) total += straightEdgeAreaM2(p);
  return total;
}

/** Bounding box of any nesting of positions (ring, polygon or multipolygon). */
export function bboxOf(coords: LooseMultiPolygon | LoosePolygon): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const visit = (node: unknown): void => {
    if (!Array.isArray(node) || node.length === 0) return;
    if (typeof node[0] === 'number') {
      const x = node[0] as number, y = node[1] as number;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      return;
    }
    for (const child of node) visit(child);
  };
  visit(coords);
  return [minX, minY, maxX, maxY];
}
