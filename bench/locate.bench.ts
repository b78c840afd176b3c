/**
 * Point → grid lookup throughput: the raster-accelerated GridLocator against the plain R-tree
 * (flatbush + ray casting) and a naive scan of every polygon, on synthetic tessellations of 1,809
 * grids (Tongzhou's count) and 100,000 grids, with 1,000,000 random points.
 *
 *   npx tsx bench/locate.bench.ts            (about a minute on 2 cores)
 *   npx tsx bench/locate.bench.ts --quick    (fewer points, for a smoke run)
 *
 * The tessellation is a Voronoi diagram of random sites in a box the size of Tongzhou
 * (116.5–117.0 E, 39.6–40.0 N), so every point in the box is in exactly one grid; the random
 * points cover a box 2% wider on each side, so some answers are "no grid". A third row uses the
 * demo district's 1,809 grids (seed 1): uneven sizes, a ragged boundary, half the box outside.
 */
import { Delaunay } from 'd3-delaunay';
import { generateDemoDistrict } from '../src/server/modules/geo/demo/tessellate.js';
import { GridLocator } from '../src/server/modules/geo/geometry/locate.js';
import type { GridShape } from '../src/server/modules/geo/geometry/types.js';

const BOX = [116.5, 39.6, 117.0, 40.0] as const;
const quick = process.argv.includes('--quick');
const POINTS = quick ? 100_000 : 1_000_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tessellation(n: number, seed: number): GridShape[] {
  const rnd = mulberry32(seed);
  const sites = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    sites[2 * i] = BOX[0] + rnd() * (BOX[2] - BOX[0]);
    sites[2 * i + 1] = BOX[1] + rnd() * (BOX[3] - BOX[1]);
  }
  const voronoi = new Delaunay(sites).voronoi([...BOX]);
  const grids: GridShape[] = [];
  for (let i = 0; i < n; i++) {
    const ring = voronoi.cellPolygon(i);
    if (ring) grids.push({ code: String(110112000000000 + i), polygon: [[ring]] });
  }
  return grids;
}

function randomPoints(count: number, seed: number, box: readonly number[] = BOX): Float64Array {
  const rnd = mulberry32(seed);
  const w = box[2] - box[0], h = box[3] - box[1];
  const out = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    out[2 * i] = box[0] - 0.02 * w + rnd() * 1.04 * w;
    out[2 * i + 1] = box[1] - 0.02 * h + rnd() * 1.04 * h;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Points per second of `fn` over the first `count` points, median of `runs`. */
function rate(points: Float64Array, count: number, runs: number, fn: (x: number, y: number) => number): number {
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) sink += fn(points[2 * i], points[2 * i + 1]);
    times.push(performance.now() - t0);
  }
  if (sink === 0.5) console.log(''); // keeps the loop from being optimised away
  return count / (median(times) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Row {
  label: string;
  grids: number;
  buildMs: number;
  cells: string;
  index: number;
  tree: number;
  scan: number;
  scanPoints: number;
  treePoints: number;
  mismatches: number;
  checked: number;
}

function run(label: string, grids: GridShape[], box: readonly number[] = BOX): Row {
  const n = grids.length;
  const points = randomPoints(POINTS, 7 + n, box);
  const locator = new GridLocator(grids);
  const stats = locator.stats();
  const cellCount = stats.columns * stats.rows;

  locator.locateMany(points.subarray(0, 2 * Math.min(POINTS, 100_000))); // warm-up
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    locator.locateMany(points);
    times.push(performance.now() - t0);
  }
  const index = POINTS / (median(times) / 1000);

  const treePoints = Math.min(POINTS, 200_000);
  const tree = rate(points, treePoints, 1, (x, y) => locator.locateByTree(x, y));

  // the naive scan is too slow for a million points: time a sample and extrapolate
  const scanPoints = Math.max(200, Math.min(POINTS, Math.round(2e8 / n / 20)));
  const scan = rate(points, scanPoints, 1, (x, y) => locator.locateByScan(x, y));

  // agreement: random points, plus every vertex and edge midpoint of a sample of grids
  let mismatches = 0, checked = 0;
  const check = (x: number, y: number) => {
    checked++;
    if (locator.locate(x, y) !== locator.locateByScan(x, y)) mismatches++;
  };
  for (let i = 0; i < scanPoints; i++) check(points[2 * i], points[2 * i + 1]);
  for (let g = 0; g < grids.length; g += Math.ceil(grids.length / 200)) {
    const ring = grids[g].polygon[0][0];
    for (let k = 0; k + 1 < ring.length; k++) {
      check(ring[k][0], ring[k][1]);
      check((ring[k][0] + ring[k + 1][0]) / 2, (ring[k][1] + ring[k + 1][1]) / 2);
    }
  }
  return {
    label,
    grids: n,
    buildMs: stats.buildMs,
    cells: `${fmt(cellCount)} (${((100 * (stats.pureCells + stats.emptyCells)) / cellCount).toFixed(0)}% direct, ${stats.meanCandidates.toFixed(1)} cand.)`,
    index,
    tree,
    scan,
    scanPoints,
    treePoints,
    mismatches,
    checked,
  };
}

const demo = generateDemoDistrict({ seed: 1 });
const rows = [
  run('Voronoi', tessellation(1_809, 20130101 + 1_809)),
  run('Voronoi', tessellation(100_000, 20130101 + 100_000)),
  run('demo Tongzhou', demo.grids, demo.district.bbox),
];
console.log(`\nPoint → grid lookups, ${fmt(POINTS)} random points, one core (Node ${process.versions.node})\n`);
const table = rows.map((r) => ({
  grids: `${fmt(r.grids)} ${r.label}`,
  'build ms': fmt(r.buildMs),
  'raster cells': r.cells,
  'index lookups/s': fmt(r.index),
  'flatbush+ray lookups/s': `${fmt(r.tree)} (${fmt(r.treePoints)} pts)`,
  'naive scan lookups/s': `${fmt(r.scan)} (${fmt(r.scanPoints)} pts, extrapolated)`,
  'index ÷ scan': `${(r.index / r.scan).toFixed(0)}×`,
  'index ÷ flatbush': `${(r.index / r.tree).toFixed(1)}×`,
  'agreement': `${fmt(r.checked - r.mismatches)}/${fmt(r.checked)}`,
}));
console.table(table);
console.log('Raster cells: "direct" cells answer without geometry (inside one grid, or outside all); the');
console.log('others test their candidate grids (mean count shown).');
console.log('The naive scan tests every grid (bounding box first) in code order; its rate is measured on the');
console.log('first points only and stands for the whole run. Agreement compares the index with the scan on');
console.log('those points and on every vertex and edge midpoint of a sample of grids (shared-edge cases).');
if (rows.some((r) => r.mismatches > 0)) {
  console.error('MISMATCH: the index disagrees with the naive scan');
  process.exitCode = 1;
}
