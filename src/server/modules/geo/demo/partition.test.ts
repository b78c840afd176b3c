import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '../geometry/types.js';
import { apportion, components, growRegions, spreadSeeds, type CellGraph } from './partition.js';
import { childRandom, mulberry32 } from './prng.js';

/** A w × h lattice of cells, each bordering its four neighbours. */
function lattice(w: number, h: number): CellGraph {
  const sites: Position[] = [];
  const neighbors: number[][] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      sites.push([x, y]);
      neighbors.push([[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]].filter(([a, b]) => a >= 0 && a < w && b >= 0 && b < h).map(([a, b]) => b * w + a));
    }
  }
  return { sites, neighbors };
}

const isContiguous = (graph: CellGraph, cells: number[]) => {
  const mask = graph.sites.map((_, c) => cells.includes(c));
  return new Set([...components(graph, mask)].filter((p) => p >= 0)).size === 1;
};

describe('growRegions', () => {
  it('splits every allowed cell into contiguous regions near their targets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (regions, salt) => {
        const graph = lattice(12, 9);
        const allowed = graph.sites.map(() => true);
        const seeds = spreadSeeds(graph, graph.sites.map((_, c) => c), regions, salt);
        const targets = apportion(graph.sites.length, seeds.map((_, i) => i + 1));
        const regionOf = growRegions(graph, allowed, seeds.map((seed, i) => ({ seed, target: targets[i] })));
        expect([...regionOf].every((r) => r >= 0 && r < regions)).toBe(true);
        for (let r = 0; r < regions; r++) {
          const cells = [...regionOf.keys()].filter((c) => regionOf[c] === r);
          expect(cells).toContain(seeds[r]);
          expect(isContiguous(graph, cells)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stops at the targets when nothing is left over, and stays inside the allowed cells', () => {
    const graph = lattice(10, 1);
    const allowed = graph.sites.map((_, c) => c < 8);
    const regionOf = growRegions(graph, allowed, [{ seed: 0, target: 3 }, { seed: 7, target: 5 }]);
    expect([...regionOf]).toEqual([0, 0, 0, 1, 1, 1, 1, 1, -1, -1]);
  });
});

describe('apportion', () => {
  it('splits a total by weight, exactly, with a floor per part', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(1809, [14, 9, 13]).reduce((a, b) => a + b, 0)).toBe(1809);
    expect(apportion(5, [100, 1, 1])).toEqual([3, 1, 1]);
    expect(() => apportion(2, [1, 1, 1])).toThrow();
  });
});

describe('the seeded generator', () => {
  it('repeats for a seed, differs between seeds and stages, and stays in [0, 1)', () => {
    const a = mulberry32(7), b = mulberry32(7), c = mulberry32(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(childRandom(7, 1)()).not.toBe(childRandom(7, 2)());
  });
});
