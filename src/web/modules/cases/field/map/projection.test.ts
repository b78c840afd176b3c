import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { contains, distanceM, fitView, fromScreen, labelPoint, labelsThatFit, localProjection, scaleBar, toScreen, zoomAt } from './projection.js';

const origin = { lon: 116.66, lat: 39.9 };

describe('local projection', () => {
  it('round-trips points and measures like the great circle within 0.5 % over a few kilometres', () => {
    const proj = localProjection(origin);
    fc.assert(
      fc.property(fc.double({ min: -0.03, max: 0.03, noNaN: true }), fc.double({ min: -0.03, max: 0.03, noNaN: true }), (dx, dy) => {
        const p = { lon: origin.lon + dx, lat: origin.lat + dy };
        const [x, y] = proj.project(p);
        const back = proj.unproject(x, y);
        expect(back.lon).toBeCloseTo(p.lon, 9);
        expect(back.lat).toBeCloseTo(p.lat, 9);
        const flat = Math.hypot(x, y);
        const sphere = distanceM(origin, p);
        if (sphere > 50) expect(Math.abs(flat - sphere) / sphere).toBeLessThan(0.005);
      }),
    );
  });

  it('puts north up and east right', () => {
    const proj = localProjection(origin);
    expect(proj.project({ lon: origin.lon + 0.001, lat: origin.lat })[0]).toBeGreaterThan(0);
    expect(proj.project({ lon: origin.lon, lat: origin.lat + 0.001 })[1]).toBeLessThan(0);
  });
});

describe('view', () => {
  it('fits a box inside the screen with the padding', () => {
    const proj = localProjection(origin);
    const box: [number, number, number, number] = [116.65, 39.89, 116.67, 39.91];
    const view = fitView(box, proj, 390, 500, 20);
    const [ax, ay] = proj.project({ lon: box[0], lat: box[3] });
    const [bx, by] = proj.project({ lon: box[2], lat: box[1] });
    const [sx0, sy0] = toScreen(view, 390, 500, ax, ay);
    const [sx1, sy1] = toScreen(view, 390, 500, bx, by);
    expect(Math.min(sx0, sy0)).toBeGreaterThanOrEqual(19.9);
    expect(sx1).toBeLessThanOrEqual(370.1);
    expect(sy1).toBeLessThanOrEqual(480.1);
    expect(Math.abs(sx1 - sx0 - 350) < 0.1 || Math.abs(sy1 - sy0 - 460) < 0.1).toBe(true);
  });

  it('keeps the point under the finger where it is while zooming', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 390, noNaN: true }), fc.double({ min: 0, max: 600, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }), (sx, sy, f) => {
        const view = { cx: 120, cy: -40, scale: 0.8 };
        const before = fromScreen(view, 390, 600, sx, sy);
        const after = fromScreen(zoomAt(view, 390, 600, sx, sy, f), 390, 600, sx, sy);
        expect(after[0]).toBeCloseTo(before[0], 6);
        expect(after[1]).toBeCloseTo(before[1], 6);
      }),
    );
  });

  it('picks a round scale bar length', () => {
    expect(scaleBar(1, 90)).toEqual({ metres: 50, px: 50 });
    expect(scaleBar(0.1, 90).metres).toBe(500);
    expect(scaleBar(2, 90).metres).toBe(20);
  });
});

describe('polygons', () => {
  const l: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 1], [1, 1], [1, 4], [0, 4], [0, 0]]] };
  it('tells inside from outside', () => {
    expect(contains(l, { lon: 0.5, lat: 3 })).toBe(true);
    expect(contains(l, { lon: 3, lat: 3 })).toBe(false);
  });
  it('labels a concave polygon at a point inside it', () => {
    const c: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 1], [1, 1], [1, 10], [10, 10], [10, 11], [0, 11], [0, 0]]] };
    expect(contains(c, { lon: 4.67, lat: 4.9 })).toBe(false); // the vertex average falls in the hollow
    expect(contains(c, labelPoint(c))).toBe(true);
    expect(contains(l, labelPoint(l))).toBe(true);
  });
});

describe('labelsThatFit', () => {
  it('draws every label that overlaps none before it, and none off the screen', () => {
    const fits = labelsThatFit([
      { x: 100, y: 100, text: '网格001' }, // 5 characters: 70 px wide
      { x: 130, y: 105, text: '网格002' }, // overlaps the first
      { x: 100, y: 130, text: '网格003' }, // below it: fits
      { x: 500, y: 100, text: '网格004' }, // off a 400-px screen
      { x: 200, y: 100, text: '网格005' }, // beside the first: fits
    ], 400, 300);
    expect(fits).toEqual([true, false, true, false, true]);
  });

  it('keeps a phone screen of a district readable: a bounded number of names, none overlapping', () => {
    const many = Array.from({ length: 1809 }, (_, i) => ({ x: (i * 37) % 390, y: (i * 53) % 700, text: '某某社区第十网格' }));
    const fits = labelsThatFit(many, 390, 700);
    const drawn = many.filter((_, i) => fits[i]);
    // 112 × 18 px each: at most about (390 / 112) × (700 / 18) fit on the screen
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(140);
    for (const [i, a] of drawn.entries()) {
      for (const b of drawn.slice(i + 1)) expect(Math.abs(a.x - b.x) >= 112 || Math.abs(a.y - b.y) >= 18).toBe(true);
    }
  });
});
