import { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import polygonClipping, { type Geom } from 'polygon-clipping';
import { bboxOf } from '../geometry/area.js';
import { rewindMultiPolygon, signedArea2 } from '../geometry/rings.js';
import { findRingContacts, orient } from '../geometry/segments.js';
import type { LooseMultiPolygon, MultiPolygonCoords, Position } from '../geometry/types.js';
import type { LocalProjection } from './sites.js';

export interface CellLayout {
  /** One MultiPolygon per site: its Voronoi cell within the boundary (usually a single polygon). */
  polygons: MultiPolygonCoords[];
  /** For each cell, the cells it shares a stretch of border with. */
  neighbors: number[][];
  /** How many cells the boundary cut. */
  clipped: number;
}

/**
 * Two cells' copies of a point they share may differ in the last bits when each was computed by
 * its own clipping operation; anything closer than this (about 0.1 mm) is one point.
 */
const SNAP_DEG = 1e-9;

/**
 * Vertices all cells agree on: every cell's vertex is replaced by the first registered vertex within
 * SNAP_DEG, so neighbours end up with bit-identical shared edges. That is what lets the grids tile
 * with no slivers and lets the point index treat a shared edge identically from both sides.
 */
class VertexRegistry {
  private readonly exact = new Map<string, Position>();
  private readonly buckets = new Map<string, Position[]>();

  private bucketKey(x: number, y: number): string {
    return `${Math.floor(x / (4 * SNAP_DEG))},${Math.floor(y / (4 * SNAP_DEG))}`;
  }

  canonical(p: readonly number[]): Position {
    const key = `${p[0]},${p[1]}`;
    const known = this.exact.get(key);
    if (known) return known;
    const bx = Math.floor(p[0] / (4 * SNAP_DEG)), by = Math.floor(p[1] / (4 * SNAP_DEG));
    let best: Position | undefined, bestD = SNAP_DEG;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const q of this.buckets.get(`${bx + dx},${by + dy}`) ?? []) {
          const d = Math.max(Math.abs(q[0] - p[0]), Math.abs(q[1] - p[1]));
          if (d <= bestD) [best, bestD] = [q, d];
        }
      }
    }
    if (best) return best;
    const fresh: Position = [p[0], p[1]];
    this.exact.set(key, fresh);
    const bk = this.bucketKey(p[0], p[1]);
    const bucket = this.buckets.get(bk);
    if (bucket) bucket.push(fresh);
    else this.buckets.set(bk, [fresh]);
    return fresh;
  }
}

function snapPolygons(multi: LooseMultiPolygon, registry: VertexRegistry): MultiPolygonCoords {
  const out: MultiPolygonCoords = [];
  for (const polygon of multi) {
    const rings: Position[][] = [];
    for (const ring of polygon) {
      const snapped: Position[] = [];
      for (const p of ring) {
        const q = registry.canonical(p);
        if (snapped[snapped.length - 1] !== q) snapped.push(q);
      }
      if (snapped.length >= 4) rings.push(snapped);
      else if (rings.length === 0) break; // the outer ring collapsed: drop the polygon
    }
    if (rings.length > 0) out.push(rings);
  }
  return rewindMultiPolygon(out);
}

/**
 * A convex cell cut to the boundary. Sutherland–Hodgman clipping of the boundary ring against the
 * cell's edges keeps the boundary's own vertices untouched and costs microseconds. When the cut
 * may leave several pieces (that algorithm would join them by zero-width bridges), the general,
 * slower polygon clipper takes over.
 */
function clipCell(cell: Position[], boundary: LooseMultiPolygon): LooseMultiPolygon {
  if (boundary.length !== 1 || boundary[0].length !== 1) {
    return polygonClipping.intersection([cell] as Geom, boundary as unknown as Geom);
  }
  const convex = signedArea2(cell) > 0 ? cell : [...cell].reverse();
  let output: Position[] = boundary[0][0].slice(0, -1).map((p) => [p[0], p[1]] as Position);
  let piecesMayTouch = false;
  for (let k = 0; k + 1 < convex.length && output.length > 0; k++) {
    const [cx, cy] = convex[k], [dx, dy] = convex[k + 1];
    const input = output;
    output = [];
    let crossings = 0;
    for (let i = 0; i < input.length; i++) {
      const prev = input[(i + input.length - 1) % input.length], cur = input[i];
      const sp = orient(cx, cy, dx, dy, prev[0], prev[1]), sc = orient(cx, cy, dx, dy, cur[0], cur[1]);
      if ((sp >= 0) !== (sc >= 0)) {
        const t = sp / (sp - sc);
        output.push([prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])]);
        crossings++;
      }
      if (sc >= 0) output.push(cur);
    }
    // the boundary crossing one cell edge more than once in and once out means the result may be
    // several pieces, or one piece pinched at a point: cases for the general clipper
    if (crossings > 2) piecesMayTouch = true;
  }
  if (output.length < 3) return [];
  const ring = [...output, output[0]];
  if (piecesMayTouch || findRingContacts([ring]).selfIntersections.length > 0) {
    return polygonClipping.intersection([cell] as Geom, boundary as unknown as Geom);
  }
  return [[ring]];
}

/**
 * Voronoi cells of the sites, cut to the boundary. The diagram is computed in metres so cells are
 * round on the ground; a cell is clipped only when a boundary segment comes near it, and the
 * clipped cells' vertices are snapped onto their neighbours'.
 */
