import { describe, expect, it } from 'vitest';
import { GRID_PROBLEM_REASONS, validateGridFeatures, type GridProblemReason } from './validate.js';

const COMMUNITY = '110112001006';
const communities = new Map([
  [COMMUNITY, { street_code: '110112001' }],
  ['110112001011', { street_code: '110112001' }],
]);

const square = (x: number, y: number, s = 0.01) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

function feature(overrides: { properties?: Record<string, unknown>; geometry?: unknown } = {}) {
  return {
    type: 'Feature',
    geometry: 'geometry' in overrides ? overrides.geometry : { type: 'Polygon', coordinates: [square(116.6, 39.9)] },
    properties: { code: `${COMMUNITY}001`, name: '悟仙观社区第1网格', community_code: COMMUNITY, ...overrides.properties },
  };
}

const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const reasonsOf = (fc: unknown) => validateGridFeatures(fc, communities).problems.map((p) => p.reason);

/** One crafted broken input per reason: each must produce its reason. */
const broken: Record<GridProblemReason, unknown> = {
  not_feature_collection: { type: 'Feature', geometry: null, properties: {} },
  not_feature: collection(42),
  geometry_missing: collection(feature({ geometry: null })),
  geometry_type: collection(feature({ geometry: { type: 'Point', coordinates: [116.6, 39.9] } })),
  geometry_empty: collection(feature({ geometry: { type: 'MultiPolygon', coordinates: [] } })),
  coordinates_malformed: collection(feature({ geometry: { type: 'Polygon', coordinates: [[['116.6', '39.9'], [1, 2], [3, 4], [1, 2]]] } })),
  coordinate_not_finite: collection(feature({ geometry: { type: 'Polygon', coordinates: [[[NaN, 39.9], [116.7, 39.9], [116.7, 40], [NaN, 39.9]]] } })),
  coordinate_out_of_range: collection(feature({ geometry: { type: 'Polygon', coordinates: [square(200, 39.9)] } })),
  ring_too_short: collection(feature({ geometry: { type: 'Polygon', coordinates: [[[116.6, 39.9], [116.7, 39.9], [116.6, 39.9]]] } })),
  ring_not_closed: collection(feature({ geometry: { type: 'Polygon', coordinates: [square(116.6, 39.9).slice(0, 4).concat([[116.6, 39.905]])] } })),
  ring_degenerate: collection(feature({ geometry: { type: 'Polygon', coordinates: [[[116.6, 39.9], [116.7, 39.9], [116.6, 39.9], [116.6, 39.9]]] } })),
  ring_self_intersection: collection(
    // a bow tie: the ring crosses itself at (116.65, 39.95)
    feature({ geometry: { type: 'Polygon', coordinates: [[[116.6, 39.9], [116.7, 40], [116.7, 39.9], [116.6, 40], [116.6, 39.9]]] } }),
  ),
  rings_cross: collection(
    // a hole sticking out of its shell
    feature({ geometry: { type: 'Polygon', coordinates: [square(116.6, 39.9, 0.1), square(116.65, 39.95, 0.1).reverse()] } }),
  ),
  code_missing: collection(feature({ properties: { code: undefined } })),
  code_format: collection(feature({ properties: { code: '11011200100601' } })),
  code_duplicate: collection(feature(), feature({ geometry: { type: 'Polygon', coordinates: [square(116.7, 39.9)] } })),
  name_missing: collection(feature({ properties: { name: '  ' } })),
  community_missing: collection(feature({ properties: { community_code: null } })),
  community_unknown: collection(feature({ properties: { community_code: '110112999999', code: '110112999999001' } })),
  code_prefix_mismatch: collection(feature({ properties: { code: '110112001011001' } })),
};

