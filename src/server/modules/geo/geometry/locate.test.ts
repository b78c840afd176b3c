import { Delaunay } from 'd3-delaunay';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GridLocator, INSIDE } from './locate.js';
import type { GridShape } from './types.js';

const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/**
 * A small district on integer coordinates (exact in floating point):
 *   RING  the square 0..4 with a 2×2 hole at 1..3, filled by four unit squares Q1..Q4;
 *   MULTI two unit squares at 5..6 and 7..8 with NEAR between them at 6..7.
 * Codes are deliberately not in array order, so "smallest code wins" is visible.
 */
const grids: GridShape[] = [
  { code: '110112001006005', polygon: [[rect(0, 0, 4, 4), rect(1, 1, 3, 3).reverse()]] }, // 0 RING
  { code: '110112001006004', polygon: [[rect(1, 1, 2, 2)]] }, // 1 Q1 (south-west)
  { code: '110112001006003', polygon: [[rect(2, 1, 3, 2)]] }, // 2 Q2 (south-east)
  { code: '110112001006002', polygon: [[rect(1, 2, 2, 3)]] }, // 3 Q3 (north-west)
  { code: '110112001006006', polygon: [[rect(2, 2, 3, 3)]] }, // 4 Q4 (north-east)
  { code: '110112001006001', polygon: [[rect(5, 0, 6, 1)], [rect(7, 0, 8, 1)]] }, // 5 MULTI
  { code: '110112001006007', polygon: [[rect(6, 0, 7, 1)]] }, // 6 NEAR
];
const [RING, Q1, Q2, Q3, Q4, MULTI, NEAR] = [0, 1, 2, 3, 4, 5, 6];

/**
 * An independent oracle: exact on these integer inputs. Closed point-in-polygon by winding
 * number, with on-segment tests done separately; the rule: interior beats boundary, then the
 * smallest code.
 */
function oracle(shapes: GridShape[], x: number, y: number): number {
  let best = -1, bestRank = -1;
  shapes.forEach((shape, g) => {
    let onEdge = false, winding = 0;
    for (const polygon of shape.polygon) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [ax, ay] = ring[i], [bx, by] = ring[i + 1];
          const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
          if (cross === 0 && Math.min(ax, bx) <= x && x <= Math.max(ax, bx) && Math.min(ay, by) <= y && y <= Math.max(ay, by)) onEdge = true;
          if (ay <= y && by > y && cross > 0) winding++;
          if (ay > y && by <= y && cross < 0) winding--;
        }
      }
    }
    const rank = onEdge ? 1 : winding !== 0 ? 2 : 0;
    if (rank > bestRank || (rank === bestRank && rank > 0 && shape.code < shapes[best].code)) {
      if (rank > 0) [best, bestRank] = [g, rank];
    }
  });
  return best;
}