export function voronoiCells(sites: readonly Position[], boundary: LooseMultiPolygon, projection: LocalProjection): CellLayout {
  const xy = new Float64Array(2 * sites.length);
  sites.forEach(([lon, lat], i) => xy.set(projection.toXY(lon, lat), 2 * i));
  const [w, s, e, n] = bboxOf(boundary);
  const [x0, y0] = projection.toXY(w, s), [x1, y1] = projection.toXY(e, n);
  const delaunay = new Delaunay(xy);
  const voronoi = delaunay.voronoi([x0 - 1000, y0 - 1000, x1 + 1000, y1 + 1000]);

  const segments: number[] = [];
  for (const polygon of boundary) {
    for (const ring of polygon) {
      for (let k = 0; k + 1 < ring.length; k++) segments.push(ring[k][0], ring[k][1], ring[k + 1][0], ring[k + 1][1]);
    }
  }
  const segmentTree = new Flatbush(segments.length / 4);
  for (let k = 0; k < segments.length; k += 4) {
    segmentTree.add(Math.min(segments[k], segments[k + 2]), Math.min(segments[k + 1], segments[k + 3]), Math.max(segments[k], segments[k + 2]), Math.max(segments[k + 1], segments[k + 3]));
  }
  segmentTree.finish();

  const raw: LooseMultiPolygon[] = [];
  const wasClipped: boolean[] = [];
  for (let i = 0; i < sites.length; i++) {
    const ring = (voronoi.cellPolygon(i) ?? []).map(([x, y]) => projection.toLonLat(x, y));
    const [cw, cs, ce, cn] = bboxOf([ring]);
    const nearBoundary = segmentTree.search(cw, cs, ce, cn).length > 0;
    wasClipped.push(nearBoundary);
    raw.push(nearBoundary ? clipCell(ring, boundary) : [[ring]]);
  }

  // unclipped cells and the boundary hold the authoritative vertices; register them first
  const registry = new VertexRegistry();
  raw.forEach((multi, i) => {
    if (!wasClipped[i]) for (const p of multi[0][0]) registry.canonical(p);
  });
  for (const polygon of boundary) for (const ring of polygon) for (const p of ring) registry.canonical(p);
  const polygons = raw.map((multi) => snapPolygons(multi, registry));
  mergeDetachedPieces(polygons);

  return { polygons, neighbors: sharedEdgeNeighbors(polygons), clipped: wasClipped.filter(Boolean).length };
}

const pointKey = (p: readonly number[]) => `${p[0]},${p[1]}`;
const edgeKey = (a: readonly number[], b: readonly number[]) => {
  const ka = pointKey(a), kb = pointKey(b);
  return ka < kb ? `${ka};${kb}` : `${kb};${ka}`;
};

/**
 * Where the boundary cuts a cell in two or more pieces, keeps the largest and gives every other
 * piece to the cell it shares the longest border with, so each grid is one polygon. Shared borders
 * are bit-identical, so the union adds no new vertices.
 */
function mergeDetachedPieces(polygons: MultiPolygonCoords[]): void {
  const owners = new Map<string, Set<number>>();
  polygons.forEach((multi, cell) => {
    for (const polygon of multi) {
      for (const ring of polygon) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const key = edgeKey(ring[k], ring[k + 1]);
          const set = owners.get(key);
          if (set) set.add(cell);
          else owners.set(key, new Set([cell]));
        }
      }
    }
  });
  polygons.forEach((multi, cell) => {
    if (multi.length < 2) return;
    const sizes = multi.map((polygon) => Math.abs(signedArea2(polygon[0])));
    const keep = sizes.indexOf(Math.max(...sizes));
    const kept: MultiPolygonCoords = [multi[keep]];
    multi.forEach((piece, i) => {
      if (i === keep) return;
      const shared = new Map<number, number>();
      const ring = piece[0];
      for (let k = 0; k + 1 < ring.length; k++) {
        const length = Math.hypot(ring[k + 1][0] - ring[k][0], ring[k + 1][1] - ring[k][1]);
        for (const other of owners.get(edgeKey(ring[k], ring[k + 1])) ?? []) {
          if (other !== cell) shared.set(other, (shared.get(other) ?? 0) + length);
        }
      }
      const [target] = [...shared].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [-1];
      if (target < 0) {
        kept.push(piece); // touches no other cell: it stays where it is
        return;
      }
      polygons[target] = rewindMultiPolygon(polygonClipping.union(polygons[target] as Geom, piece as Geom));
      for (const r of piece) {
        for (let k = 0; k + 1 < r.length; k++) {
          const set = owners.get(edgeKey(r[k], r[k + 1]));
          set?.delete(cell);
          set?.add(target);
        }
      }
    });
    polygons[cell] = kept;
  });
}

/** Cells that share at least one edge (the same two canonical vertices). */
function sharedEdgeNeighbors(polygons: readonly MultiPolygonCoords[]): number[][] {
  const byEdge = new Map<string, number[]>();
  polygons.forEach((multi, cell) => {
    for (const polygon of multi) {
      for (const ring of polygon) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const key = edgeKey(ring[k], ring[k + 1]);
          const cells = byEdge.get(key);
          if (!cells) byEdge.set(key, [cell]);
          else if (!cells.includes(cell)) cells.push(cell);
        }
      }
    }
  });
  const neighbors = polygons.map(() => new Set<number>());
  for (const cells of byEdge.values()) {
    for (const a of cells) for (const b of cells) if (a !== b) neighbors[a].add(b);
  }
  return neighbors.map((set) => [...set].sort((a, b) => a - b));
}
