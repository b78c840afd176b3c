import type Flatbush from 'flatbush';
import { INSIDE, type PointStatus } from './edges.js';

export interface RasterInput {
  size: number;
  columns: number;
  rows: number;
  extent: { minX: number; minY: number; width: number; height: number };
  edges: Float64Array;
  edgeStart: Uint32Array;
  byCode: Int32Array;
  tree: Flatbush;
  /** The winning grid among some grids for a point, by the locator's rule. */
  winner: (gridIndices: number[], lon: number, lat: number) => number;
  status: (grid: number, lon: number, lat: number) => PointStatus;
}

/**
 * The locator's raster: for each cell either the one answer valid anywhere in it (no edge comes
 * within a tiny margin) or the grids to test, in code order. Edges are walked column by column
 * to mark the cells they pass; runs of edge-free cells along a row share one answer, computed once
 * at the first cell's centre with the R-tree.
 */
export function buildRaster(input: RasterInput): { cells: Int32Array; candidateStart: Uint32Array; candidates: Int32Array } {
  const { columns, rows, edges, edgeStart, byCode, tree, winner, status } = input;
  const { minX, minY, width, height } = input.extent;
  const cellW = width / columns, cellH = height / rows;
  // far above rounding error in the cell arithmetic, far below any real grid feature
  const margin = 1e-9 * Math.max(width, height);
  const col = (x: number) => Math.min(columns - 1, Math.max(0, Math.floor((x - minX) / cellW)));
  const row = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - minY) / cellH)));

  // 1. every (cell, grid) pair where an edge of the grid comes within `margin` of the cell
  const lastMarked = new Int32Array(columns * rows).fill(-1);
  let pairs = new Int32Array(1 << 16);
  let pairCount = 0;
  const mark = (cell: number, g: number) => {
    if (lastMarked[cell] === g) return;
    lastMarked[cell] = g;
    if (2 * pairCount + 2 > pairs.length) {
      const grown = new Int32Array(pairs.length * 2);
      grown.set(pairs);
      pairs = grown;
    }
    pairs[2 * pairCount] = cell;
    pairs[2 * pairCount + 1] = g;
    pairCount++;
  };
  // grids in code order, so each cell's list comes out in code order from a stable counting sort
  for (const g of byCode) {
    for (let e = edgeStart[g]; e < edgeStart[g + 1]; e += 4) {
      const ax = edges[e], ay = edges[e + 1], bx = edges[e + 2], by = edges[e + 3];
      const x0 = Math.min(ax, bx), x1 = Math.max(ax, bx);
      for (let cx = col(x0 - margin), cxEnd = col(x1 + margin); cx <= cxEnd; cx++) {
        // the part of the edge within this column (widened), then the rows it spans there
        let lo = Math.max(x0, minX + cx * cellW - margin), hi = Math.min(x1, minX + (cx + 1) * cellW + margin);
        if (lo > hi) [lo, hi] = [hi, lo];
        let ylo = ay, yhi = by;
        if (ax !== bx) {
          const yLo = ay + ((lo - ax) * (by - ay)) / (bx - ax), yHi = ay + ((hi - ax) * (by - ay)) / (bx - ax);
          ylo = Math.min(yLo, yHi);
          yhi = Math.max(yLo, yHi);
        }
        for (let cy = row(ylo - margin), cyEnd = row(yhi + margin); cy <= cyEnd; cy++) mark(cy * columns + cx, g);
      }
    }
  }

  const cellCount = columns * rows;
  const listStart = new Uint32Array(cellCount + 1);
  for (let p = 0; p < pairCount; p++) listStart[pairs[2 * p] + 1]++;
  for (let c = 0; c < cellCount; c++) listStart[c + 1] += listStart[c];
  const fill = listStart.slice(0, cellCount);
  const listed = new Int32Array(pairCount);
  for (let p = 0; p < pairCount; p++) listed[fill[pairs[2 * p]]++] = pairs[2 * p + 1];

  // 2. answers for edge-free cells, and final candidate lists for the others
  const cells = new Int32Array(cellCount);
  const candidateStart: number[] = [0];
  let candidates = new Int32Array(Math.max(16, pairCount));
  let candidateCount = 0;
  const push = (g: number) => {
    if (candidateCount === candidates.length) {
      const grown = new Int32Array(candidates.length * 2);
      grown.set(candidates);
      candidates = grown;
    }
    candidates[candidateCount++] = g;
  };
  const rankOf = new Int32Array(input.size);
  byCode.forEach((g, rank) => (rankOf[g] = rank));
  for (let cy = 0; cy < rows; cy++) {
    const centerY = minY + (cy + 0.5) * cellH;
    let previousPure = false;
    for (let cx = 0; cx < columns; cx++) {
      const c = cy * columns + cx;
      const centerX = minX + (cx + 0.5) * cellW;
      const from = listStart[c], to = listStart[c + 1];
      if (from === to) {
        // edge-free neighbours in a row lie in the same face, so they share one answer
        cells[c] = previousPure ? cells[c - 1] : winner(tree.search(centerX, centerY, centerX, centerY), centerX, centerY);
        previousPure = true;
        continue;
      }
      previousPure = false;
      const own = listed.subarray(from, to);
      // a grid with no edge near the cell but containing it (only possible where grids overlap)
      const covering = tree
        .search(centerX, centerY, centerX, centerY)
        .filter((g) => !own.includes(g) && status(g, centerX, centerY) === INSIDE);
      const list = covering.length ? [...own, ...covering].sort((a, b) => rankOf[a] - rankOf[b]) : own;
      for (const g of list) push(g);
      cells[c] = -2 - (candidateStart.length - 1);
      candidateStart.push(candidateCount);
    }
  }
  return { cells, candidateStart: Uint32Array.from(candidateStart), candidates: candidates.slice(0, candidateCount) };
}
