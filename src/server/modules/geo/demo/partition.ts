import type { Position } from '../geometry/types.js';

/** Cells (Voronoi grid cells) as a graph: who borders whom, and where each cell's site is, in metres. */
export interface CellGraph {
  neighbors: readonly (readonly number[])[];
  sites: readonly Position[];
}

export interface RegionPlan {
  /** Cell the region starts from. */
  seed: number;
  /** Cells the region should end up with; growth stops there unless cells would be left over. */
  target: number;
}

/** A binary min-heap of (priority, cell); ties pop in insertion order, for determinism. */
class Frontier {
  private readonly items: { priority: number; order: number; cell: number }[] = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  push(priority: number, cell: number): void {
    const a = this.items;
    a.push({ priority, order: this.pushed++, cell });
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): { priority: number; cell: number } {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }

  private less(x: { priority: number; order: number }, y: { priority: number; order: number }): boolean {
    return x.priority < y.priority || (x.priority === y.priority && x.order < y.order);
  }
}

const distance = (a: Position, b: Position) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * Splits a set of cells into contiguous regions of about the planned sizes. Regions grow in turns
 * along the cell graph: each turn the region least far towards its target (by share of it) takes
 * its nearest free cell, so all regions fill at the same pace and a big neighbour cannot surround
 * a small one early. A region stops at its target, or when it has no free neighbour left. Cells
 * left enclosed go to the adjacent region furthest below its target. Every region is contiguous by
 * construction and keeps at least its seed.
 *
 * Returns each cell's region index, or −1 for cells outside `allowed`.
 */
export function growRegions(graph: CellGraph, allowed: readonly boolean[], plans: readonly RegionPlan[]): Int32Array {
  const regionOf = new Int32Array(graph.sites.length).fill(-1);
  const size = new Array<number>(plans.length).fill(0);
  const frontiers = plans.map(() => new Frontier());
  const expand = (region: number, cell: number, reach: number) => {
    for (const next of graph.neighbors[cell]) {
      if (allowed[next] && regionOf[next] === -1) frontiers[region].push(reach + distance(graph.sites[cell], graph.sites[next]), next);
    }
  };
  plans.forEach((plan, r) => {
    if (!allowed[plan.seed] || regionOf[plan.seed] !== -1) throw new Error(`region ${r} has an unusable seed cell ${plan.seed}`);
    regionOf[plan.seed] = r;
    size[r] = 1;
  });
  plans.forEach((plan, r) => expand(r, plan.seed, 0));
  for (;;) {
    let turn = -1;
    plans.forEach((plan, r) => {
      if (size[r] >= plan.target || frontiers[r].size === 0) return;
      if (turn < 0 || size[r] / plan.target < size[turn] / plans[turn].target) turn = r;
    });
    if (turn < 0) break;
    const frontier = frontiers[turn];
    while (frontier.size > 0) {
      const { cell, priority } = frontier.pop();
      if (regionOf[cell] !== -1) continue;
      regionOf[cell] = turn;
      size[turn]++;
      expand(turn, cell, priority);
      break;
    }
  }

  // enclosed leftovers: hand each to the neighbouring region furthest below its target
  for (let changed = true; changed; ) {
    changed = false;
    for (let cell = 0; cell < regionOf.length; cell++) {
      if (!allowed[cell] || regionOf[cell] !== -1) continue;
      let best = -1;
      for (const next of graph.neighbors[cell]) {
        const r = regionOf[next];
        if (r >= 0 && allowed[next] && (best < 0 || size[r] / plans[r].target < size[best] / plans[best].target)) best = r;
      }
      if (best >= 0) {
        regionOf[cell] = best;
        size[best]++;
        changed = true;
      }
    }
  }
  // cells with no path to any seed (only if `allowed` is not connected): nearest seed wins
  for (let cell = 0; cell < regionOf.length; cell++) {
    if (!allowed[cell] || regionOf[cell] !== -1) continue;
    let best = 0;
    plans.forEach((p, r) => {
      if (distance(graph.sites[cell], graph.sites[p.seed]) < distance(graph.sites[cell], graph.sites[plans[best].seed])) best = r;
    });
    regionOf[cell] = best;
  }
  return regionOf;
}

/** Connected parts of the cells in `mask`: each cell's part number, or −1 outside the mask. */
export function components(graph: CellGraph, mask: readonly boolean[]): Int32Array {
  const part = new Int32Array(mask.length).fill(-1);
  let parts = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || part[start] !== -1) continue;
    const stack = [start];
    part[start] = parts;
    while (stack.length > 0) {
      const cell = stack.pop()!;
      for (const next of graph.neighbors[cell]) {
        if (mask[next] && part[next] === -1) {
          part[next] = parts;
          stack.push(next);
        }
      }
    }
    parts++;
  }
  return part;
}

/**
 * `count` cells spread over a region: the first at random, each next the cell farthest from those
 * chosen (farthest-point sampling), so community seeds cover their street evenly.
 */
export function spreadSeeds(graph: CellGraph, cells: readonly number[], count: number, pickFirst: number): number[] {
  const seeds = [cells[pickFirst % cells.length]];
  const nearest = cells.map((c) => distance(graph.sites[c], graph.sites[seeds[0]]));
  while (seeds.length < count) {
    let far = -1;
    nearest.forEach((d, i) => {
      if (!seeds.includes(cells[i]) && (far < 0 || d > nearest[far])) far = i;
    });
    seeds.push(cells[far]);
    cells.forEach((c, i) => (nearest[i] = Math.min(nearest[i], distance(graph.sites[c], graph.sites[cells[far]]))));
  }
  return seeds;
}

/** Splits `total` into parts proportional to `weights` (largest remainder), each at least `min`. */
export function apportion(total: number, weights: readonly number[], min = 1): number[] {
  const spare = total - min * weights.length;
  if (spare < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} each out of ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (spare * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  const order = exact.map((x, i) => i).sort((a, b) => exact[b] - parts[b] - (exact[a] - parts[a]) || a - b);
  for (let k = 0, left = spare - parts.reduce((a, b) => a + b, 0); k < left; k++) parts[order[k]]++;
  return parts.map((p) => p + min);
}
