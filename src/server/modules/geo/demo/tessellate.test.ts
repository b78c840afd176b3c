import { beforeAll, describe, expect, it } from 'vitest';
import { checkCoverage } from '../geometry/coverage.js';
import { toGridFeatureCollection } from '../geometry/geojson.js';
import { GridLocator } from '../geometry/locate.js';
import { gridNumberingOrder } from '../geometry/numbering.js';
import { multiPointOnSurface } from '../geometry/rings.js';
import { validateGridFeatures } from '../geometry/validate.js';
import { loadDemoSources, type DemoSources } from './sources.js';
import { URBAN_ZONE, urbanWeight } from './sites.js';
import { generateDemoDistrict, type DemoDistrict } from './tessellate.js';

const SEED = 2013;
let sources: DemoSources;
let demo: DemoDistrict;
let elapsedMs: number;

beforeAll(() => {
  sources = loadDemoSources();
  const started = performance.now();
  demo = generateDemoDistrict({ seed: SEED, sources });
  elapsedMs = performance.now() - started;
});

const gridsOf = (communityCode: string) => demo.grids.filter((g) => g.communityCode === communityCode);

describe('the demo district', () => {
  it('has Tongzhou’s 22 streets, 656 communities and 1,809 grids, well within the time budget', () => {
    expect(demo.district.code).toBe('110112');
    expect(demo.streets).toHaveLength(22);
    expect(demo.communities).toHaveLength(656);
    expect(demo.grids).toHaveLength(1809);
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('keeps the real codes and names, each community under its real street', () => {
    expect(demo.streets.map((s) => s.code)).toEqual(sources.streets.map((s) => s.code).sort());
    const streetOf = new Map(sources.communities.map((c) => [c.code, c.streetCode]));
    for (const community of demo.communities) {
      expect(community.parentCode).toBe(streetOf.get(community.code));
      expect(community.name).toBe(sources.communities.find((c) => c.code === community.code)!.name);
    }
    for (const street of demo.streets) expect(street.parentCode).toBe('110112');
  });

  it('gives every grid a unique 15-digit code starting with its community’s and street’s codes', () => {
    const codes = demo.grids.map((g) => g.code);
    expect(new Set(codes).size).toBe(1809);
    for (const grid of demo.grids) {
      expect(grid.code).toMatch(/^\d{15}$/);
      expect(grid.code.slice(0, 12)).toBe(grid.communityCode);
      expect(grid.code.slice(0, 9)).toBe(grid.streetCode);
      expect(grid.code.slice(12)).toBe(String(grid.sequence).padStart(3, '0'));
    }
  });

  it('gives every community at least one grid, numbered 001… as documented, and named after it', () => {
    for (const community of demo.communities) {
      const grids = gridsOf(community.code);
      expect(grids.length).toBeGreaterThanOrEqual(1);
      expect(grids.map((g) => g.sequence)).toEqual(grids.map((_, i) => i + 1));
      // recomputing the documented order from the polygons alone gives the same numbers
      const order = gridNumberingOrder(grids.map((g) => g.polygon));
      expect(order.map((k) => grids[k].sequence)).toEqual(grids.map((_, i) => i + 1));
      grids.forEach((g) => expect(g.name).toBe(`${community.name}第${g.sequence}网格`));
    }
  });

  it('tiles the district with its grids: coverage passes with no gap, overlap or spill', () => {
    const report = checkCoverage(demo.district.polygon, demo.grids, { sliverM2: 1 });
    expect(report.verdict).toBe('ok');
    // slivers from floating point would be allowed; these grids share bit-identical edges, so there are none
    expect([...report.overlaps, ...report.gaps, ...report.outside]).toEqual([]);
    expect(Math.abs(report.gridsAreaM2 / report.boundaryAreaM2 - 1)).toBeLessThan(1e-6);
  });

  it('tiles the district with its streets, and each street with its communities', () => {
    expect(checkCoverage(demo.district.polygon, demo.streets, { sliverM2: 1 }).verdict).toBe('ok');
    for (const street of demo.streets) {
      const members = demo.communities.filter((c) => c.parentCode === street.code);
      const report = checkCoverage(street.polygon, members, { sliverM2: 1 });
      expect(report.verdict, street.name).toBe('ok');
    }
  });

  it('is made of single, valid polygons that re-import as a grid file', () => {
    for (const shape of [...demo.grids, ...demo.communities, ...demo.streets]) expect(shape.polygon).toHaveLength(1);
    const known = new Map(sources.communities.map((c) => [c.code, { street_code: c.streetCode }]));
    const { ok, problems } = validateGridFeatures(toGridFeatureCollection(demo.grids), known);
    expect(problems).toEqual([]);
    expect(ok).toHaveLength(1809);
  });

  it('makes urban streets (街道) small and in the old town, towns (镇/乡) large', () => {
    const urban = demo.streets.filter((s) => s.name.endsWith('街道'));
    const towns = demo.streets.filter((s) => !s.name.endsWith('街道'));
    expect(urban).toHaveLength(11);
    expect(Math.max(...urban.map((s) => s.areaM2))).toBeLessThan(Math.min(...towns.map((s) => s.areaM2)));
    for (const street of urban) {
      const [lon, lat] = multiPointOnSurface(street.polygon);
      expect(urbanWeight(lon, lat), street.name).toBeGreaterThan(0);
      expect(lon).toBeGreaterThan(URBAN_ZONE.west - 0.02);
    }
    const meanGrids = (streets: typeof urban) => {
      const communities = demo.communities.filter((c) => streets.some((s) => s.code === c.parentCode));
      return demo.grids.filter((g) => communities.some((c) => c.code === g.communityCode)).length / communities.length;
    };
    expect(meanGrids(urban)).toBeGreaterThan(meanGrids(towns));
  });

  it('answers point lookups: every grid contains its own inner point, and no district point is left out', () => {
    const locator = new GridLocator(demo.grids);
    demo.grids.forEach((g, i) => {
      const [lon, lat] = multiPointOnSurface(g.polygon);
      expect(locator.locate(lon, lat)).toBe(i);
    });
    const district = new GridLocator([{ code: demo.district.code, polygon: demo.district.polygon }]);
    const [w, s, e, n] = demo.district.bbox;
    for (let k = 0; k < 20_000; k++) {
      const lon = w + ((k * 0.6180339887) % 1) * (e - w), lat = s + ((k * 0.7548776662) % 1) * (n - s);
      expect(locator.locate(lon, lat) >= 0).toBe(district.locate(lon, lat) === 0);
    }
  });

  it('is the same district for the same seed, and another for another seed', () => {
    const again = generateDemoDistrict({ seed: SEED, sources });
    expect(JSON.stringify(again.grids)).toBe(JSON.stringify(demo.grids));
    expect(JSON.stringify(again.communities)).toBe(JSON.stringify(demo.communities));
    const other = generateDemoDistrict({ seed: SEED + 1, sources });
    expect(other.grids).toHaveLength(1809);
    expect(JSON.stringify(other.grids.map((g) => g.polygon))).not.toBe(JSON.stringify(demo.grids.map((g) => g.polygon)));
  });
});
