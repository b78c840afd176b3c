import Flatbush from 'flatbush';
import { edgeStatus, flattenEdges, INSIDE, OUTSIDE } from './edges.js';
import type { GridShape } from './types.js';

/** An outline a grid no longer has, with the moment it ended: the grid was retired by a redraw, or given a new outline. */
export interface PastOutline extends GridShape {
  endedAt: number;
}

/**
 * Which grid held a point at a past moment. A redraw retires grids and leaves their polygons, and
 * a reshaped grid keeps its earlier outline, so every earlier drawing is still known: a point at
 * time t lay in the outline that contains it and ended after t — of several (a place redrawn twice
 * since), the one that ended first. No such outline: the point lay then in the grid that holds it
 * now (the locator's). Outlines of different drawings overlap, so this is a bounding-box search and
 * an exact test of each candidate, not the locator's raster; there are few of them.
 */
export class PastOutlineIndex {
  readonly size: number;
  /** The latest end of an outline: a moment at or after it needs no look. */
  readonly lastEndedAt: number;
  private readonly codes: string[];
  private readonly endedAt: Float64Array;
  private readonly edges: Float64Array;
  private readonly edgeStart: Uint32Array;
  private readonly tree: Flatbush | null;

  constructor(grids: readonly PastOutline[]) {
    this.size = grids.length;
    this.codes = grids.map((g) => g.code);
    this.endedAt = Float64Array.from(grids.map((g) => g.endedAt));
    this.lastEndedAt = grids.reduce((m, g) => Math.max(m, g.endedAt), -Infinity);
    const flat = flattenEdges(grids);
    this.edges = flat.edges;
    this.edgeStart = flat.edgeStart;
    if (this.size === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(this.size);
    for (let g = 0; g < this.size; g++) tree.add(flat.bboxes[4 * g], flat.bboxes[4 * g + 1], flat.bboxes[4 * g + 2], flat.bboxes[4 * g + 3]);
    tree.finish();
    this.tree = tree;
  }

  /**
   * The index of the past outline that held (lon, lat) at `at`, or −1. Ties (a point on the
   * boundary of outlines that ended together) go to one it is inside, then to the lower code.
   */
  locateAt(lon: number, lat: number, at: number): number {
    if (!this.tree || at >= this.lastEndedAt) return -1; // no ended outline, or none ended after `at`
    let best = -1;
    let bestInside = false;
    for (const g of this.tree.search(lon, lat, lon, lat)) {
      if (this.endedAt[g] <= at) continue;
      const status = edgeStatus(this.edges, this.edgeStart[g], this.edgeStart[g + 1], lon, lat);
      if (status === OUTSIDE) continue;
      const inside = status === INSIDE;
      const better = best < 0
        || this.endedAt[g] < this.endedAt[best]
        || (this.endedAt[g] === this.endedAt[best] && (inside && !bestInside || inside === bestInside && this.codes[g] < this.codes[best]));
      if (better) {
        best = g;
        bestInside = inside;
      }
    }
    return best;
  }

  codeOf(i: number): string {
    return this.codes[i];
  }
}
