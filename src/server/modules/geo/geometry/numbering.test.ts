import { describe, expect, it } from 'vitest';
import { gridCode, gridNumberingOrder, orderByRows } from './numbering.js';

const rect = (x0: number, y0: number, x1: number, y1: number) => [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];

describe('grid numbering', () => {
  it('numbers a regular block row by row: north row first, west to east within a row', () => {
    // input in a scrambled order; cell (r, c) with r = 0 the southern row
    const cells: [number, number][] = [[0, 2], [2, 0], [1, 1], [0, 0], [2, 2], [1, 0], [0, 1], [2, 1], [1, 2]];
    const polygons = cells.map(([r, c]) => rect(116.6 + 0.01 * c, 39.9 + 0.01 * r, 116.61 + 0.01 * c, 39.91 + 0.01 * r));
    const order = gridNumberingOrder(polygons).map((i) => cells[i]);
    expect(order).toEqual([[2, 0], [2, 1], [2, 2], [1, 0], [1, 1], [1, 2], [0, 0], [0, 1], [0, 2]]);
  });

  it('keeps slightly staggered grids in one row', () => {
    // three grids whose centres wander by a tenth of a grid north and south
    const points: [number, number][] = [[3, 10.1], [1, 9.9], [2, 10], [1, 9], [2, 8.95]];
    expect(orderByRows(points, 0.5)).toEqual([1, 2, 0, 3, 4]);
  });

  it('builds 15-digit codes and refuses sequences beyond three digits', () => {
    expect(gridCode('110112001006', 7)).toBe('110112001006007');
    expect(() => gridCode('110112001006', 1000)).toThrow(RangeError);
  });
});
