import { describe, expect, it } from 'vitest';
import type { BBox, CoverageReport, DivisionCollection } from './api.js';
import { coverageMarkers, coverageRows, formatM2 } from './coverage.js';
import { assignTones, basemapPaint, buildStyle, STREET_TONES, ZOOM } from './mapStyle.js';

describe('map style', () => {
  it('needs nothing from the internet: no glyphs, no sprite, no remote source without a basemap', () => {
    const style = buildStyle(null);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:/);
    expect(style.layers.some((l) => l.type === 'raster')).toBe(false);
  });

  it('adds the basemap raster under the divisions only when one is configured', () => {
    const url = 'https://tiles.example.gov.cn/{z}/{x}/{y}.png';
    const style = buildStyle(url);
    expect(style.sources['og-basemap']).toMatchObject({ type: 'raster', tiles: [url] });
    const ids = style.layers.map((l) => l.id);
    expect(ids.indexOf('og-basemap')).toBe(1);
    expect(ids.indexOf('og-basemap')).toBeLessThan(ids.indexOf('og-district-fill'));
  });

  it('draws every layer from a source the style declares, and every id once', () => {
    for (const style of [buildStyle(null), buildStyle('https://t.example/{z}/{x}/{y}.png')]) {
      const ids = style.layers.map((l) => l.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const layer of style.layers) if ('source' in layer) expect(style.sources[layer.source as string], layer.id).toBeDefined();
    }
  });

  it('switches the see-through paint with the basemap, on layers that exist', () => {
    const ids = new Set(buildStyle('https://t.example/{z}/{x}/{y}.png').layers.map((l) => l.id));
    for (const id of Object.keys(basemapPaint(true))) expect(ids.has(id)).toBe(true);
    expect(basemapPaint(false)['og-district-fill']['fill-opacity']).toBe(1);
    expect(basemapPaint(true)['og-district-fill']['fill-opacity']).toBeLessThan(0.5);
  });

  it('shows streets, then communities, then grids as the user zooms in', () => {
    expect(ZOOM.community).toBeLessThan(ZOOM.grid);
    expect(ZOOM.grid).toBeLessThan(ZOOM.gridNumbers);
    expect(ZOOM.gridNumbers).toBeLessThan(ZOOM.gridCodes);
    const layers = buildStyle(null).layers;
    const byId = new Map(layers.map((l) => [l.id, l]));
    expect(byId.get('og-street-labels')!.maxzoom).toBe(ZOOM.streetLabelsUntil);
    expect(byId.get('og-grid-labels')!.minzoom).toBe(ZOOM.gridNumbers);
    expect(byId.get('og-grids-line')!.minzoom).toBe(ZOOM.grid);
  });
});

describe('street tints', () => {
  const street = (code: string): DivisionCollection['features'][number] => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { code, name: code } });

  it('never gives touching streets the same tint while tints remain', () => {
    // a row of five boxes, each touching the next, plus one far away
    const boxes: BBox[] = [0, 1, 2, 3, 4].map((i) => [i, 0, i + 1, 1] as BBox).concat([[10, 10, 11, 11]]);
    const streets: DivisionCollection = { type: 'FeatureCollection', features: boxes.map((_, i) => street(`11011200${i}`)) };
    const tones = assignTones(streets, boxes).features.map((f) => f.properties.tone);
    for (let i = 1; i < 5; i++) expect(tones[i]).not.toBe(tones[i - 1]);
    expect(tones[5]).toBe(STREET_TONES[0]);
  });
});

describe('coverage problems', () => {
  const report: CoverageReport = {
    verdict: 'problems', districtCode: '110112', gridCount: 3, boundaryAreaM2: 1e6, gridsAreaM2: 1e6 + 40,
    overlaps: [{ a: '110112001006001', b: '110112001006002', areaM2: 50, location: [116.1, 39.9], sliver: false }],
    gaps: [{ areaM2: 0.4, location: [116.2, 39.9], sliver: true }, { areaM2: 900, location: [116.3, 39.9], sliver: false }],
    outside: [],
  };

  it('lists real problems before slivers, the biggest first', () => {
    const rows = coverageRows(report);
    expect(rows.map((r) => [r.kind, r.areaM2])).toEqual([['gap', 900], ['overlap', 50], ['gap', 0.4]]);
    expect(rows[1]!.grids).toEqual(['110112001006001', '110112001006002']);
  });

  it('turns each problem into a labelled marker at its location', () => {
    const markers = coverageMarkers(coverageRows(report), (r) => `${r.kind} ${formatM2(r.areaM2, 'zh-CN')}`);
    expect(markers.features[0]).toMatchObject({ geometry: { coordinates: [116.3, 39.9] }, properties: { kind: 'gap', label: 'gap 900 m²', sliver: false } });
    expect(formatM2(12345.6, 'en')).toBe('12,346 m²');
    expect(formatM2(0.44, 'en')).toBe('0.4 m²');
  });
});
