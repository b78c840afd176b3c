import { bboxOf, multiPolygonAreaM2 } from '../geometry/area.js';
import { unionAll } from '../geometry/coverage.js';
import { gridCode, gridNumberingOrder, orderByRows } from '../geometry/numbering.js';
import { rewindMultiPolygon } from '../geometry/rings.js';
import type { BBox, LooseMultiPolygon, MultiPolygonCoords, Position } from '../geometry/types.js';
import { voronoiCells } from './cells.js';
import { apportion, components, growRegions, spreadSeeds, type CellGraph } from './partition.js';
import { childRandom } from './prng.js';
import { localProjection, sampleGridSites, urbanWeight } from './sites.js';
import { loadDemoSources, type DemoSources } from './sources.js';

/** Tongzhou's grid count in 2013 and 2018. */
export const DEMO_GRID_COUNT = 1809;

export interface DemoArea {
  code: string;
  name: string;
  parentCode: string | null;
  polygon: MultiPolygonCoords;
  areaM2: number;
  bbox: BBox;
}

/** Shaped like ValidGrid, so demo grids and imported grids go through the same storage code. */
export interface DemoGrid {
  code: string;
  name: string;
  communityCode: string;
  streetCode: string;
  /** 1-based position in the community's numbering (the last 3 digits of the code). */
  sequence: number;
  polygon: MultiPolygonCoords;
  areaM2: number;
  bbox: BBox;
}

export interface DemoDistrict {
  seed: number;
  district: DemoArea;
  streets: DemoArea[];
  communities: DemoArea[];
  grids: DemoGrid[];
  /** Milliseconds per stage, for the curious and for the performance notes. */
  timings: Record<'sites' | 'cells' | 'partition' | 'polygons', number>;
}

export interface DemoOptions {
  seed: number;
  /** Boundary and division list; read from data/ when omitted. */
  sources?: DemoSources;
}

/**
 * Rough centres of Tongzhou's streets and towns, so the demo map reads like the real district: the
 * eleven 街道 in the old town and the sub-centre, the towns around them. Positions are approximate
 * and jittered per seed; the shapes that grow from them are invented.
 */
const STREET_ANCHORS: Record<string, Position> = {
  '110112001': [116.665, 39.9], // 中仓街道
  '110112002': [116.655, 39.912], // 新华街道
  '110112003': [116.632, 39.902], // 北苑街道
  '110112004': [116.678, 39.885], // 玉桥街道
  '110112007': [116.715, 39.912], // 潞源街道
  '110112008': [116.695, 39.903], // 通运街道
  '110112009': [116.7, 39.888], // 文景街道
  '110112010': [116.645, 39.885], // 九棵树街道
  '110112011': [116.662, 39.876], // 临河里街道
  '110112012': [116.63, 39.922], // 杨庄街道
  '110112013': [116.688, 39.93], // 潞邑街道
  '110112104': [116.7, 39.99], // 宋庄镇
  '110112105': [116.71, 39.83], // 张家湾镇
  '110112106': [116.78, 39.75], // 漷县镇
  '110112109': [116.56, 39.78], // 马驹桥镇
  '110112110': [116.88, 39.79], // 西集镇
  '110112114': [116.6, 39.83], // 台湖镇
  '110112117': [116.79, 39.66], // 永乐店镇
  '110112119': [116.755, 39.905], // 潞城镇
  '110112120': [116.7, 39.95], // 永顺镇
  '110112121': [116.64, 39.86], // 梨园镇
  '110112209': [116.68, 39.73], // 于家务回族乡
};
const ANCHOR_JITTER_DEG = 0.003;
const ATTEMPTS = 5;

const M_PER_DEG_LAT = 111_320;

const area = (code: string, name: string, parentCode: string | null, polygon: LooseMultiPolygon): DemoArea => {
  const rewound = rewindMultiPolygon(polygon);
  return { code, name, parentCode, polygon: rewound, areaM2: multiPolygonAreaM2(rewound), bbox: bboxOf(rewound) };
};

