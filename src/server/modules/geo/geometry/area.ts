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

const M_PER_DEG = EARTH_RADIUS_M * RAD;

function shoelaceDeg2(ring: readonly (readonly number[])[]): number {
  if (ring.length === 0) return 0;
  // relative to the first vertex: products of raw lon/lat (~116 × 40) would drown a thin
  // sliver's area in rounding noise
  const [x0, y0] = ring[0];
  let s = 0;
  for (let i = 1; i + 1 < ring.length; i++) {
    s += (ring[i][0] - x0) * (ring[i + 1][1] - y0) - (ring[i + 1][0] - x0) * (ring[i][1] - y0);
  }
  return Math.abs(s) / 2;
}

/**
 * Area in m² of a polygon taken as flat in lon/lat, scaled at its mean latitude. This is the plane
 * polygon clipping works in, so a zero-width sliver it leaves between two grids measures (almost)
 * zero here, while the spherical formula above would give it square metres: that formula bends
 * straight lon/lat edges, so a vertex lying exactly on an edge already encloses area with it.
 * For compact shapes of a few km the two agree to a small fraction of a percent.
 */
export function planarAreaM2(polygon: LoosePolygon): number {
  if (polygon.length === 0 || polygon[0].length === 0) return 0;
  let lat = 0;
  for (const p of polygon[0]) lat += p[1];
  lat /= polygon[0].length;
  let deg2 = shoelaceDeg2(polygon[0]);
  for (let i = 1; i < polygon.length; i++) deg2 -= shoelaceDeg2(polygon[i]);
  return deg2 * M_PER_DEG * M_PER_DEG * Math.cos(lat * RAD);
}

/** planarAreaM2 over the polygons of a multipolygon. */
export function multiPlanarAreaM2(multi: LooseMultiPolygon): number {
  let total = 0;
  for (const p of multi) total += planarAreaM2(p);
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
