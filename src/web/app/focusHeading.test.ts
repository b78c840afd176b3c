import { describe, expect, it } from 'vitest';
import { headingMoves } from './focusHeading.js';

describe('the focus goes to the title', () => {
  it('when the page shows another area than the one it showed', () => {
    expect(headingMoves('110112', '110112001')).toBe(true);
    // back up the breadcrumb, or the browser's Back
    expect(headingMoves('110112001', '110112')).toBe(true);
  });

  it('not on the first area the page shows, nor while the next is loading', () => {
    expect(headingMoves(undefined, '110112')).toBe(false);
    expect(headingMoves(undefined, undefined)).toBe(false);
    expect(headingMoves('110112', undefined)).toBe(false);
  });

  it('not when the same area is shown again (a reload, another period)', () => {
    expect(headingMoves('110112', '110112')).toBe(false);
  });
});