/**
 * Builds the demo Tongzhou: the real district boundary, its real 22 streets/towns and 656
 * communities/villages (names and codes), and 1,809 grids, with invented shapes.
 *
 * Grids come first and everything else is made of them, so all levels share exact borders:
 * 1. 1,809 grid sites inside the boundary, seven times denser in the urban zone;
 * 2. their Voronoi cells cut to the boundary, with shared vertices made bit-identical (the grids);
 * 3. streets grown over the cell graph from anchors near their real places, each sized in
 *    proportion to its number of communities (urban streets from the dense cells, so they are
 *    small; towns from the sparse ones, so they are large);
 * 4. each street's cells split the same way into its communities, seeded evenly over the street;
 * 5. each community's grids numbered by gridNumberingOrder; community and street polygons are
 *    unions of their grids.
 * Every community gets at least one grid; urban communities get more, being denser. The same seed
 * always gives the same district.
 */
export function generateDemoDistrict(options: DemoOptions): DemoDistrict {
  const sources = options.sources ?? loadDemoSources();
  const seed = options.seed >>> 0;
  const boundary = sources.district.boundary;
  const [w, s, e, n] = bboxOf(boundary);
  const projection = localProjection((w + e) / 2, (s + n) / 2);
  const timings = { sites: 0, cells: 0, partition: 0, polygons: 0 };
  let mark = performance.now();
  const lap = (stage: keyof typeof timings) => {
    const now = performance.now();
    timings[stage] += now - mark;
    mark = now;
  };

  const sites = sampleGridSites(boundary, DEMO_GRID_COUNT, childRandom(seed, 1), projection);
  lap('sites');
  const layout = voronoiCells(sites, boundary, projection);
  lap('cells');
  const graph: CellGraph = { neighbors: layout.neighbors, sites: sites.map(([lon, lat]) => projection.toXY(lon, lat)) };
  const cellAreaM2 = layout.polygons.map((p) => multiPolygonAreaM2(p));

  let streetOf: Int32Array | null = null;
  for (let attempt = 0; attempt < ATTEMPTS && !streetOf; attempt++) {
    streetOf = planStreets(sources, sites, graph, childRandom(seed, 2 + attempt));
  }
  if (!streetOf) throw new Error(`seed ${seed}: could not give every street at least one grid per community`);

  const communityCells = new Map<string, number[]>();
  const rnd = childRandom(seed, 10);
  sources.streets.forEach((street, si) => {
    const cells = [...streetOf!.keys()].filter((c) => streetOf![c] === si);
    const members = sources.communities.filter((c) => c.streetCode === street.code);
    const allowed = Array.from(streetOf!, (r) => r === si);
    const seeds = spreadSeeds(graph, cells, members.length, Math.floor(rnd() * cells.length));
    const targets = apportion(cells.length, members.map(() => 1));
    const regionOf = growRegions(graph, allowed, seeds.map((cell, k) => ({ seed: cell, target: targets[k] })));
    // communities are numbered in code order; hand them the regions north to south, west to east,
    // in rows half a typical community high
    const streetAreaM2 = cells.reduce((sum, c) => sum + cellAreaM2[c], 0);
    const rowHeightDeg = Math.sqrt(streetAreaM2 / members.length) / 2 / M_PER_DEG_LAT;
    const byPlace = orderByRows(seeds.map((c) => sites[c]), rowHeightDeg);
    byPlace.forEach((region, k) => communityCells.set(members[k].code, cells.filter((c) => regionOf[c] === region)));
  });
  lap('partition');

  const grids: DemoGrid[] = [];
  const communities: DemoArea[] = [];
  for (const community of sources.communities) {
    const cells = communityCells.get(community.code) ?? [];
    if (cells.length === 0) throw new Error(`community ${community.code} got no grid`);
    const order = gridNumberingOrder(cells.map((c) => layout.polygons[c]));
    order.forEach((k, i) => {
      const polygon = layout.polygons[cells[k]];
      grids.push({
        code: gridCode(community.code, i + 1),
        name: `${community.name}第${i + 1}网格`,
        communityCode: community.code,
        streetCode: community.streetCode,
        sequence: i + 1,
        polygon,
        areaM2: cellAreaM2[cells[k]],
        bbox: bboxOf(polygon),
      });
    });
    communities.push(area(community.code, community.name, community.streetCode, unionAll(cells.map((c) => layout.polygons[c]))));
  }
  const streets = sources.streets.map((street) =>
    area(street.code, street.name, sources.district.code, unionAll(communities.filter((c) => c.parentCode === street.code).map((c) => c.polygon))),
  );
  lap('polygons');

  const byCode = <T extends { code: string }>(xs: T[]) => xs.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    seed,
    district: area(sources.district.code, sources.district.name, null, boundary),
    streets: byCode(streets),
    communities: byCode(communities),
    grids: byCode(grids),
    timings,
  };
}

