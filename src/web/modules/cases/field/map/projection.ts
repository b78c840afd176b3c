import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * A flat local projection for a few square kilometres: metres east and south of an origin. A grid
 * worker's map covers a grid or a community, where the earth's curvature is far below a pixel, and
 * metres as map units make the GPS accuracy circle and distances exact without a map library.
 */
export interface LonLat {
  lon: number;
  lat: number;
}

// one degree on the sphere the distances use (mean earth radius); the ellipsoid differs by < 0.3 %
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LON_EQUATOR = 111_195;

export interface Projection {
  origin: LonLat;
  /** [x east, y south] in metres. */
  project(p: LonLat): [number, number];
  unproject(x: number, y: number): LonLat;
}

export function localProjection(origin: LonLat): Projection {
  const kx = M_PER_DEG_LON_EQUATOR * Math.cos((origin.lat * Math.PI) / 180);
  return {
    origin,
    project: (p) => [(p.lon - origin.lon) * kx, -(p.lat - origin.lat) * M_PER_DEG_LAT],
    unproject: (x, y) => ({ lon: origin.lon + x / kx, lat: origin.lat - y / M_PER_DEG_LAT }),
  };
}

/** Great-circle distance in metres (haversine), for "120 m away". */
export function distanceM(a: LonLat, b: LonLat): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export function boxOf(points: readonly LonLat[]): Box | null {
  if (!points.length) return null;
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    a = Math.min(a, p.lon);
    b = Math.min(b, p.lat);
    c = Math.max(c, p.lon);
    d = Math.max(d, p.lat);
  }
  return [a, b, c, d];
}

export function ringsOf(g: Polygon | MultiPolygon): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function verticesOf(g: Polygon | MultiPolygon): LonLat[] {
  return ringsOf(g).flatMap((poly) => (poly[0] ?? []).map(([lon, lat]) => ({ lon: lon!, lat: lat! })));
}

/** The SVG path of a polygon in projected metres (outer rings and holes; even-odd fill). */
export function pathOf(g: Polygon | MultiPolygon, proj: Projection): string {
  const parts: string[] = [];
  for (const poly of ringsOf(g)) {
    for (const ring of poly) {
      const pts = ring.map(([lon, lat]) => proj.project({ lon: lon!, lat: lat! }));
      if (pts.length < 3) continue;
      parts.push(`M${pts.map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`).join('L')}Z`);
    }
  }
  return parts.join('');
}

/** Whether the point lies inside the polygon (ray casting; holes excluded). */
export function contains(g: Polygon | MultiPolygon, p: LonLat): boolean {
  let inside = false;
  for (const poly of ringsOf(g)) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > p.lat !== yj > p.lat && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * Where to write a polygon's name: the vertex average when it lies inside, else the middle of the
 * widest inside stretch of a horizontal line through the polygon (a C-shaped grid has its average
 * in the hollow).
 */
export function labelPoint(g: Polygon | MultiPolygon): LonLat {
  const outer = ringsOf(g).reduce((best, poly) => ((poly[0]?.length ?? 0) > (best[0]?.length ?? 0) ? poly : best), ringsOf(g)[0] ?? []);
  const ring = (outer[0] ?? []).map(([lon, lat]) => ({ lon: lon!, lat: lat! }));
  const avg = { lon: ring.reduce((s, p) => s + p.lon, 0) / (ring.length || 1), lat: ring.reduce((s, p) => s + p.lat, 0) / (ring.length || 1) };
  if (contains(g, avg)) return avg;
  const box = boxOf(ring);
  if (!box) return avg;
  let best: { lon: number; lat: number; width: number } | null = null;
  for (const f of [0.5, 0.35, 0.65, 0.2, 0.8]) {
    const lat = box[1] + (box[3] - box[1]) * f;
    const xs: number[] = [];
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!;
      const b = ring[j]!;
      if (a.lat > lat !== b.lat > lat) xs.push(a.lon + ((lat - a.lat) * (b.lon - a.lon)) / (b.lat - a.lat));
    }
    xs.sort((x, y) => x - y);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const width = xs[k + 1]! - xs[k]!;
      if (!best || width > best.width) best = { lon: (xs[k]! + xs[k + 1]!) / 2, lat, width };
    }
  }
  return best ? { lon: best.lon, lat: best.lat } : avg;
}

/** A view: the map point at the centre of the screen (metres) and the scale (pixels per metre). */
export interface View {
  cx: number;
  cy: number;
  scale: number;
}

export const MIN_SCALE = 0.002; // about 200 km across a phone
export const MAX_SCALE = 20; // about 20 m across a phone

export const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** The view that shows the whole box with `padding` pixels to spare on each side. */
export function fitView(box: Box, proj: Projection, width: number, height: number, padding = 32): View {
  const [x0, y1] = proj.project({ lon: box[0], lat: box[1] });
  const [x1, y0] = proj.project({ lon: box[2], lat: box[3] });
  const w = Math.max(x1 - x0, 30);
  const h = Math.max(y1 - y0, 30);
  const scale = clampScale(Math.min((width - 2 * padding) / w, (height - 2 * padding) / h));
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, scale };
}

export function toScreen(view: View, width: number, height: number, x: number, y: number): [number, number] {
  return [(x - view.cx) * view.scale + width / 2, (y - view.cy) * view.scale + height / 2];
}

export function fromScreen(view: View, width: number, height: number, sx: number, sy: number): [number, number] {
  return [(sx - width / 2) / view.scale + view.cx, (sy - height / 2) / view.scale + view.cy];
}

/** Zooms by `factor` keeping the map point under the screen point (sx, sy) where it is. */
export function zoomAt(view: View, width: number, height: number, sx: number, sy: number, factor: number): View {
  const scale = clampScale(view.scale * factor);
  const [mx, my] = fromScreen(view, width, height, sx, sy);
  return { scale, cx: mx - (sx - width / 2) / scale, cy: my - (sy - height / 2) / scale };
}

/** A scale bar of a round length (1, 2 or 5 × 10ⁿ metres) close to `targetPx` pixels. */
export function scaleBar(scale: number, targetPx = 90): { metres: number; px: number } {
  const raw = targetPx / scale;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const metres = [5, 2, 1].map((m) => m * pow).find((m) => m <= raw) ?? pow;
  return { metres, px: metres * scale };
}

/**
 * Which labels to draw: those inside the screen, each only where it overlaps none drawn before
 * (in the order given, so the first areas keep theirs). A worker's few grids all get their names;
 * a district's 1,809 on one phone screen would be a black smudge.
 */
export function labelsThatFit(
  labels: readonly { x: number; y: number; text: string }[], width: number, height: number, charWidth = 14, lineHeight = 18,
): boolean[] {
  const placed: [number, number, number, number][] = [];
  return labels.map(({ x, y, text }) => {
    const half = (Math.max(1, text.length) * charWidth) / 2;
    const box: [number, number, number, number] = [x - half, y - lineHeight / 2, x + half, y + lineHeight / 2];
    if (box[2] < 0 || box[0] > width || box[3] < 0 || box[1] > height) return false;
    if (placed.some((p) => box[0] < p[2] && p[0] < box[2] && box[1] < p[3] && p[1] < box[3])) return false;
    placed.push(box);
    return true;
  });
}
