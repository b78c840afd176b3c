import { bboxOf } from '../geometry/area.js';
import { GridLocator } from '../geometry/locate.js';
import type { LooseMultiPolygon, Position } from '../geometry/types.js';
import type { Random } from './prng.js';

/**
 * Where Tongzhou's 街道 (urban streets) are: the old town and the new sub-centre, against the
 * district's western edge. Grids are denser here, as they are in any district's built-up area.
 */
export const URBAN_ZONE = { west: 116.62, east: 116.72, south: 39.87, north: 39.94 } as const;

/** How many times denser grid sites are inside the urban zone than in the towns. */
const URBAN_DENSITY = 7;
/** Width (degrees) of the band over which density falls from urban to rural. */
const URBAN_FALLOFF = 0.01;
/** Candidates per site in best-candidate sampling: more gives more even spacing. */
const CANDIDATES = 10;

const smooth = (t: number) => (t <= 0 ? 1 : t >= 1 ? 0 : 1 - t * t * (3 - 2 * t));

/** 1 inside the urban zone, 0 well outside it, smooth in between. */
export function urbanWeight(lon: number, lat: number): number {
  const dx = Math.max(URBAN_ZONE.west - lon, 0, lon - URBAN_ZONE.east);
  const dy = Math.max(URBAN_ZONE.south - lat, 0, lat - URBAN_ZONE.north);
  return smooth(dx / URBAN_FALLOFF) * smooth(dy / URBAN_FALLOFF);
}

/** Relative grid density at a place. */
export function siteDensity(lon: number, lat: number): number {
  return 1 + (URBAN_DENSITY - 1) * urbanWeight(lon, lat);
}

/** An equirectangular projection around the district: good to a fraction of a percent over 50 km. */
export interface LocalProjection {
  toXY(lon: number, lat: number): Position;
  toLonLat(x: number, y: number): Position;
}

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const ky = 110_574;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  return {
    toXY: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky],
    toLonLat: (x, y) => [lon0 + x / kx, lat0 + y / ky],
  };
}

/**
 * Grid sites inside the boundary, denser in the urban zone. Best-candidate sampling (Mitchell):
 * each new site is the candidate farthest from the sites so far, distances scaled by local
 * density, which spreads sites evenly at the intended density and makes well-shaped cells.
 */
export function sampleGridSites(boundary: LooseMultiPolygon, count: number, rnd: Random, projection: LocalProjection): Position[] {
  const inside = new GridLocator([{ code: 'boundary', polygon: boundary }]);
  const [west, south, east, north] = bboxOf(boundary);
  const drawCandidate = (): Position => {
    for (;;) {
      const lon = west + rnd() * (east - west), lat = south + rnd() * (north - south);
      if (rnd() * URBAN_DENSITY < siteDensity(lon, lat) && inside.locate(lon, lat) === 0) return [lon, lat];
    }
  };
  const sites: Position[] = [];
  const xs = new Float64Array(count), ys = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    let best: Position = [NaN, NaN], bestScore = -1;
    for (let k = 0; k < (n === 0 ? 1 : CANDIDATES); k++) {
      const candidate = drawCandidate();
      const [x, y] = projection.toXY(candidate[0], candidate[1]);
      let nearest = Infinity;
      for (let i = 0; i < n; i++) nearest = Math.min(nearest, (xs[i] - x) ** 2 + (ys[i] - y) ** 2);
      const score = nearest * siteDensity(candidate[0], candidate[1]);
      if (score > bestScore) [best, bestScore] = [candidate, score];
    }
    sites.push(best);
    [xs[n], ys[n]] = projection.toXY(best[0], best[1]);
  }
  return sites;
}
