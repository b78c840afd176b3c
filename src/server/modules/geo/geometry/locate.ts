import Flatbush from 'flatbush';
import { edgeStatus, flattenEdges, INSIDE, ON_BOUNDARY, OUTSIDE, type PointStatus } from './edges.js';
import { buildRaster } from './raster.js';
import type { GridShape } from './types.js';

export { INSIDE, ON_BOUNDARY, OUTSIDE, type PointStatus } from './edges.js';

export interface GridLocatorOptions {
  /** Raster cells per grid; more cells answer more points in O(1) at the cost of memory. */
  cellsPerGrid?: number;
  /** Upper bound on raster cells whatever the grid count (4 bytes each). */
  maxCells?: number;
}

export interface GridLocatorStats {
  grids: number;
  edges: number;
  columns: number;
  rows: number;
  /** Cells no edge comes near that lie inside a grid: answered without any geometry. */
  pureCells: number;
  /** Cells outside every grid. */
  emptyCells: number;
  /** Cells some boundary passes near, answered by testing their candidate grids. */
  mixedCells: number;
  meanCandidates: number;
  buildMs: number;
}

const DEFAULT_CELLS_PER_GRID = 16;
const DEFAULT_MAX_CELLS = 1 << 24;

/**
 * Point → grid lookup over a static set of grids. Build a new one when grids change.
 *
 * Which grid wins: a grid whose interior contains the point beats one that only has it on its
 * boundary; among equals the smallest code wins. So a point on an edge shared by two grids, or on
 * a vertex shared by several, belongs to the neighbour with the smallest code; a point on the
 * district's outer boundary belongs to its only grid; −1 means no grid contains the point.
 *
 * How it is fast: a uniform raster over the grids' extent. A cell that no edge comes near lies
 * wholly inside one grid (or none), so its answer is stored and needs no geometry. Any other cell
 * keeps the short list of grids that can contain points in it, ordered by code, and only those are
 * tested. Cells are widened by a tiny margin when classified, so a point rounding into a
 * neighbouring cell still gets a correct answer. Lookups allocate nothing.
 */
export class GridLocator {
  readonly size: number;
  private readonly codes: string[];
  /** Per edge: lower x, lower y, upper x, upper y. */
  private readonly edges: Float64Array;
  /** Per grid, offsets into `edges` (already ×4), length size + 1. */
  private readonly edgeStart: Uint32Array;
  private readonly bboxes: Float64Array;
  /** Grid indices in code order: the tie-break order. */
  private readonly byCode: Int32Array;
  private readonly tree: Flatbush | null;
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly invCellW: number;
  private readonly invCellH: number;
  private readonly columns: number;
  private readonly rows: number;
  /** ≥ 0: the grid; −1: no grid; ≤ −2: mixed cell number −2 − value. */
  private readonly cells: Int32Array;
  private readonly candidateStart: Uint32Array;
  private readonly candidates: Int32Array;
  private readonly buildMs: number;

  constructor(grids: readonly GridShape[], options: GridLocatorOptions = {}) {
    const started = performance.now();
    this.size = grids.length;
    this.codes = grids.map((g) => g.code);
    this.byCode = Int32Array.from(grids.map((_, i) => i).sort((a, b) => (this.codes[a] < this.codes[b] ? -1 : this.codes[a] > this.codes[b] ? 1 : a - b)));
    ({ edges: this.edges, edgeStart: this.edgeStart, bboxes: this.bboxes } = flattenEdges(grids));

    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let g = 0; g < this.size; g++) {
      if (this.bboxes[4 * g] > this.bboxes[4 * g + 2]) continue; // no edges
      minX = Math.min(minX, this.bboxes[4 * g]);
      minY = Math.min(minY, this.bboxes[4 * g + 1]);
      maxX = Math.max(maxX, this.bboxes[4 * g + 2]);
      maxY = Math.max(maxY, this.bboxes[4 * g + 3]);
    }
    if (minX > maxX) {
      // nothing to find: every lookup answers −1 from the extent test
      [this.minX, this.minY, this.maxX, this.maxY] = [1, 1, 0, 0];
      this.tree = null;
      this.columns = this.rows = 1;
      this.invCellW = this.invCellH = 1;
      this.cells = new Int32Array([-1]);
      this.candidateStart = new Uint32Array(1);
      this.candidates = new Int32Array(0);
      this.buildMs = performance.now() - started;
      return;
    }
    [this.minX, this.minY, this.maxX, this.maxY] = [minX, minY, maxX, maxY];

    const tree = new Flatbush(this.size);
    for (let g = 0; g < this.size; g++) {
      const b = this.bboxes.subarray(4 * g, 4 * g + 4);
      // a grid without edges gets a box no lookup inside the extent can reach
      if (b[0] > b[2]) tree.add(minX - 1, minY - 1, minX - 1, minY - 1);
      else tree.add(b[0], b[1], b[2], b[3]);
    }
    tree.finish();
    this.tree = tree;

    const width = Math.max(maxX - minX, 1e-12), height = Math.max(maxY - minY, 1e-12);
    const target = Math.min(options.maxCells ?? DEFAULT_MAX_CELLS, Math.max(1, Math.round((options.cellsPerGrid ?? DEFAULT_CELLS_PER_GRID) * this.size)));
    const side = Math.sqrt((width * height) / target);
    this.columns = Math.max(1, Math.min(target, Math.ceil(width / side)));
    this.rows = Math.max(1, Math.ceil(height / side));
    this.invCellW = this.columns / width;
    this.invCellH = this.rows / height;

