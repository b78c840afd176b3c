import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../shared/api.js';
import { boundsOf, caseFeatures, gridCentres } from './mapData.js';

const square = (code: string, x: number, y: number, size: number) => ({
  type: 'Feature' as const,
  properties: { code },
  geometry: { type: 'Polygon' as const, coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]] },
});
const grids: FeatureCollection<Polygon | MultiPolygon, { code: string }> = {
  type: 'FeatureCollection',
  features: [square('110112001006001', 116.6, 39.9, 0.01), square('110112001006002', 116.61, 39.9, 0.02)],
};

const summary = (over: Partial<CaseSummary>): CaseSummary => ({
  id: 1, number: 'N1', state: 'accepted', level: 'street', source: 'grid_worker', category: null, gridCode: '110112001006001', address: null,
  description: 'd', holder: null, step: 'dispatch', dueAt: null, light: 'green', pendingRequest: null, reworkCount: 0, version: 1,
  createdAt: 0, updatedAt: 0, allowedActions: [], ...over,
});

describe('case map data', () => {
  it('finds the centre and size of each grid', () => {
    const c = gridCentres(grids);
    expect(c.get('110112001006001')!.centre[0]).toBeCloseTo(116.605, 6);
    expect(c.get('110112001006001')!.centre[1]).toBeCloseTo(39.905, 6);
    expect(c.get('110112001006002')!.span).toBeCloseTo(0.02, 9);
    expect(boundsOf(grids)).toEqual([116.6, 39.9, 116.63, 39.92]);
  });

  it('places cases inside their grid, the same way every time, and counts the unplaced', () => {
    const centres = gridCentres(grids);
    const cases = [1, 2, 3, 4, 5].map((id) => summary({ id, number: `N${id}` }));
    const { collection, unplaced } = caseFeatures([...cases, summary({ id: 9, gridCode: '999999999999999' })], centres);
    expect(unplaced).toBe(1);
    expect(collection.features).toHaveLength(5);
    for (const f of collection.features) {
      const [x, y] = f.geometry.coordinates as [number, number];
      expect(x).toBeGreaterThan(116.6);
      expect(x).toBeLessThan(116.61);
      expect(y).toBeGreaterThan(39.9);
      expect(y).toBeLessThan(39.91);
    }
    const again = caseFeatures(cases, centres).collection.features.map((f) => f.geometry.coordinates);
    expect(again).toEqual(collection.features.map((f) => f.geometry.coordinates));
    expect(new Set(again.map((p) => p.join(','))).size).toBe(5);
  });

  it('uses the case position when the list carries one, and colours by state and light', () => {
    const { collection } = caseFeatures([summary({ lon: 116.7, lat: 39.8, state: 'rework', light: 'red' })], new Map());
    expect(collection.features[0]!.geometry.coordinates).toEqual([116.7, 39.8]);
    expect(collection.features[0]!.properties).toMatchObject({ group: 'rework', light: 'red', red: 1 });
  });
});
