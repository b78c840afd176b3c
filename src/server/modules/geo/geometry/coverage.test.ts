import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './area.js';
import { checkCoverage } from './coverage.js';
import type { GridShape } from './types.js';

/** Exact area of a lon/lat rectangle on the sphere. */
function rectangleM2(lon0: number, lat0: number, lon1: number, lat1: number): number {
  const rad = Math.PI / 180;
  return EARTH_RADIUS_M ** 2 * (lon1 - lon0) * rad * (Math.sin(lat1 * rad) - Math.sin(lat0 * rad));
}

const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** A 3×3 block of 0.01° squares south-west of (116.60, 39.90): about 850 m × 1,110 m each. */
const X0 = 116.6, Y0 = 39.9, S = 0.01;
const boundary = [[rect(X0, Y0, X0 + 3 * S, Y0 + 3 * S)]];
function squares(): GridShape[] {
  const out: GridShape[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out.push({ code: `110112001006${String(r * 3 + c + 1).padStart(3, '0')}`, polygon: [[rect(X0 + c * S, Y0 + r * S, X0 + (c + 1) * S, Y0 + (r + 1) * S)]] });
    }
  }
  return out;
}
const inside = (p: [number, number], x0: number, y0: number, x1: number, y1: number) => p[0] > x0 && p[0] < x1 && p[1] > y0 && p[1] < y1;

describe('checkCoverage', () => {
  it('passes grids that tile the boundary exactly', () => {
    const report = checkCoverage(boundary, squares(), { sliverM2: 1 });
    expect(report).toMatchObject({ verdict: 'ok', gridCount: 9, overlaps: [], gaps: [], outside: [] });
    expect(report.gridsAreaM2 / report.boundaryAreaM2).toBeCloseTo(1, 9);
  });

  it('finds a planted gap with its area and a point inside it', () => {
    const grids = squares().filter((g) => !g.code.endsWith('005')); // the middle square
    const report = checkCoverage(boundary, grids, { sliverM2: 1 });
    expect(report.verdict).toBe('problems');
    expect(report.gaps).toHaveLength(1);
    const expected = rectangleM2(X0 + S, Y0 + S, X0 + 2 * S, Y0 + 2 * S);
    expect(Math.abs(report.gaps[0].areaM2 / expected - 1)).toBeLessThan(0.01);
    expect(inside(report.gaps[0].location, X0 + S, Y0 + S, X0 + 2 * S, Y0 + 2 * S)).toBe(true);
    expect(report.gaps[0].sliver).toBe(false);
  });

  it('finds a planted overlap between the right grids, with its area', () => {
    const grids = squares();
    // widen grid 001 eastwards by half a square, over grid 002
    grids[0] = { ...grids[0], polygon: [[rect(X0, Y0, X0 + 1.5 * S, Y0 + S)]] };
    const report = checkCoverage(boundary, grids, { sliverM2: 1 });
    expect(report.verdict).toBe('problems');
    expect(report.overlaps).toHaveLength(1);
    const [overlap] = report.overlaps;
    expect([overlap.a, overlap.b]).toEqual(['110112001006001', '110112001006002']);
    const expected = rectangleM2(X0 + S, Y0, X0 + 1.5 * S, Y0 + S);
    expect(Math.abs(overlap.areaM2 / expected - 1)).toBeLessThan(0.01);
    expect(inside(overlap.location, X0 + S, Y0, X0 + 1.5 * S, Y0 + S)).toBe(true);
    expect(report.gaps).toEqual([]);
  });

  it('finds grid area outside the boundary', () => {
    const grids = [...squares(), { code: '110112001006010', polygon: [[rect(X0 + 3 * S, Y0, X0 + 4 * S, Y0 + S)]] }];
    const report = checkCoverage(boundary, grids, { sliverM2: 1 });
    expect(report.verdict).toBe('problems');
    expect(report.outside).toHaveLength(1);
    expect(Math.abs(report.outside[0].areaM2 / rectangleM2(X0 + 3 * S, Y0, X0 + 4 * S, Y0 + S) - 1)).toBeLessThan(0.01);
  });

  it('flags slivers smaller than the threshold without failing the verdict', () => {
    const grids = squares();
    // a nanodegree too wide: about 0.1 m² of overlap with the eastern neighbour
    grids[0] = { ...grids[0], polygon: [[rect(X0, Y0, X0 + S + 1e-9, Y0 + S)]] };
    const report = checkCoverage(boundary, grids, { sliverM2: 1 });
    expect(report.overlaps).toHaveLength(1);
    expect(report.overlaps[0].sliver).toBe(true);
    expect(report.overlaps[0].areaM2).toBeLessThan(1);
    expect(report.verdict).toBe('ok');
    // the same problem fails when the threshold is below it
    expect(checkCoverage(boundary, grids, { sliverM2: 0.01 }).verdict).toBe('problems');
  });

  it('handles grids with holes and multipolygons', () => {
    // one grid is the frame around the middle square plus a detached square outside the boundary
    const frame: GridShape = {
      code: '110112001006001',
      polygon: [[rect(X0, Y0, X0 + 3 * S, Y0 + 3 * S), rect(X0 + S, Y0 + S, X0 + 2 * S, Y0 + 2 * S).reverse()], [rect(X0 + 5 * S, Y0, X0 + 6 * S, Y0 + S)]],
    };
    const middle: GridShape = { code: '110112001006002', polygon: [[rect(X0 + S, Y0 + S, X0 + 2 * S, Y0 + 2 * S)]] };
    const report = checkCoverage(boundary, [frame, middle], { sliverM2: 1 });
    expect(report.overlaps).toEqual([]);
    expect(report.gaps).toEqual([]);
    expect(report.outside).toHaveLength(1);
    expect(inside(report.outside[0].location, X0 + 5 * S, Y0, X0 + 6 * S, Y0 + S)).toBe(true);
  });
});
