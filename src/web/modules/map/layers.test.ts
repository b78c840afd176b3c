import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetLayers, LAYER_FRESH_MS, sharedLayer } from './api.js';

let calls: string[];
let fail: boolean;

beforeEach(() => {
  calls = [];
  fail = false;
  forgetLayers();
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    if (fail) return Promise.reject(new TypeError('Failed to fetch'));
    return new Response(JSON.stringify({ type: 'FeatureCollection', features: [{ n: calls.length }] }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('shared map layers', () => {
  it('reads a layer once while it is fresh, then asks again', async () => {
    const t0 = 1_000_000;
    const first = await sharedLayer('grids', t0);
    expect(await sharedLayer('grids', t0 + LAYER_FRESH_MS - 1)).toBe(first);
    expect(calls).toEqual(['/api/geo/layers/grids']);
    await sharedLayer('streets', t0);
    expect(calls).toEqual(['/api/geo/layers/grids', '/api/geo/layers/streets']);
    // a minute on, the next screen asks again (an unchanged layer costs a 304)
    const later = await sharedLayer('grids', t0 + LAYER_FRESH_MS);
    expect(later).not.toBe(first);
    expect(calls).toHaveLength(3);
  });

  it('keeps the grids of a past moment apart from today\'s', async () => {
    const today = await sharedLayer('grids', 10);
    const then = await sharedLayer('grids', 11, 1_356_969_600_000);
    expect(then).not.toBe(today);
    expect(await sharedLayer('grids', 12, 1_356_969_600_000)).toBe(then);
    expect(calls).toEqual(['/api/geo/layers/grids', '/api/geo/layers/grids?at=1356969600000']);
  });

  it('asks again at once after this browser changed grids, and after a failed read', async () => {
    await sharedLayer('grids', 5);
    forgetLayers();
    await sharedLayer('grids', 6);
    expect(calls).toHaveLength(2);
    forgetLayers();
    fail = true;
    await expect(sharedLayer('communities', 7)).rejects.toMatchObject({ code: 'network' });
    fail = false;
    await sharedLayer('communities', 8);
    expect(calls.filter((c) => c.endsWith('/communities'))).toHaveLength(2);
  });
});
