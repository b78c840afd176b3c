import { multiPolygonAreaM2 } from './area.js';
import { planarCentroid } from './rings.js';
import type { LooseMultiPolygon, Position } from './types.js';

/** Metres per degree of latitude, near enough for sizing rows. */
const M_PER_DEG_LAT = 111_320;

/**
 * The order in which a community's grids get their 3-digit sequence numbers.
 *
 * The standard says "west → east, then north → south" (DOMAIN.md). We read it as rows:
 * each grid is represented by its area centroid; the northernmost unnumbered grid starts a row,
 * and every grid whose centroid lies less than one row height south of it joins that row; within a
 * row grids go west → east; then the next row starts. The row height is half the side of a square
 * with the community's mean grid area, so grids of one band of a regular layout share a row while
 * the next band starts a new one. Ties (same longitude) go north first, then by input position.
 *
 * Returns input indices in numbering order: the grid at `order[0]` gets 001.
 */
export function gridNumberingOrder(polygons: readonly LooseMultiPolygon[]): number[] {
  if (polygons.length === 0) return [];
  const points = polygons.map((p) => planarCentroid(p));
  const meanAreaM2 = polygons.reduce((sum, p) => sum + multiPolygonAreaM2(p), 0) / polygons.length;
  return orderByRows(points, Math.sqrt(meanAreaM2) / 2 / M_PER_DEG_LAT);
}

/** Row-by-row order of points (see gridNumberingOrder), with the row height in degrees of latitude. */
export function orderByRows(points: readonly Position[], rowHeightDeg: number): number[] {
  const northFirst = points.map((_, i) => i).sort((a, b) => points[b][1] - points[a][1] || points[a][0] - points[b][0] || a - b);
  const order: number[] = [];
  let row: number[] = [];
  let rowTop = Infinity;
  const flush = () => {
    row.sort((a, b) => points[a][0] - points[b][0] || points[b][1] - points[a][1] || a - b);
    order.push(...row);
    row = [];
  };
  for (const i of northFirst) {
    if (row.length > 0 && points[i][1] <= rowTop - rowHeightDeg) flush();
    if (row.length === 0) rowTop = points[i][1];
    row.push(i);
  }
  flush();
  return order;
}

/** `${communityCode}` + 3-digit sequence: the 15-digit grid code. */
export function gridCode(communityCode: string, sequence: number): string {
  if (sequence < 1 || sequence > 999) throw new RangeError(`grid sequence ${sequence} is outside 1..999`);
  return communityCode + String(sequence).padStart(3, '0');
}
