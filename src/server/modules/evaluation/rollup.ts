import {
  ACTOR_KINDS, ACTOR_MEASURE_KEYS, DEPARTMENT_KINDS, MEASURE_KEYS, measuresOfMark, type MarkKind,
} from '../../../shared/evaluation/measures.js';
import { dayOfInstant, dekadOfDay, monthOfDay, yearOfMonth } from '../../../shared/evaluation/periods.js';
import type { Mark } from './marks.js';

/**
 * Where a mark is counted, and the accumulated change to the rollup rows. Rows exist per grain
 * ('d' day number, 't' dekad 旬, 'm' month number, 'y' calendar year) and per area of every level the mark's
 * grid lies in (district 6, street 9, community 12, grid 15 digits); for the district and its
 * streets also per category class, source and department; per person; and handling-time
 * histograms down to the community. A community's and a grid's breakdowns, and a grid's
 * histogram, are kept per month only (SMALL_AREA_GRAIN): a range reads its whole months from them
 * and counts the days outside whole months from the marks (stats.query.ts), so a small area costs
 * a few rows more per mark, not four grains' worth.
 */
export const BREAKDOWN_MIN_LEVEL = 20;
export const HISTOGRAM_MIN_LEVEL = 10;
export const GRAINS = ['d', 't', 'm', 'y'] as const;
export type Grain = (typeof GRAINS)[number];
export const SMALL_AREA_GRAIN: Grain = 'm';

const LEVEL_OF_LENGTH: Record<number, number> = { 6: 30, 9: 20, 12: 10, 15: 0 };
export function levelOfCode(code: string): number {
  return LEVEL_OF_LENGTH[code.length] ?? -1;
}

/** How long the codes of a level's areas are (levelOfCode the other way round). */
export function codeLengthOfLevel(level: number): number {
  return Number(Object.entries(LEVEL_OF_LENGTH).find(([, l]) => l === level)?.[0] ?? -1);
}

/** The areas a grid lies in, from the district down to the grid itself. */
export function areasOfGrid(grid: string): string[] {
  return [6, 9, 12, 15].filter((n) => n <= grid.length).map((n) => grid.slice(0, n));
}

/** Geometric buckets 10% wide over minutes: bucket 0 is under a minute, bucket b ≥ 1 is [1.1^(b−1), 1.1^b) minutes. */
export const BUCKET_BASE = 1.1;
export function bucketOfMs(ms: number): number {
  const minutes = ms / 60_000;
  return minutes < 1 ? 0 : 1 + Math.floor(Math.log(minutes) / Math.log(BUCKET_BASE) + 1e-9);
}
export function bucketUpperMs(bucket: number): number {
  return Math.pow(BUCKET_BASE, bucket) * 60_000;
}

export interface StatsRow {
  area: string;
  level: number;
  dim: string;
  key: string;
  grain: Grain;
  period: number;
  /** Per MEASURE_KEYS. */
  v: number[];
}

export interface ActorRow {
  actor: string;
  grain: Grain;
  period: number;
  /** Per ACTOR_MEASURE_KEYS. */
  v: number[];
}

export interface DurationRow {
  area: string;
  level: number;
  dim: string;
  key: string;
  grain: Grain;
  period: number;
  bucket: number;
  n: number;
}

const DEPT_KINDS = new Set<MarkKind>(DEPARTMENT_KINDS);
const PERSON_KINDS = new Set<MarkKind>(ACTOR_KINDS);
const ACTOR_INDEX = new Map(ACTOR_MEASURE_KEYS.map((k, i) => [MEASURE_KEYS.indexOf(k), i]));

/** Changes to rollup rows, accumulated in memory and written in one go (see stats.repo.ts). */
export class RollupDelta {
  readonly stats = new Map<string, StatsRow>();
  readonly actors = new Map<string, ActorRow>();
  readonly durations = new Map<string, DurationRow>();
  /** Marks counted in or out so far. */
  marks = 0;

  get size(): number {
    return this.stats.size + this.actors.size + this.durations.size;
  }

  /** Counts a mark in (sign 1) or out (sign −1). */
  add(m: Mark, sign: 1 | -1): void {
    this.marks += 1;
    const measures = measuresOfMark(m.kind, m.flags);
    if (measures.length === 0) return;
    const day = dayOfInstant(m.at);
    const month = monthOfDay(day);
    const periods: [Grain, number][] = [['d', day], ['t', dekadOfDay(day)], ['m', month], ['y', yearOfMonth(month)]];
    const areas = areasOfGrid(m.grid);
    const dims: [string, string][] = [['class', m.cls], ['source', m.source]];
    if (m.dept && DEPT_KINDS.has(m.kind)) dims.push(['dept', m.dept]);
    const bucket = m.kind === 'handled' ? bucketOfMs(m.value) : -1;

    for (const [grain, period] of periods) {
      for (const area of areas) {
        const level = levelOfCode(area);
        this.bump(area, level, '', '', grain, period, measures, m.value, sign);
        const small = level < BREAKDOWN_MIN_LEVEL;
        if (bucket >= 0 && (level >= HISTOGRAM_MIN_LEVEL || grain === SMALL_AREA_GRAIN)) this.bumpDuration(area, level, '', '', grain, period, bucket, sign);
        // a community's and a grid's breakdowns per month only; the days outside whole months are counted from their marks
        if (small && grain !== SMALL_AREA_GRAIN) continue;
        for (const [dim, key] of dims) this.bump(area, level, dim, key, grain, period, measures, m.value, sign);
        if (bucket >= 0 && m.dept && !small) this.bumpDuration(area, level, 'dept', m.dept, grain, period, bucket, sign);
      }
      if (m.actor && PERSON_KINDS.has(m.kind)) {
        const k = `${m.actor}|${grain}|${period}`;
        let row = this.actors.get(k);
        if (!row) this.actors.set(k, (row = { actor: m.actor, grain, period, v: new Array(ACTOR_MEASURE_KEYS.length).fill(0) }));
        for (const { index, sum } of measures) {
          const ai = ACTOR_INDEX.get(index);
          if (ai !== undefined) row.v[ai]! += sign * (sum ? m.value : 1);
        }
      }
    }
  }

  private bump(area: string, level: number, dim: string, key: string, grain: Grain, period: number, measures: { index: number; sum: boolean }[], value: number, sign: number) {
    const k = `${area}|${dim}|${key}|${grain}|${period}`;
    let row = this.stats.get(k);
    if (!row) this.stats.set(k, (row = { area, level, dim, key, grain, period, v: new Array(MEASURE_KEYS.length).fill(0) }));
    for (const { index, sum } of measures) row.v[index]! += sign * (sum ? value : 1);
  }

  private bumpDuration(area: string, level: number, dim: string, key: string, grain: Grain, period: number, bucket: number, sign: number) {
    const k = `${area}|${dim}|${key}|${grain}|${period}|${bucket}`;
    const row = this.durations.get(k);
    if (row) row.n += sign;
    else this.durations.set(k, { area, level, dim, key, grain, period, bucket, n: sign });
  }

  /** Rows whose change is zero in every column are dropped: nothing to write. */
  compact(): void {
    for (const [k, r] of this.stats) if (r.v.every((x) => x === 0)) this.stats.delete(k);
    for (const [k, r] of this.actors) if (r.v.every((x) => x === 0)) this.actors.delete(k);
    for (const [k, r] of this.durations) if (r.n === 0) this.durations.delete(k);
  }
}
