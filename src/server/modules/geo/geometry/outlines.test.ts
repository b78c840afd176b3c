import { describe, expect, it } from 'vitest';
import { PastOutlineIndex, type PastOutline } from './outlines.js';

/** An axis-aligned square grid [x0, x1] × [y0, y1]. */
const square = (code: string, x0: number, y0: number, x1: number, y1: number, endedAt: number): PastOutline => ({
  code, endedAt, polygon: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]],
});

describe('past outlines (grids retired or reshaped): which grid held a point at a past moment', () => {
  // one place drawn three times: A (one grid over [0,2]²) retired at 100 for B1 | B2 (halves),
  // B1 retired at 200 for today's grids; B2 is still in use (not in this index)
  const index = new PastOutlineIndex([square('A', 0, 0, 2, 2, 100), square('B1', 0, 0, 1, 2, 200), square('Z', 5, 5, 6, 6, 150)]);
  const at = (lon: number, lat: number, t: number) => {
    const i = index.locateAt(lon, lat, t);
    return i < 0 ? null : index.codeOf(i);
  };

  it('takes the grid retired first among those retired after the moment', () => {
    expect(at(0.5, 1, 50)).toBe('A');
    expect(at(0.5, 1, 99)).toBe('A');
    expect(at(0.5, 1, 100)).toBe('B1'); // A went at 100: from then on B1 held it
    expect(at(0.5, 1, 199)).toBe('B1');
    expect(at(0.5, 1, 200)).toBeNull(); // today's grid, which the locator knows
    expect(at(1.5, 1, 50)).toBe('A');
    expect(at(1.5, 1, 150)).toBeNull(); // B2, still in use
    expect(at(5.5, 5.5, 149)).toBe('Z');
  });

  it('knows no grid outside every retired polygon, or after the last retirement', () => {
    expect(at(3, 3, 0)).toBeNull();
    expect(at(-0.1, 1, 0)).toBeNull();
    expect(index.lastEndedAt).toBe(200);
    expect(at(0.5, 1, 10_000)).toBeNull();
    expect(new PastOutlineIndex([]).locateAt(0.5, 1, 0)).toBe(-1);
  });

  it('gives a point on a shared boundary of grids retired together to the one it is inside, then the lower code', () => {
    const pair = new PastOutlineIndex([square('Q2', 1, 0, 2, 1, 10), square('Q1', 0, 0, 1, 1, 10), square('W', 0, 0, 2, 1, 20)]);
    expect(pair.codeOf(pair.locateAt(1, 0.5, 0))).toBe('Q1'); // on both: the lower code
    expect(pair.codeOf(pair.locateAt(1.5, 0.5, 0))).toBe('Q2');
    expect(pair.codeOf(pair.locateAt(1, 0.5, 15))).toBe('W');
  });
});
