import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, bboxOf, multiStraightEdgeAreaM2, multiPolygonAreaM2, straightEdgeAreaM2, polygonAreaM2, ringAreaM2 } from './area.js';

/** Exact area of a lon/lat rectangle on the sphere: R² · Δλ · (sin φ2 − sin φ1). */
function rectangleM2(lon0: number, lat0: number, lon1: number, lat1: number): number {
  const rad = Math.PI / 180;
  return EARTH_RADIUS_M ** 2 * (lon1 - lon0) * rad * (Math.sin(lat1 * rad) - Math.sin(lat0 * rad));
}

const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('geodesic area', () => {
  it('matches the closed form for lon/lat rectangles, at the equator and at Tongzhou', () => {
    expect(Math.abs(ringAreaM2(rect(0, 0, 1, 1)))).toBeCloseTo(rectangleM2(0, 0, 1, 1), -2);
    const tongzhou = rect(116.6, 39.8, 116.7, 39.9);
    expect(polygonAreaM2([tongzhou]) / rectangleM2(116.6, 39.8, 116.7, 39.9)).toBeCloseTo(1, 9);
  });

  it('gives the same magnitude for either winding', () => {
    const ring = rect(116.6, 39.8, 116.7, 39.9);
    expect(ringAreaM2(ring)).toBeCloseTo(-ringAreaM2([...ring].reverse()), 3);
  });

  it('subtracts holes and adds the parts of a multipolygon', () => {
    const outer = rect(116, 39, 117, 40), hole = rect(116.25, 39.25, 116.75, 39.75);
    const withHole = polygonAreaM2([outer, hole]);
    expect(withHole / (rectangleM2(116, 39, 117, 40) - rectangleM2(116.25, 39.25, 116.75, 39.75))).toBeCloseTo(1, 9);
    expect(multiPolygonAreaM2([[outer, hole], [rect(118, 39, 119, 40)]])).toBeCloseTo(withHole + rectangleM2(118, 39, 119, 40), -2);
  });

  it('is zero for rings too short to enclose anything', () => {
    expect(ringAreaM2([[0, 0], [1, 1], [0, 0]])).toBe(0);
    expect(polygonAreaM2([])).toBe(0);
  });

  it('measures straight lon/lat edges exactly, additively, so a zero-width sliver is nothing', () => {
    const square = rect(116.6, 39.9, 116.62, 39.92);
    expect(straightEdgeAreaM2([square]) / rectangleM2(116.6, 39.9, 116.62, 39.92)).toBeCloseTo(1, 9);
    // cut along the diagonal, the halves add up to the whole, to the square millimetre
    const lower = [[116.6, 39.9], [116.62, 39.9], [116.62, 39.92], [116.6, 39.9]];
    const upper = [[116.6, 39.9], [116.62, 39.92], [116.6, 39.92], [116.6, 39.9]];
    expect(Math.abs(multiStraightEdgeAreaM2([[lower], [upper]]) - straightEdgeAreaM2([square]))).toBeLessThan(1e-6);
    // a vertex on the straight lon/lat edge between two others encloses nothing…
    const [a, b] = [[116.939453125, 39.8056640625], [116.9306640625, 39.8115234375]];
    const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const sliver = [a, mid, b, a];
    expect(straightEdgeAreaM2([sliver])).toBeLessThan(1e-6);
    // …while the turf formula, which bends lon/lat edges, finds square metres in it
    expect(Math.abs(ringAreaM2(sliver))).toBeGreaterThan(1);
  });

  it('finds the bounding box of any nesting', () => {
    expect(bboxOf([[rect(1, 2, 3, 4)], [[[-1, 5], [0, 6], [-1, 5]]]])).toEqual([-1, 2, 3, 6]);
    expect(bboxOf([rect(1, 2, 3, 4)])).toEqual([1, 2, 3, 4]);
  });
});
