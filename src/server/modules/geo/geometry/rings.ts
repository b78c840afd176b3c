import type { LooseMultiPolygon, LoosePolygon, MultiPolygonCoords, Position, Ring } from './types.js';

/**
 * Planar helpers on lon/lat coordinates. They are used for orientation, ordering and picking a
 * point inside a shape, where treating degrees as a plane is fine; areas in m² live in area.ts.
 */

/** Twice the signed planar area of a closed ring; positive when counter-clockwise. */
export function signedArea2(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s;
}

function copyRing(ring: readonly (readonly number[])[], counterClockwise: boolean): Ring {
  const out: Ring = ring.map((p) => [p[0], p[1]] as Position);
  if (signedArea2(out) > 0 !== counterClockwise) out.reverse();
  return out;
}

/** Copies a multipolygon as 2D positions with RFC 7946 winding: outer rings CCW, holes CW. */
export function rewindMultiPolygon(multi: LooseMultiPolygon): MultiPolygonCoords {
  return multi.map((polygon) => polygon.map((ring, i) => copyRing(ring, i === 0)));
}

/** The index of the polygon with the largest planar area, for picking where to point at. */
export function largestPolygonIndex(multi: LooseMultiPolygon): number {
  let best = 0, bestArea = -Infinity;
  multi.forEach((polygon, i) => {
    let a = polygon.length ? Math.abs(signedArea2(polygon[0])) : 0;
    for (let h = 1; h < polygon.length; h++) a -= Math.abs(signedArea2(polygon[h]));
    if (a > bestArea) { bestArea = a; best = i; }
  });
  return best;
}

/** Planar area-weighted centroid of a multipolygon (holes subtract); the first vertex if degenerate. */
export function planarCentroid(multi: LooseMultiPolygon): Position {
  let a = 0, cx = 0, cy = 0;
  for (const polygon of multi) {
    polygon.forEach((ring, r) => {
      // orient each ring's contribution by its role, whatever winding it arrived with
      const sign = (signedArea2(ring) >= 0 ? 1 : -1) * (r === 0 ? 1 : -1);
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i], [x1, y1] = ring[i + 1];
        const cross = (x0 * y1 - x1 * y0) * sign;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
    });
  }
  if (a === 0) {
    const p = multi[0]?.[0]?.[0] ?? [NaN, NaN];
    return [p[0], p[1]];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

const MAX_SCANLINES = 33;

/**
 * A point strictly inside a polygon (with holes): the middle of the widest interior interval on a
 * few horizontal scanlines, each placed between two vertex latitudes so it meets no vertex. Unlike
 * a centroid it cannot fall outside a concave or ring-shaped area, so it can mark where a gap or an
 * overlap is on the map.
 */
export function pointOnSurface(polygon: LoosePolygon): Position {
  const ys = [...new Set(polygon.flatMap((ring) => ring.map((p) => p[1])))].sort((a, b) => a - b);
  const first = polygon[0]?.[0];
  if (ys.length < 2) return [first?.[0] ?? NaN, first?.[1] ?? NaN];
  const lines: number[] = [];
  const gaps = ys.length - 1;
  const step = Math.max(1, Math.floor(gaps / MAX_SCANLINES));
  // start from the middle band and work outwards so ties favour a central point
  const mid = Math.floor(gaps / 2);
  for (let k = 0; lines.length < MAX_SCANLINES; k++) {
    const lo = mid - k * step, hi = mid + k * step;
    if (lo < 0 && hi >= gaps) break;
    if (lo >= 0) lines.push((ys[lo] + ys[lo + 1]) / 2);
    if (k > 0 && hi < gaps) lines.push((ys[hi] + ys[hi + 1]) / 2);
  }
  let best: Position = [first[0], first[1]];
  let bestWidth = -1;
  const xs: number[] = [];
  for (const y of lines) {
    xs.length = 0;
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i], [bx, by] = ring[i + 1];
        if (ay < y !== by < y) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
      }
    }
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const width = xs[i + 1] - xs[i];
      if (width > bestWidth) {
        bestWidth = width;
        best = [(xs[i] + xs[i + 1]) / 2, y];
      }
    }
  }
  return best;
}

/** A point inside the largest polygon of a multipolygon. */
export function multiPointOnSurface(multi: LooseMultiPolygon): Position {
  return pointOnSurface(multi[largestPolygonIndex(multi)] ?? []);
}
