import type { GridShape } from './types.js';

/**
 * The exact arithmetic of point-in-grid tests, shared by the index and its reference scan.
 */

/** Where a point is relative to one grid. */
export const OUTSIDE = 0;
export const ON_BOUNDARY = 1;
export const INSIDE = 2;
export type PointStatus = typeof OUTSIDE | typeof ON_BOUNDARY | typeof INSIDE;

/**
 * Status of (x, y) against one grid's edges, read from `edges[from..to)`. Each edge is stored
 * with its lower endpoint first (by y, then x), so two grids sharing an edge evaluate exactly the
 * same floating-point expressions for it and always take opposite sides: a point near a shared edge
 * is inside exactly one of them, and a point the arithmetic puts on the edge is on both boundaries.
 * Crossings use the half-open rule (lower end counts, upper end does not) on a ray towards +x.
 */
export function edgeStatus(edges: Float64Array, from: number, to: number, x: number, y: number): PointStatus {
  let inside = false;
  for (let e = from; e < to; e += 4) {
    const ay = edges[e + 1], by = edges[e + 3];
    if (y < ay || y > by) continue;
    const ax = edges[e], bx = edges[e + 2];
    const o = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (o === 0) {
      if (ax <= bx ? ax <= x && x <= bx : bx <= x && x <= ax) return ON_BOUNDARY;
    } else if (o > 0 && y < by) {
      inside = !inside;
    }
  }
  return inside ? INSIDE : OUTSIDE;
}

/**
 * All grids' edges in one typed array, each with its lower endpoint first (by y, then x), plus
 * per-grid offsets and bounding boxes. Unclosed rings are closed; zero-length edges dropped.
 */
export function flattenEdges(grids: readonly GridShape[]): { edges: Float64Array; edgeStart: Uint32Array; bboxes: Float64Array } {
  let count = 0;
  for (const g of grids) for (const polygon of g.polygon) for (const ring of polygon) count += ring.length;
  const edges = new Float64Array(4 * count);
  const edgeStart = new Uint32Array(grids.length + 1);
  const bboxes = new Float64Array(4 * grids.length);
  let e = 0;
  grids.forEach((grid, g) => {
    edgeStart[g] = e;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const polygon of grid.polygon) {
      for (const ring of polygon) {
        const n = ring.length;
        if (n < 2) continue;
        // an unclosed ring is closed implicitly; a closing position that repeats the first adds nothing
        for (let i = 0; i < n; i++) {
          const p = ring[i], q = ring[(i + 1) % n];
          if (p[0] === q[0] && p[1] === q[1]) continue;
          const pFirst = p[1] < q[1] || (p[1] === q[1] && p[0] < q[0]);
          const lo = pFirst ? p : q, hi = pFirst ? q : p;
          edges[e] = lo[0];
          edges[e + 1] = lo[1];
          edges[e + 2] = hi[0];
          edges[e + 3] = hi[1];
          e += 4;
          minX = Math.min(minX, p[0]);
          maxX = Math.max(maxX, p[0]);
          minY = Math.min(minY, p[1]);
          maxY = Math.max(maxY, p[1]);
        }
      }
    }
    bboxes.set([minX, minY, maxX, maxY], 4 * g);
  });
  edgeStart[grids.length] = e;
  return { edges: edges.subarray(0, e), edgeStart, bboxes };
}
