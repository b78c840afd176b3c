import { describe, expect, it } from 'vitest';
import { newTrackingCode } from './report.service.js';

describe('tracking codes', () => {
  it('are 10 letters of the alphabet without look-alikes, spread evenly, never repeated', () => {
    const codes = Array.from({ length: 20_000 }, () => newTrackingCode()); // across many refills of the random pool
    expect(new Set(codes).size).toBe(codes.length);
    const counts = new Map<string, number>();
    for (const code of codes) {
      expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}$/);
      for (const ch of code) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    // 200,000 letters over 32: 6,250 each expected; a skewed draw would leave some far off
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 6250)).toBeLessThan(500);
  });
});