describe('validateGridFeatures', () => {
  it('accepts a valid file and normalises it', () => {
    const fc = collection(
      feature(),
      feature({
        properties: { code: 110112001006002, name: '悟仙观社区第2网格' }, // a numeric code, as spreadsheets write it
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[square(116.7, 39.9, 0.1), square(116.72, 39.92, 0.02).reverse()], [square(116.9, 39.9)]],
        },
      }),
    );
    const { ok, problems } = validateGridFeatures(fc, communities);
    expect(problems).toEqual([]);
    expect(ok.map((g) => [g.index, g.code, g.communityCode, g.streetCode])).toEqual([
      [0, '110112001006001', COMMUNITY, '110112001'],
      [1, '110112001006002', COMMUNITY, '110112001'],
    ]);
    expect(ok[0].polygon).toHaveLength(1); // a Polygon comes back as a MultiPolygon
    expect(ok[1].polygon[0]).toHaveLength(2);
    expect(ok[0].bbox).toEqual([116.6, 39.9, 116.61, 39.91]);
    expect(ok[0].areaM2).toBeGreaterThan(0.9e6);
    expect(ok[0].areaM2).toBeLessThan(1e6);
  });

  it.each(Object.keys(GRID_PROBLEM_REASONS) as GridProblemReason[])('reports %s', (reason) => {
    const { ok, problems } = validateGridFeatures(broken[reason], communities);
    expect(problems.map((p) => p.reason)).toContain(reason);
    const hit = problems.find((p) => p.reason === reason)!;
    expect(hit.message.length).toBeGreaterThan(10);
    if (reason === 'not_feature_collection') expect(hit.index).toBe(-1);
    else if (reason === 'code_duplicate') expect(hit.index).toBe(1);
    else expect(ok).toEqual([]);
  });

  it('reports every problem of every feature, not just the first', () => {
    const fc = collection(
      feature({
        properties: { code: 'abc', name: '' },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [square(116.6, 39.9).slice(0, 3)], // too short to be a ring
            [[[116.8, 39.9], [116.9, 40], [116.9, 39.9], [116.8, 40], [116.8, 39.9]]], // bow tie
          ],
        },
      }),
      feature({ properties: { community_code: '110112001011' } }),
      feature({ properties: { code: `${COMMUNITY}003` } }),
    );
    const { ok, problems } = validateGridFeatures(fc, communities);
    expect(problems.map((p) => [p.index, p.reason])).toEqual([
      [0, 'code_format'],
      [0, 'name_missing'],
      [0, 'ring_too_short'],
      [0, 'ring_self_intersection'],
      [1, 'code_prefix_mismatch'],
    ]);
    expect(ok.map((g) => g.index)).toEqual([2]);
  });

  it('says where a self-intersection is', () => {
    const [problem] = validateGridFeatures(broken.ring_self_intersection, communities).problems;
    expect(problem.location![0]).toBeCloseTo(116.65, 9);
    expect(problem.location![1]).toBeCloseTo(39.95, 9);
    expect(problem.code).toBe(`${COMMUNITY}001`);
  });

  it('allows what is legal: holes touching the shell at a point, repeated positions, collinear runs', () => {
    const shell = square(0, 0, 4);
    const touchingHole = [[0, 2], [1, 1], [1, 3], [0, 2]];
    const repeated = [[10, 0], [11, 0], [11, 0], [12, 0], [12, 1], [10, 1], [10, 0]];
    const fc = collection(
      feature({ geometry: { type: 'Polygon', coordinates: [shell, touchingHole] } }),
      feature({ properties: { code: `${COMMUNITY}002` }, geometry: { type: 'Polygon', coordinates: [repeated] } }),
    );
    expect(reasonsOf(fc)).toEqual([]);
  });

  it('catches a ring that touches itself at a vertex and one that doubles back', () => {
    const figureEight = [[0, 0], [2, 2], [4, 0], [4, 4], [2, 2], [0, 4], [0, 0]];
    const spike = [[0, 0], [4, 0], [4, 4], [4, 6], [4, 4], [0, 4], [0, 0]];
    expect(reasonsOf(collection(feature({ geometry: { type: 'Polygon', coordinates: [figureEight] } })))).toEqual(['ring_self_intersection']);
    expect(reasonsOf(collection(feature({ geometry: { type: 'Polygon', coordinates: [spike] } })))).toEqual(['ring_self_intersection']);
  });

  it('finds crossings in long rings', () => {
    // a 2,000-vertex star-free circle is fine; swapping two vertices makes it cross itself
    const n = 2000;
    const circle = Array.from({ length: n }, (_, i) => [116.6 + 0.1 * Math.cos((2 * Math.PI * i) / n), 39.9 + 0.1 * Math.sin((2 * Math.PI * i) / n)]);
    const ring = [...circle, circle[0]];
    expect(reasonsOf(collection(feature({ geometry: { type: 'Polygon', coordinates: [ring] } })))).toEqual([]);
    const crossed = ring.slice();
    [crossed[500], crossed[502]] = [crossed[502], crossed[500]];
    expect(reasonsOf(collection(feature({ geometry: { type: 'Polygon', coordinates: [crossed] } })))).toEqual(['ring_self_intersection']);
  });
});
