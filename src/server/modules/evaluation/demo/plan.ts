import type { CaseSource, CategoryTree, FilingCondition, SubCategory } from '../../../../shared/cases/index.js';
import type { Random } from '../../geo/demo/prng.js';

/**
 * The plan of a demo year: how many problems are reported, when, where, from which source, of
 * which category, and what becomes of each. The counts are fixed up front (Tongzhou 2013: 28,172
 * reported, 27,699 closed within the year); everything else is drawn from a seeded generator so a
 * seed always builds the same year. The lives themselves are simulated through the workflow
 * (simulate.ts); nothing here is a count written by hand.
 */
export const TONGZHOU_2013 = { year: 2013, reported: 28_172, closed: 27_699 } as const;

/** The size asked for (`onegrid demo --cases`, else ONEGRID_DEMO_CASES): full, quick (one twentieth; the default under the test runner), off, or a number of reports. */
export function demoYearTargets(setting?: string): YearTargets | null {
  const mode = setting ?? process.env.ONEGRID_DEMO_CASES ?? (process.env.VITEST ? 'quick' : 'full');
  if (mode === 'off') return null;
  const scale = mode === 'full' ? 1 : mode === 'quick' ? 0.05 : Number(mode) / TONGZHOU_2013.reported;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`${setting !== undefined ? '--cases' : 'ONEGRID_DEMO_CASES'} must be full, quick, off or a number of reports, not ${mode}`);
  const reported = Math.round(TONGZHOU_2013.reported * scale);
  return { year: TONGZHOU_2013.year, reported, closed: Math.round(reported * (TONGZHOU_2013.closed / TONGZHOU_2013.reported)) };
}

export type Fate = 'close' | 'close_next_year' | 'reject' | 'cancel' | 'suspend';

export interface CasePlan {
  t0: number;
  grid: string;
  source: CaseSource;
  sub: SubCategory;
  condition: FilingCondition;
  fate: Fate;
}

export interface YearTargets {
  year: number;
  reported: number;
  closed: number;
}

/** Sources of Tongzhou's reports: mostly the grid workers' own patrols, then the 12345 hotline. */
const SOURCE_MIX: [CaseSource, number][] = [
  ['grid_worker', 0.62], ['hotline', 0.18], ['resident', 0.08], ['department', 0.05], ['staff', 0.04], ['sensor', 0.03],
];

/** Category classes by share of reports (street order and city appearance lead, as in grid reports). */
const CLASS_MIX: Record<string, number> = {
  '06': 0.2, '09': 0.14, '07': 0.1, '08': 0.06, '01': 0.08, '02': 0.04, '03': 0.06, '04': 0.04, '05': 0.02,
  '10': 0.02, '11': 0.01, '12': 0.06, '13': 0.06, '14': 0.04, '15': 0.04, '16': 0.01, '17': 0.02,
};

/** Draws items by weight: cumulative sums and a binary search, so a draw from 1,809 grids is cheap. */
export function weightedPicker<T>(items: readonly (readonly [T, number])[]): (rand: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of items) cumulative.push((total += w));
  return (rand) => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]![0];
  };
}

export function pickWeighted<T>(rand: Random, items: readonly (readonly [T, number])[]): T {
  return weightedPicker(items)(rand);
}

const BEIJING = 8 * 3_600_000;
const DAY = 86_400_000;

/** A day's weight: working days carry more reports than rest days; summer more than winter; Spring Festival less. */
function dayWeight(day: Date, restDay: boolean): number {
  const doy = Math.floor((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / DAY);
  const season = 1 + 0.3 * Math.sin(((doy - 100) / 365) * 2 * Math.PI);
  return (restDay ? 0.55 : 1) * season;
}

/** Minutes after midnight a report of this source is made: patrols in office hours, the hotline and residents from morning to night. */
function minuteOfDay(rand: Random, source: CaseSource): number {
  if (source === 'grid_worker' || source === 'staff' || source === 'department') return 8 * 60 + 30 + Math.floor(rand() * 9 * 60);
  if (source === 'sensor') return Math.floor(rand() * 24 * 60);
  const peak = rand() < 0.7;
  return peak ? 8 * 60 + Math.floor(rand() * 11 * 60) : 6 * 60 + Math.floor(rand() * 17 * 60);
}

export interface PlanContext {
  tree: CategoryTree;
  grids: readonly string[];
  /** Grid → relative weight (busy town centres, quiet villages). */
  gridWeight: (grid: string) => number;
  restDay: (date: string) => boolean;
}

/**
 * Every report of the year, in time order, with its fate. Rejections, cancellations and cases left
 * suspended are drawn from reports made before mid-December; of the cases that close, the latest
 * reports of the year close only in January, exactly as many as the targets leave open.
 */
export function planYear(rand: Random, ctx: PlanContext, targets: YearTargets): CasePlan[] {
  const n = targets.reported;
  const rejected = Math.round(n * 0.005);
  const cancelled = Math.round(n * 0.0018);
  const suspended = Math.round(n * 0.0015);
  const nextYear = n - rejected - cancelled - suspended - targets.closed;
  if (nextYear < 0) throw new Error('more closed cases than reports allow');

  const days: { start: number; weight: number; date: string }[] = [];
  for (let t = Date.UTC(targets.year, 0, 1); new Date(t).getUTCFullYear() === targets.year; t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.push({ start: t - BEIJING, weight: dayWeight(new Date(t), ctx.restDay(date)), date });
  }
  const pickGrid = weightedPicker(ctx.grids.map((g) => [g, ctx.gridWeight(g)] as const));
  const pickClass = weightedPicker(ctx.tree.classes.filter((c) => CLASS_MIX[c.code] !== undefined).map((c) => [c, CLASS_MIX[c.code]!] as const));
  const pickDay = weightedPicker(days.map((d) => [d, d.weight] as const));
  const pickSource = weightedPicker(SOURCE_MIX);

  const plans: CasePlan[] = [];
  for (let i = 0; i < n; i++) {
    const day = pickDay(rand);
    const source = pickSource(rand);
    const cls = pickClass(rand);
    const sub = cls.subcategories[Math.floor(rand() * cls.subcategories.length)]!;
    const condition = sub.filing_conditions[Math.floor(rand() * sub.filing_conditions.length)]!;
    const t0 = day.start + minuteOfDay(rand, source) * 60_000 + Math.floor(rand() * 60_000);
    plans.push({ t0, grid: pickGrid(rand), source, sub, condition, fate: 'close' });
  }
  plans.sort((a, b) => a.t0 - b.t0);

  // the year's last reports that close are the ones that close in January
  for (let i = plans.length - 1, left = nextYear; left > 0; i--) {
    plans[i]!.fate = 'close_next_year';
    left--;
  }
  const midDecember = Date.UTC(targets.year, 11, 15) - BEIJING;
  const early = plans.filter((p) => p.fate === 'close' && p.t0 < midDecember);
  const take = (count: number, fate: Fate, eligible: (p: CasePlan) => boolean) => {
    const pool = early.filter((p) => p.fate === 'close' && eligible(p));
    for (let k = 0; k < count; k++) {
      const j = Math.floor(rand() * pool.length);
      pool[j]!.fate = fate;
      pool.splice(j, 1);
    }
  };
  // only reports that wait for verification can be found untrue
  take(rejected, 'reject', (p) => p.source === 'hotline' || p.source === 'resident' || p.source === 'sensor');
  take(cancelled, 'cancel', () => true);
  take(suspended, 'suspend', () => true);
  return plans;
}
