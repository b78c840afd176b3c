import type { MultiPolygon, Polygon, Position } from 'geojson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DivisionCollection } from './api.js';
import { bboxOf, gridNumber, isGridCode, labelPoint, labelPoints, outsideMask, poleOfInaccessibility, shortName } from './geometry.js';

const square = (x: number, y: number, size: number): Position[] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];

function inside([px, py]: [number, number], ring: Position[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[i] as [number, number];
    const [bx, by] = ring[j] as [number, number];
    if ((ay > py) !== (by > py) && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) hit = !hit;
  }
  return hit;
}

const collection = (...geometries: (Polygon | MultiPolygon)[]): DivisionCollection => ({
  type: 'FeatureCollection',
  features: geometries.map((geometry, i) => ({ type: 'Feature', geometry, properties: { code: `11011200100${i}`, name: `第${i}网格` } })),
});

describe('label points', () => {
  it('puts the label of a square at its centre', () => {
    const [x, y] = poleOfInaccessibility([square(116, 39.9, 0.01)]);
    expect(x).toBeCloseTo(116.005, 3);
    expect(y).toBeCloseTo(39.905, 3);
  });

  it('keeps the label of an L-shaped community inside it, where the centroid is not', () => {
    // an L: the bottom bar and the left bar of a 3×3 box; its centroid (≈1.17, 1.17) lies outside
    const ring: Position[] = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 3], [0, 3], [0, 0]].map(([x, y]) => [116 + x! * 0.01, 39.9 + y! * 0.01]);
    const point = poleOfInaccessibility([ring]);
    expect(inside(point, ring)).toBe(true);
  });

  it('labels a MultiPolygon in its largest part', () => {
    const small = square(116, 39.9, 0.001);
    const large = square(116.1, 39.9, 0.02);
    const point = labelPoint({ type: 'MultiPolygon', coordinates: [[small], [large]] });
    expect(inside(point, large)).toBe(true);
  });

  it('keeps the label out of a hole', () => {
    const outer = square(116, 39.9, 0.03);
    const hole = square(116.01, 39.91, 0.01).reverse();
    const point = poleOfInaccessibility([outer, hole]);
    expect(inside(point, outer) && !inside(point, hole)).toBe(true);
  });

  it('always lands inside random convex quadrilaterals', () => {
    fc.assert(
      fc.property(fc.tuple(fc.double({ min: 0.002, max: 0.05, noNaN: true }), fc.double({ min: 0.002, max: 0.05, noNaN: true }), fc.double({ min: -0.4, max: 0.4, noNaN: true })), ([w, h, skew]) => {
        const ring: Position[] = [[116, 39.9], [116 + w, 39.9], [116 + w + skew * w, 39.9 + h], [116 + skew * w, 39.9 + h], [116, 39.9]];
        return inside(poleOfInaccessibility([ring]), ring);
      }),
    );
  });

  it('gives one point per division with the grid number as its short label', () => {
    const points = labelPoints(collection({ type: 'Polygon', coordinates: [square(116, 39.9, 0.01)] }));
    expect(points.features).toHaveLength(1);
    expect(points.features[0]!.properties).toMatchObject({ code: '110112001000', short: '110112001000' });
    expect(gridNumber('110112001006007')).toBe('007');
  });
});

describe('framing and veil', () => {
  it('frames every vertex of every feature', () => {
    const box = bboxOf(collection({ type: 'Polygon', coordinates: [square(116, 39.9, 0.01)] }, { type: 'MultiPolygon', coordinates: [[square(116.5, 40, 0.1)]] }));
    expect(box).toEqual([116, 39.9, 116.6, 40.1]);
    expect(bboxOf(collection())).toBeNull();
    expect(bboxOf(null)).toBeNull();
  });

  it('cuts the district out of the world, wound against the outer ring', () => {
    const ccw = square(116, 39.9, 0.1);
    const mask = outsideMask(collection({ type: 'Polygon', coordinates: [ccw] }))!;
    const [world, hole] = mask.geometry.coordinates;
    const area = (ring: Position[]) => ring.slice(1).reduce((s, p, i) => s + ring[i]![0]! * p[1]! - p[0]! * ring[i]![1]!, 0);
    expect(Math.sign(area(world!))).toBe(1);
    expect(Math.sign(area(hole!))).toBe(-1);
    // a clockwise district ring is kept as it is
    const cw = [...ccw].reverse();
    expect(outsideMask(collection({ type: 'Polygon', coordinates: [cw] }))!.geometry.coordinates[1]).toEqual(cw);
    expect(outsideMask(collection())).toBeNull();
  });
});

describe('names and codes', () => {
  it('shortens committee names the way maps print them', () => {
    expect(shortName({ name: '悟仙观社区居委会' })).toBe('悟仙观社区');
    expect(shortName({ name: '佟麟阁社区居民委员会' })).toBe('佟麟阁社区');
    expect(shortName({ name: '宋庄村委会' })).toBe('宋庄村');
    expect(shortName({ name: '中仓街道' })).toBe('中仓街道');
    expect(shortName({ name: '居委会' })).toBe('居委会');
  });

  it('recognises a full grid code only', () => {
    expect(isGridCode(' 110112001006001 ')).toBe(true);
    expect(isGridCode('110112001006')).toBe(false);
    expect(isGridCode('11011200100600x')).toBe(false);
  });
});
