import type { Position } from './types.js';

/** Twice the signed area of triangle abc: > 0 when c is left of a→b, 0 when collinear. */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function within(a: number, b: number, v: number): boolean {
  return a <= b ? a <= v && v <= b : b <= v && v <= a;
}

/** For a point known to be collinear with a–b: is it on the closed segment? */
function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return within(ax, bx, px) && within(ay, by, py);
}

type Touch = { kind: 'cross' | 'touch' | 'overlap'; at: Position } | null;

/**
 * How two closed segments a–b and c–d meet: a proper crossing, a touch at one point (an endpoint
 * on the other segment), a collinear overlap of positive length, or not at all.
 */
export function segmentContact(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
): Touch {
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return { kind: 'cross', at: [ax + t * (bx - ax), ay + t * (by - ay)] };
  }
  if (d1 === 0 && d2 === 0) {
    // collinear: compare along the longer axis of a–b so vertical segments work too
    const useX = Math.abs(bx - ax) >= Math.abs(by - ay);
    const [a0, a1] = useX ? [Math.min(ax, bx), Math.max(ax, bx)] : [Math.min(ay, by), Math.max(ay, by)];
    const [c0, c1] = useX ? [Math.min(cx, dx), Math.max(cx, dx)] : [Math.min(cy, dy), Math.max(cy, dy)];
    const lo = Math.max(a0, c0), hi = Math.min(a1, c1);
    if (lo > hi) return null;
    const at: Position = onSegment(cx, cy, dx, dy, ax, ay) ? [ax, ay] : onSegment(cx, cy, dx, dy, bx, by) ? [bx, by] : [cx, cy];
    return { kind: lo < hi ? 'overlap' : 'touch', at };
  }
  if (d1 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return { kind: 'touch', at: [ax, ay] };
  if (d2 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return { kind: 'touch', at: [bx, by] };
  if (d3 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return { kind: 'touch', at: [cx, cy] };
  if (d4 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return { kind: 'touch', at: [dx, dy] };
  return null;
}

export interface RingContacts {
  /** Rings (by index) whose own segments meet anywhere but at shared consecutive vertices. */
  selfIntersections: { ring: number; at: Position }[];
  /** Pairs of different rings that cross or share a stretch of boundary (touching at a point is allowed). */
  crossings: { rings: [number, number]; at: Position }[];
}

/**
 * Finds where the rings of one feature meet themselves or each other. Consecutive duplicate
 * positions are ignored. Segments are swept in order of their west end, so only pairs whose
 * x-ranges overlap are tested: near-linear for ordinary rings, O(n²) only for pathological ones.
 */
export function findRingContacts(rings: readonly (readonly number[])[][]): RingContacts {
  const xs: number[] = [];
  const ringOf: number[] = [];
  const seqOf: number[] = [];
  const segCount: number[] = [];
  rings.forEach((ring, r) => {
    let n = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i], b = ring[i + 1];
      if (a[0] === b[0] && a[1] === b[1]) continue;
      xs.push(a[0], a[1], b[0], b[1]);
      ringOf.push(r);
      seqOf.push(n++);
    }
    segCount.push(n);
  });
  const m = ringOf.length;
  const order = Array.from({ length: m }, (_, i) => i);
  const minX = (s: number) => Math.min(xs[4 * s], xs[4 * s + 2]);
  const maxX = (s: number) => Math.max(xs[4 * s], xs[4 * s + 2]);
  order.sort((p, q) => minX(p) - minX(q));

  const selfHit = new Map<number, Position>();
  const crossHit = new Map<string, { rings: [number, number]; at: Position }>();
  for (let oi = 0; oi < m; oi++) {
    const s = order[oi];
    const sMaxX = maxX(s);
    const sMinY = Math.min(xs[4 * s + 1], xs[4 * s + 3]), sMaxY = Math.max(xs[4 * s + 1], xs[4 * s + 3]);
    for (let oj = oi + 1; oj < m; oj++) {
      const t = order[oj];
      if (minX(t) > sMaxX) break;
      const tMinY = Math.min(xs[4 * t + 1], xs[4 * t + 3]), tMaxY = Math.max(xs[4 * t + 1], xs[4 * t + 3]);
      if (tMinY > sMaxY || tMaxY < sMinY) continue;
      const rs = ringOf[s], rt = ringOf[t];
      const sameRing = rs === rt;
      if (sameRing && selfHit.has(rs)) continue;
      const contact = segmentContact(
        xs[4 * s], xs[4 * s + 1], xs[4 * s + 2], xs[4 * s + 3],
        xs[4 * t], xs[4 * t + 1], xs[4 * t + 2], xs[4 * t + 3],
      );
      if (!contact) continue;
      if (sameRing) {
        const n = segCount[rs];
        const gap = Math.abs(seqOf[s] - seqOf[t]);
        const adjacent = gap === 1 || gap === n - 1;
        // neighbours along the ring share a vertex; only doubling back over each other is wrong
        if (adjacent && contact.kind !== 'overlap') continue;
        selfHit.set(rs, contact.at);
      } else if (contact.kind !== 'touch') {
        const pair: [number, number] = rs < rt ? [rs, rt] : [rt, rs];
        const key = `${pair[0]}:${pair[1]}`;
        if (!crossHit.has(key)) crossHit.set(key, { rings: pair, at: contact.at });
      }
    }
  }
  return {
    selfIntersections: [...selfHit].sort((a, b) => a[0] - b[0]).map(([ring, at]) => ({ ring, at })),
    crossings: [...crossHit.values()].sort((a, b) => a.rings[0] - b.rings[0] || a.rings[1] - b.rings[1]),
  };
}