describe('GridLocator on a district with a hole and a multipolygon', () => {
  // one cell per grid leaves most cells mixed; many cells leaves most pure: both paths must agree
  const locators = [new GridLocator(grids), new GridLocator(grids, { cellsPerGrid: 1 }), new GridLocator(grids, { cellsPerGrid: 4096 })];

  it.each([
    ['inside the ring', 0.5, 0.5, RING],
    ['inside a hole filler', 1.5, 1.5, Q1],
    ['on the ring’s outer edge', 4, 2, RING],
    ['on the ring’s outer corner', 0, 0, RING],
    ['on an edge shared by the ring and Q1 (Q1 has the smaller code)', 1.5, 1, Q1],
    ['on an edge shared by the ring and Q4 (the ring has the smaller code)', 3, 2.5, RING],
    ['on an edge shared by Q3 and Q4', 2, 2.5, Q3],
    ['on the vertex shared by Q1..Q4', 2, 2, Q3],
    ['on a hole corner shared by the ring and Q2', 3, 1, Q2],
    ['in the first part of the multipolygon', 5.5, 0.5, MULTI],
    ['in the second part of the multipolygon', 7.5, 0.5, MULTI],
    ['between the parts', 6.5, 0.5, NEAR],
    ['on an edge shared by the multipolygon and its neighbour', 6, 0.5, MULTI],
    ['between the district and the multipolygon', 4.5, 0.5, -1],
    ['far outside', 100, -100, -1],
    ['NaN', NaN, 0.5, -1],
  ])('%s', (_label, x, y, expected) => {
    for (const locator of locators) expect(locator.locate(x, y)).toBe(expected);
    expect(oracle(grids, x, y)).toBe(expected);
  });

  it('agrees with the oracle on random points, with many on edges and vertices', () => {
    const coordinate = fc.oneof(
      fc.integer({ min: -1, max: 9 }),
      fc.integer({ min: -4, max: 36 }).map((k) => k / 4),
      fc.double({ min: -1, max: 9, noNaN: true }),
    );
    fc.assert(
      fc.property(coordinate, fc.integer({ min: -4, max: 20 }).map((k) => k / 4), (x, y) => {
        const expected = oracle(grids, x, y);
        for (const locator of locators) expect(locator.locate(x, y)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('locates many points at once, from arrays or interleaved coordinates', () => {
    const points = [[0.5, 0.5], [2, 2], [9, 9]];
    const expected = [RING, Q3, -1];
    expect([...locators[0].locateMany(points)]).toEqual(expected);
    expect([...locators[0].locateMany(Float64Array.from(points.flat()))]).toEqual(expected);
    expect(locators[0].locateCode(6.5, 0.5)).toBe('110112001006007');
    expect(locators[0].locateCode(-5, 0.5)).toBeNull();
  });

  it('gives overlapping grids to the smallest code, even deep inside the overlap', () => {
    const overlapping: GridShape[] = [
      { code: '2', polygon: [[rect(0, 0, 10, 10)]] },
      { code: '1', polygon: [[rect(5, 5, 15, 15)]] },
    ];
    for (const locator of [new GridLocator(overlapping), new GridLocator(overlapping, { cellsPerGrid: 1000 })]) {
      expect(locator.locate(7.5, 7.5)).toBe(1);
      expect(locator.locate(2, 2)).toBe(0);
      expect(locator.locate(12, 12)).toBe(1);
    }
  });

  it('answers −1 everywhere when there are no grids', () => {
    expect(new GridLocator([]).locate(0, 0)).toBe(-1);
  });
});

describe('GridLocator when the test ray passes exactly through vertices', () => {
  // a diamond and a rectangle with extra vertices in the middle of its sides: rays at y = 2 meet
  // vertices head-on, where a careless crossing rule counts two crossings instead of one
  const shapes: GridShape[] = [
    { code: 'a', polygon: [[[[0, 2], [2, 0], [4, 2], [2, 4], [0, 2]]]] },
    { code: 'b', polygon: [[[[5, 0], [7, 0], [7, 2], [7, 4], [5, 4], [5, 2], [5, 0]]]] },
  ];
  const locators = [new GridLocator(shapes), new GridLocator(shapes, { cellsPerGrid: 1 })];

  it.each([
    [1, 2, 0],
    [3.5, 2, 0],
    [6, 2, 1],
    [4.5, 2, -1],
    [-1, 2, -1],
    [2, 4, 0],
    [7, 2, 1],
  ])('(%d, %d) → %d', (x, y, expected) => {
    for (const locator of locators) expect(locator.locate(x, y)).toBe(expected);
    expect(oracle(shapes, x, y)).toBe(expected);
  });

  it('agrees with the oracle on a lattice of quarter steps', () => {
    for (let x = -1; x <= 8; x += 0.25) {
      for (let y = -1; y <= 5; y += 0.25) {
        for (const locator of locators) expect(locator.locate(x, y)).toBe(oracle(shapes, x, y));
      }
    }
  });
});

describe('GridLocator on a Voronoi tessellation', () => {
  // sites on a fixed pseudo-random sequence so failures reproduce
  let s = 42;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const box = [116.5, 39.6, 117.0, 40.0] as const;
  const sites = Float64Array.from({ length: 600 }, (_, i) => (i % 2 ? box[1] + rnd() * 0.4 : box[0] + rnd() * 0.5));
  const voronoi = new Delaunay(sites).voronoi([...box]);
  const cells: GridShape[] = Array.from({ length: 300 }, (_, i) => ({ code: String(110112000000000 + ((i * 7919) % 300)), polygon: [[voronoi.cellPolygon(i)]] }));
  const locator = new GridLocator(cells);

  it('puts every site in its own cell', () => {
    for (let i = 0; i < 300; i++) expect(locator.locate(sites[2 * i], sites[2 * i + 1])).toBe(i);
  });

  it('matches the full scan on random points, vertices and edge midpoints', () => {
    const probes: [number, number][] = [];
    for (const cell of cells) {
      const ring = cell.polygon[0][0];
      for (let k = 0; k + 1 < ring.length; k++) {
        probes.push([ring[k][0], ring[k][1]], [(ring[k][0] + ring[k + 1][0]) / 2, (ring[k][1] + ring[k + 1][1]) / 2]);
      }
    }
    for (const [x, y] of probes) expect(locator.locate(x, y)).toBe(locator.locateByScan(x, y));
    fc.assert(
      fc.property(fc.double({ min: 116.49, max: 117.01, noNaN: true }), fc.double({ min: 39.59, max: 40.01, noNaN: true }), (x, y) => {
        expect(locator.locate(x, y)).toBe(locator.locateByScan(x, y));
        expect(locator.locate(x, y)).toBe(locator.locateByTree(x, y));
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves no point of the box without a grid, and never puts one in two interiors', () => {
    fc.assert(
      fc.property(fc.double({ min: box[0], max: box[2], noNaN: true }), fc.double({ min: box[1], max: box[3], noNaN: true }), (x, y) => {
        expect(locator.locate(x, y)).toBeGreaterThanOrEqual(0);
        let interiors = 0;
        for (let g = 0; g < cells.length; g++) if (locator.statusOf(g, x, y) === INSIDE) interiors++;
        expect(interiors).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('reports how its raster is made up', () => {
    const stats = locator.stats();
    expect(stats.grids).toBe(300);
    expect(stats.pureCells + stats.emptyCells + stats.mixedCells).toBe(stats.columns * stats.rows);
    expect(stats.pureCells).toBeGreaterThan(0);
    expect(stats.meanCandidates).toBeGreaterThanOrEqual(1);
  });
});
