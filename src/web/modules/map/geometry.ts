import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { BBox, DivisionCollection, DivisionProperties } from './api.js';

type Ring = Position[];

function polygonsOf(geometry: Polygon | MultiPolygon): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The box around every vertex of every feature; null when there is nothing to frame. */
export function bboxOf(collection: FeatureCollection<Polygon | MultiPolygon> | null | undefined): BBox | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const feature of collection?.features ?? []) {
    if (!feature.geometry) continue;
    for (const polygon of polygonsOf(feature.geometry)) {
      for (const [x, y] of polygon[0] ?? []) {
        if (x === undefined || y === undefined) continue;
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
    }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Twice the signed area of a ring in degrees² (positive when counter-clockwise). */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x1, y1] = ring[j]!;
    const [x2, y2] = ring[i]!;
    sum += (x1! * y2! - x2! * y1!);
  }
  return sum;
}

/** Distance from (x, y) to the polygon's outline, negative outside. Coordinates already scaled. */
function signedDistance(x: number, y: number, polygon: Ring[]): number {
  let inside = false;
  let best = Infinity;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[j] as [number, number];
      if ((ay > y) !== (by > y) && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      best = Math.min(best, segmentDistanceSq(x, y, ax, ay, bx, by));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(best);
}

function segmentDistanceSq(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let x = ax, y = ay;
  const dx = bx - ax, dy = by - ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) { x = bx; y = by; } else if (t > 0) { x += dx * t; y += dy * t; }
  }
  return (px - x) ** 2 + (py - y) ** 2;
}

interface Cell { x: number; y: number; h: number; d: number; max: number }

/** A binary max-heap on the best distance a cell could still hold. */
class CellQueue {
  private items: Cell[] = [];
  push(item: Cell): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.max >= a[i]!.max) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): Cell | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.max > a[m]!.max) m = l;
        if (r < a.length && a[r]!.max > a[m]!.max) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

function cell(x: number, y: number, h: number, polygon: Ring[]): Cell {
  const d = signedDistance(x, y, polygon);
  return { x, y, h, d, max: d + h * Math.SQRT2 };
}

/**
 * The point deepest inside a polygon (its pole of inaccessibility, as in Mapbox's polylabel): where
 * a label sits best. A centroid can fall outside an L-shaped community; this point never does.
 * Longitudes are scaled by cos(latitude) so "deepest" means metres, not degrees.
 */
export function poleOfInaccessibility(polygon: Ring[], relativePrecision = 0.03): [number, number] {
  const outer = polygon[0] ?? [];
  const lat0 = outer.reduce((s, p) => s + (p[1] ?? 0), 0) / Math.max(outer.length, 1);
  const k = Math.cos((lat0 * Math.PI) / 180) || 1;
  const scaled = polygon.map((ring) => ring.map(([x, y]) => [x! * k, y!] as Position));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of scaled[0] ?? []) {
    minX = Math.min(minX, x!); minY = Math.min(minY, y!); maxX = Math.max(maxX, x!); maxY = Math.max(maxY, y!);
  }
  if (!Number.isFinite(minX)) return [0, 0];
  const width = maxX - minX, height = maxY - minY;
  const size = Math.min(width, height);
  if (size === 0) return [minX / k, minY];
  const precision = Math.max(width, height) * relativePrecision;

  const queue = new CellQueue();
  const h = size / 2;
  for (let x = minX; x < maxX; x += size) for (let y = minY; y < maxY; y += size) queue.push(cell(x + h, y + h, h, scaled));
  // start from the box centre, the usual answer for a compact shape
  let best = cell(minX + width / 2, minY + height / 2, 0, scaled);
  for (let current = queue.pop(); current; current = queue.pop()) {
    if (current.d > best.d) best = current;
    if (current.max - best.d <= precision) continue;
    const q = current.h / 2;
    queue.push(cell(current.x - q, current.y - q, q, scaled));
    queue.push(cell(current.x + q, current.y - q, q, scaled));
    queue.push(cell(current.x - q, current.y + q, q, scaled));
    queue.push(cell(current.x + q, current.y + q, q, scaled));
  }
  return [best.x / k, best.y];
}

/** Where a division's label goes: inside its largest part. */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] {
  let largest: Ring[] = [];
  let largestArea = -1;
  for (const polygon of polygonsOf(geometry)) {
    const area = Math.abs(signedArea(polygon[0] ?? []));
    if (area > largestArea) { largestArea = area; largest = polygon; }
  }
  return poleOfInaccessibility(largest);
}

export interface LabelProperties {
  code: string;
  name: string;
  /** The grid's own three digits ("007"); the name for other levels. */
  short: string;
}

/** One point per division for its label, so a polygon cut across map tiles still gets one label. */
export function labelPoints(collection: DivisionCollection | null): FeatureCollection<Point, LabelProperties> {
  return {
    type: 'FeatureCollection',
    features: (collection?.features ?? [])
      .filter((f) => f.geometry)
      .map((f) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: labelPoint(f.geometry) },
        properties: { code: f.properties.code, name: shortName(f.properties), short: gridNumber(f.properties.code) },
      })),
  };
}

/** "悟仙观社区居委会" reads as "悟仙观社区" and "宋庄村委会" as "宋庄村" on a map, where room is short. */
export function shortName(props: Pick<DivisionProperties, 'name'>): string {
  const short = props.name.replace(/(居民委员会|居委会)$/, '').replace(/(村民委员会|村委会)$/, '村');
  return short || props.name;
}

/** The grid's sequence inside its community: the last three digits of its 15-digit code. */
export function gridNumber(code: string): string {
  return code.length === 15 ? code.slice(12) : code;
}

/**
 * A veil over everything outside the district: the world with the district's outer rings cut out.
 * Holes must wind against the outer ring for the renderer to treat them as holes.
 */
export function outsideMask(district: DivisionCollection | null): Feature<Polygon> | null {
  const holes: Ring[] = [];
  for (const feature of district?.features ?? []) {
    if (!feature.geometry) continue;
    for (const polygon of polygonsOf(feature.geometry)) if (polygon[0]) holes.push(polygon[0]);
  }
  if (holes.length === 0) return null;
  const world: Ring = [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]; // counter-clockwise
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [world, ...holes.map((ring) => (signedArea(ring) > 0 ? [...ring].reverse() : ring))] },
  };
}

/** Whether a 15-digit query names a grid exactly, so search can open its card without a pick. */
export function isGridCode(text: string): boolean {
  return /^\d{15}$/.test(text.trim());
}