/**
 * Grows the streets over the cells. Urban streets share the dense cells and towns the sparse ones,
 * each in proportion to its community count. Returns each cell's street index, or null when some
 * street ended up with fewer cells than communities (the caller retries with other anchors).
 */
function planStreets(sources: DemoSources, sites: readonly Position[], graph: CellGraph, rnd: () => number): Int32Array | null {
  const communityCount = sources.streets.map((st) => sources.communities.filter((c) => c.streetCode === st.code).length);
  const urban = sources.streets.map((st) => st.name.endsWith('街道'));
  const urbanCells = sites.filter(([lon, lat]) => urbanWeight(lon, lat) >= 0.5).length;
  const targets = new Array<number>(sources.streets.length).fill(0);
  for (const isUrban of [true, false]) {
    const members = sources.streets.map((_, i) => i).filter((i) => urban[i] === isUrban);
    if (members.length === 0) continue;
    const pool = isUrban ? urbanCells : sites.length - urbanCells;
    apportion(pool, members.map((i) => communityCount[i])).forEach((t, k) => (targets[members[k]] = t));
  }
  // any difference from rounding the urban share goes to the towns
  const excess = targets.reduce((a, b) => a + b, 0) - sites.length;
  if (excess !== 0) targets[targets.indexOf(Math.max(...targets))] -= excess;

  const used = new Set<number>();
  const plans = sources.streets.map((street, i) => {
    const anchor = STREET_ANCHORS[street.code] ?? sites[Math.floor(rnd() * sites.length)];
    const lon = anchor[0] + (rnd() * 2 - 1) * ANCHOR_JITTER_DEG, lat = anchor[1] + (rnd() * 2 - 1) * ANCHOR_JITTER_DEG;
    // the nearest free cell of the street's own kind (urban or not)
    let seed = -1, best = Infinity;
    sites.forEach(([x, y], c) => {
      const d = (x - lon) ** 2 + (y - lat) ** 2;
      if (!used.has(c) && d < best && urbanWeight(x, y) >= 0.5 === urban[i]) [seed, best] = [c, d];
    });
    used.add(seed);
    return { seed, target: targets[i] };
  });
  // urban streets divide the dense cells among themselves and towns the rest, so a town next to
  // the old town cannot swallow urban cells (or the reverse); a pocket of one kind cut off from
  // all its streets' seeds (e.g. a rural sliver between the old town and the district edge) joins
  // the other kind, so every street stays in one piece
  const isUrbanCell = sites.map(([lon, lat]) => urbanWeight(lon, lat) >= 0.5);
  for (const kind of [false, true]) {
    const mask = isUrbanCell.map((u) => u === kind);
    const part = components(graph, mask);
    const seeded = new Set(plans.filter((_, i) => urban[i] === kind).map((p) => part[p.seed]));
    part.forEach((p, c) => {
      if (p >= 0 && !seeded.has(p)) isUrbanCell[c] = !kind;
    });
  }
  const streetOf = new Int32Array(sites.length).fill(-1);
  for (const isUrban of [true, false]) {
    const inGroup = isUrbanCell.map((u) => u === isUrban);
    const members = plans.map((_, i) => i).filter((i) => urban[i] === isUrban && inGroup[plans[i].seed]);
    const grown = growRegions(graph, inGroup, members.map((i) => plans[i]));
    grown.forEach((r, c) => {
      if (r >= 0) streetOf[c] = members[r];
    });
  }
  if (streetOf.includes(-1)) return null;
  const sizes = new Array<number>(plans.length).fill(0);
  for (const r of streetOf) sizes[r]++;
  return sizes.every((size, i) => size >= communityCount[i]) ? streetOf : null;
}
