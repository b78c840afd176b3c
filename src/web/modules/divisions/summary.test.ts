import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Division } from './api.js';
import { fetchJurisdictionSummary } from './summary.js';

const d = (code: string, level: Division['level'], childCount: number, areaM2: number | null = null): Division => ({
  code, level, name: code, parentCode: null, childCount, areaM2,
});

function serve(tree: Record<string, Division[]>) {
  vi.stubGlobal('fetch', async (url: string) => {
    const parent = new URL(url, 'http://x').searchParams.get('parent') ?? 'top';
    return new Response(JSON.stringify({ items: tree[parent] ?? [] }), { status: 200 });
  });
}
afterEach(() => vi.unstubAllGlobals());

describe('fetchJurisdictionSummary', () => {
  it('counts two levels below a district from child counts', async () => {
    serve({ top: [d('110112', 30, 3, 906e6)], '110112': [d('110112001', 20, 14), d('110112002', 20, 9), d('110112100', 20, 0)] });
    const summary = await fetchJurisdictionSummary();
    expect(summary.counts).toEqual([{ level: 20, count: 3 }, { level: 10, count: 23 }]);
    expect(summary.areaM2).toBe(906e6);
  });

  it('adds up several roots and leaves the area unknown when one is missing', async () => {
    serve({ top: [d('110112001', 20, 2, 5e6), d('110112002', 20, 1, null)], '110112001': [d('110112001001', 10, 0), d('110112001002', 10, 4)], '110112002': [d('110112002001', 10, 0)] });
    const summary = await fetchJurisdictionSummary();
    expect(summary.counts).toEqual([{ level: 10, count: 3 }, { level: 0, count: 4 }]);
    expect(summary.areaM2).toBeNull();
  });

  it('reports nothing below a jurisdiction without children', async () => {
    serve({ top: [d('110112001001', 10, 0, 1e5)] });
    expect(await fetchJurisdictionSummary()).toMatchObject({ counts: [], areaM2: 1e5 });
  });
});
