import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijingDay } from './timing.js';

const direct = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');

describe('beijingDay', () => {
  it('turns at midnight in Beijing (16:00 UTC), also when asked again and again across it', () => {
    const midnight = Date.UTC(2026, 10, 29, 16, 0, 0);
    expect(beijingDay(midnight - 1)).toBe('20261129');
    expect(beijingDay(midnight)).toBe('20261130');
    expect(beijingDay(midnight - 1)).toBe('20261129');
    expect(beijingDay(Date.UTC(2026, 11, 31, 15, 59, 59, 999))).toBe('20261231');
    expect(beijingDay(Date.UTC(2026, 11, 31, 16))).toBe('20270101');
  });

  it('equals the date of the instant in UTC+8 for any sequence of instants', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), { minLength: 1, maxLength: 50 }), (times) => {
      for (const t of times) expect(beijingDay(t)).toBe(direct(t));
      // and instants close together, as reports come
      for (const t of times) for (const d of [-1, 0, 1, 3_600_000]) expect(beijingDay(t + d)).toBe(direct(t + d));
    }));
  });
});