    const raster = buildRaster({
      size: this.size,
      columns: this.columns,
      rows: this.rows,
      extent: { minX, minY, width, height },
      edges: this.edges,
      edgeStart: this.edgeStart,
      byCode: this.byCode,
      tree,
      winner: (gridIndices, lon, lat) => this.bestOf(gridIndices, lon, lat),
      status: (g, lon, lat) => this.statusOf(g, lon, lat),
    });
    this.cells = raster.cells;
    this.candidateStart = raster.candidateStart;
    this.candidates = raster.candidates;
    this.buildMs = performance.now() - started;
  }

  /** Index (in the array given to the constructor) of the grid containing the point, or −1. */
  locate(lon: number, lat: number): number {
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return -1;
    let cx = Math.floor((lon - this.minX) * this.invCellW);
    if (cx >= this.columns) cx = this.columns - 1;
    let cy = Math.floor((lat - this.minY) * this.invCellH);
    if (cy >= this.rows) cy = this.rows - 1;
    const cell = this.cells[cy * this.columns + cx];
    if (cell >= -1) return cell;
    const mixed = -2 - cell;
    const bboxes = this.bboxes, edges = this.edges, edgeStart = this.edgeStart, candidates = this.candidates;
    let onBoundary = -1;
    for (let k = this.candidateStart[mixed], end = this.candidateStart[mixed + 1]; k < end; k++) {
      const g = candidates[k];
      const b = 4 * g;
      if (lon < bboxes[b] || lon > bboxes[b + 2] || lat < bboxes[b + 1] || lat > bboxes[b + 3]) continue;
      const status = edgeStatus(edges, edgeStart[g], edgeStart[g + 1], lon, lat);
      if (status === INSIDE) return g;
      if (status === ON_BOUNDARY && onBoundary < 0) onBoundary = g; // candidates are in code order
    }
    return onBoundary;
  }

  /** Locates many points: a Float64Array of interleaved lon, lat, or an array of [lon, lat]. */
  locateMany(points: Float64Array | readonly (readonly number[])[]): Int32Array {
    if (points instanceof Float64Array) {
      const out = new Int32Array(points.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = this.locate(points[2 * i], points[2 * i + 1]);
      return out;
    }
    const out = new Int32Array(points.length);
    for (let i = 0; i < points.length; i++) out[i] = this.locate(points[i][0], points[i][1]);
    return out;
  }

  /** The code of the grid containing the point, or null. */
  locateCode(lon: number, lat: number): string | null {
    const g = this.locate(lon, lat);
    return g < 0 ? null : this.codes[g];
  }

  codeAt(index: number): string {
    return this.codes[index];
  }

  /** Where the point is relative to one grid, by the same arithmetic `locate` uses. */
  statusOf(index: number, lon: number, lat: number): PointStatus {
    return edgeStatus(this.edges, this.edgeStart[index], this.edgeStart[index + 1], lon, lat);
  }

  /** The same answer as `locate` by testing every grid (bounding box first): the reference and the baseline. */
  locateByScan(lon: number, lat: number): number {
    let onBoundary = -1;
    const bboxes = this.bboxes;
    for (let k = 0; k < this.size; k++) {
      const g = this.byCode[k];
      const b = 4 * g;
      if (lon < bboxes[b] || lon > bboxes[b + 2] || lat < bboxes[b + 1] || lat > bboxes[b + 3]) continue;
      const status = edgeStatus(this.edges, this.edgeStart[g], this.edgeStart[g + 1], lon, lat);
      if (status === INSIDE) return g;
      if (status === ON_BOUNDARY && onBoundary < 0) onBoundary = g;
    }
    return onBoundary;
  }

  /**
   * The same answer using only the R-tree (no raster): the point's bounding-box hits, tested in code
   * order. Used while building the raster, and kept as the plain-index baseline for the benchmark.
   */
  locateByTree(lon: number, lat: number): number {
    if (!this.tree) return -1;
    const hits = this.tree.search(lon, lat, lon, lat);
    return this.bestOf(hits, lon, lat);
  }

  /** Best of some grids for a point, by the documented rule. */
  private bestOf(gridIndices: number[], lon: number, lat: number): number {
    let best = -1, bestStatus = OUTSIDE as number;
    for (const g of gridIndices) {
      const status = edgeStatus(this.edges, this.edgeStart[g], this.edgeStart[g + 1], lon, lat);
      if (status > bestStatus || (status === bestStatus && status !== OUTSIDE && this.codes[g] < this.codes[best])) {
        best = g;
        bestStatus = status;
      }
    }
    return best;
  }

  stats(): GridLocatorStats {
    let pure = 0, empty = 0;
    for (const v of this.cells) {
      if (v >= 0) pure++;
      else if (v === -1) empty++;
    }
    const mixed = this.candidateStart.length - 1;
    return {
      grids: this.size,
      edges: this.edges.length / 4,
      columns: this.columns,
      rows: this.rows,
      pureCells: pure,
      emptyCells: empty,
      mixedCells: mixed,
      meanCandidates: mixed ? this.candidates.length / mixed : 0,
      buildMs: this.buildMs,
    };
  }
}
