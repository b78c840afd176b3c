import Flatbush from 'flatbush';
import polygonClipping, { type Geom, type MultiPolygon } from 'polygon-clipping';
import { bboxOf, multiStraightEdgeAreaM2, multiPolygonAreaM2, straightEdgeAreaM2 } from './area.js';
import { multiPointOnSurface, pointOnSurface } from './rings.js';
import type { GridShape, LooseMultiPolygon, Position } from './types.js';

export interface CoverageOptions {
  /** Problems smaller than this (m²) are floating-point slivers: listed, but they do not fail the check. */
  sliverM2: number;
}

export interface CoverageOverlap {
  /** The two grids, smaller code first. */
  a: string;
  b: string;
  areaM2: number;
  /** A point inside the overlap (in its largest piece). */
  location: Position;
  sliver: boolean;
}

export interface CoverageGap {
  areaM2: number;
  /** A point inside the gap. */
  location: Position;
  sliver: boolean;
}

/**
 * Problem areas are measured with straight lon/lat edges, as clipping sees them (see
 * straightEdgeAreaM2), so what clipping leaves along shared edges measures as the nothing it is;
 * the two totals use the turf formula, like every other area in OneGrid.
 *
 * "One net" (全区一张网): the grids must cover the boundary with no gap and no overlap, and stay
 * inside it. `outside` lists grid area beyond the boundary (an addition to gaps and overlaps).
 */
export interface CoverageReport {
  verdict: 'ok' | 'problems';
  gridCount: number;
  boundaryAreaM2: number;
  gridsAreaM2: number;
  overlaps: CoverageOverlap[];
  gaps: CoverageGap[];
  outside: CoverageGap[];
}

/** Pieces smaller than this (1 mm²) are rounding noise of the clipping, not slivers: not listed. */
const NOISE_M2 = 1e-6;

/** How many geometries one polygon-clipping union sweeps at once before the results are merged. */
const UNION_CHUNK = 64;

const asGeom = (coords: LooseMultiPolygon) => coords as unknown as Geom;

/**
 * Unions many polygons in a tree of chunked unions: each sweep stays small, and neighbouring grids
 * (consecutive in code order) merge early, which keeps intermediate results simple.
 */
export function unionAll(geoms: readonly LooseMultiPolygon[]): MultiPolygon {
  let level: MultiPolygon[] = geoms.filter((g) => g.length > 0).map((g) => asGeom(g) as MultiPolygon);
  if (level.length === 0) return [];
  while (level.length > 1) {
    const next: MultiPolygon[] = [];
    for (let i = 0; i < level.length; i += UNION_CHUNK) {
      next.push(polygonClipping.union(level[i], ...level.slice(i + 1, i + UNION_CHUNK)));
    }
    level = next;
  }
  return polygonClipping.union(level[0]);
}

function pieces(multi: MultiPolygon, sliverM2: number): CoverageGap[] {
  return multi
    .map((polygon) => {
      const areaM2 = straightEdgeAreaM2(polygon);
      return { areaM2, location: pointOnSurface(polygon), sliver: areaM2 < sliverM2 };
    })
    .filter((p) => p.areaM2 > NOISE_M2)
    .sort((x, y) => y.areaM2 - x.areaM2);
}

/** Pairs of grids whose interiors overlap, found among pairs with overlapping bounding boxes. */
function findOverlaps(grids: readonly GridShape[], sliverM2: number): CoverageOverlap[] {
  if (grids.length < 2) return [];
  const boxes = grids.map((g) => bboxOf(g.polygon));
  const tree = new Flatbush(grids.length);
  for (const b of boxes) tree.add(b[0], b[1], b[2], b[3]);
  tree.finish();
  const overlaps: CoverageOverlap[] = [];
  boxes.forEach((b, i) => {
    for (const j of tree.search(b[0], b[1], b[2], b[3])) {
      if (j <= i) continue;
      const c = boxes[j];
      // boxes that only touch cannot hold an overlap of positive area
      if (Math.min(b[2], c[2]) <= Math.max(b[0], c[0]) || Math.min(b[3], c[3]) <= Math.max(b[1], c[1])) continue;
      let common: MultiPolygon;
      try {
        common = polygonClipping.intersection(asGeom(grids[i].polygon), asGeom(grids[j].polygon));
      } catch (err) {
        throw new Error(`Cannot intersect grids ${grids[i].code} and ${grids[j].code}: ${(err as Error).message}`);
      }
      if (common.length === 0) continue;
      const areaM2 = multiStraightEdgeAreaM2(common);
      if (!(areaM2 > NOISE_M2)) continue;
      const [a, bCode] = grids[i].code <= grids[j].code ? [grids[i].code, grids[j].code] : [grids[j].code, grids[i].code];
      overlaps.push({ a, b: bCode, areaM2, location: multiPointOnSurface(common), sliver: areaM2 < sliverM2 });
    }
  });
  return overlaps.sort((x, y) => y.areaM2 - x.areaM2 || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0));
}

/**
 * Checks that grids tile a boundary: every pair of grids whose bounding boxes overlap is
 * intersected; the union of all grids is compared with the boundary both ways. Areas are geodesic
 * (m²); each problem comes with a point inside it to show on the map. Expects valid polygons
 * (run validateGridFeatures first).
 */
export function checkCoverage(boundary: LooseMultiPolygon, grids: readonly GridShape[], opts: CoverageOptions): CoverageReport {
  const overlaps = findOverlaps(grids, opts.sliverM2);
  const union = unionAll(grids.map((g) => g.polygon));
  const gaps = pieces(polygonClipping.difference(asGeom(boundary), union), opts.sliverM2);
  const outside = union.length ? pieces(polygonClipping.difference(union, asGeom(boundary)), opts.sliverM2) : [];
  const failing = [...overlaps, ...gaps, ...outside].some((p) => !p.sliver);
  return {
    verdict: failing ? 'problems' : 'ok',
    gridCount: grids.length,
    boundaryAreaM2: multiPolygonAreaM2(boundary),
    gridsAreaM2: grids.reduce((sum, g) => sum + multiPolygonAreaM2(g.polygon), 0),
    overlaps,
    gaps,
    outside,
  };
}
