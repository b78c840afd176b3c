import { describe, expect, it } from 'vitest';
import { zh } from './locale.js';
import { parseGridFile } from './gridFile.js';

describe('grid file', () => {
  it('accepts a FeatureCollection, with or without a byte-order mark', () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature' }, { broken: true }] });
    for (const t of [text, `\uFEFF${text}`]) {
      const parsed = parseGridFile(t);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.collection.features).toHaveLength(2);
    }
  });

  it('tells JSON that is not a collection from text that is not JSON', () => {
    expect(parseGridFile('{"type":"Feature"}')).toEqual({ ok: false, reason: 'not_collection' });
    expect(parseGridFile('{"type":"FeatureCollection","features":{}}')).toEqual({ ok: false, reason: 'not_collection' });
    expect(parseGridFile('null')).toEqual({ ok: false, reason: 'not_collection' });
    expect(parseGridFile('code,name\n1,a')).toEqual({ ok: false, reason: 'not_json' });
  });

  it('has words, in both languages, for every reason the server gives', () => {
    // the server's catalogue: src/server/modules/geo/geometry/validate.ts GRID_PROBLEM_REASONS
    const reasons = [
      'not_feature_collection', 'not_feature', 'geometry_missing', 'geometry_type', 'geometry_empty', 'coordinates_malformed',
      'coordinate_not_finite', 'coordinate_out_of_range', 'ring_too_short', 'ring_not_closed', 'ring_degenerate',
      'ring_self_intersection', 'rings_cross', 'code_missing', 'code_format', 'code_duplicate', 'name_missing',
      'community_missing', 'community_unknown', 'code_prefix_mismatch',
    ];
    expect(Object.keys(zh.grids.reasons).sort()).toEqual([...reasons].sort());
  });
});
