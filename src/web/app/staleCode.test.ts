import { describe, expect, it } from 'vitest';
import { isStaleCodeError, reloadDue, STALE_RELOAD_KEY } from './staleCode.js';

function memory(): { getItem(k: string): string | null; setItem(k: string, v: string): void; data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('reloadDue', () => {
  it('reloads once for stale code, not again within a minute, and again after it', () => {
    const s = memory();
    expect(reloadDue(s, 1_000_000)).toBe(true);
    expect(s.data.get(STALE_RELOAD_KEY)).toBe('1000000');
    expect(reloadDue(s, 1_000_500)).toBe(false);
    expect(reloadDue(s, 1_059_999)).toBe(false);
    expect(reloadDue(s, 1_060_000)).toBe(true);
  });

  it('reloads when what is stored is not a time, or lies in the future (a clock set back)', () => {
    const s = memory();
    s.setItem(STALE_RELOAD_KEY, 'garbage');
    expect(reloadDue(s, 5_000)).toBe(true);
    s.setItem(STALE_RELOAD_KEY, '9000000');
    expect(reloadDue(s, 5_000)).toBe(true);
  });

  it('does not reload where storage is refused, since nothing could stop a loop', () => {
    const refused = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(reloadDue(refused, 1)).toBe(false);
    const readOnly = { getItem: () => null, setItem: () => { throw new Error('quota'); } };
    expect(reloadDue(readOnly, 1)).toBe(false);
  });
});

describe('isStaleCodeError', () => {
  it('knows the browsers\' words for a piece of code that could not be downloaded', () => {
    expect(isStaleCodeError(new TypeError('Failed to fetch dynamically imported module: http://x/assets/a-1.js'))).toBe(true);
    expect(isStaleCodeError(new TypeError('error loading dynamically imported module: http://x/assets/a-1.js'))).toBe(true);
    expect(isStaleCodeError(new TypeError('Importing a module script failed.'))).toBe(true);
    expect(isStaleCodeError(new Error('Unable to preload CSS for /assets/a-1.css'))).toBe(true);
    expect(isStaleCodeError(new TypeError("Cannot read properties of undefined (reading 'map')"))).toBe(false);
    expect(isStaleCodeError(null)).toBe(false);
    expect(isStaleCodeError({ status: 404 })).toBe(false);
  });
});
