import { figuresOf, scoreOfMeasures, volumeOf, type Figures } from '../../../shared/evaluation/figures.js';
import { AREA_LEVEL, type SubjectKind } from '../../../shared/evaluation/indicators.js';
import { zeroMeasures, type Measures } from '../../../shared/evaluation/measures.js';
import type { DayRange } from '../../../shared/evaluation/periods.js';
import type { EvaluationWeights } from '../../../shared/evaluation/scores.js';
import type { Executor } from '../../platform/db.js';
import { departmentNames, divisionNames, divisionsBelow, personNames } from './names.js';
import type { AreaInfo, EvalScope } from './scope.js';
import { BREAKDOWN_MIN_LEVEL, HISTOGRAM_MIN_LEVEL } from './rollup.js';
import {
  areaBreakdown, areasBelow, areaTotals, durationHistograms, gridHistograms, marksHistograms, peopleTotals, percentileHours, type PersonKind,
} from './stats.query.js';

/**
 * The indicator table (考核表): one row per subject inside an area — its streets, communities or
 * grids, the departments working in it, or its grid workers or dispatchers — with every indicator
 * of that subject, the score and the grade. Rows come sorted by score, best first.
 */
export interface TableRow {
  /** Division code, department code or person id: what `subject=` names in the case lists. */
  id: string;
  name: string;
  /** A department's English name (areas and people have only their own). */
  nameEn?: string;
  /** For people: the name of the grid or division they work in. */
  place: string | null;
  figures: Figures;
  /** False when the subject did too little in the period to take a place (`rankMinimum`): listed after every ranked row. */
  ranked: boolean;
}

/** A row before its figures: its measures, and its handling-time percentile when the table shows it. */
interface Candidate {
  id: string;
  name: string;
  nameEn?: string;
  place: string | null;
  m: Measures;
  p90: number | null;
}

/**
 * Best score first; among equal scores, the busier subject first (`VOLUME`: more reports, more work
 * due). Subjects with less work than `rankMinimum` come after every ranked one, in the same order
 * among themselves: one report handled well scores 100 and would otherwise top a district's ranking. The
 * keys are worked out once per row, and the figures only for the rows kept (a district's ranking of
 * grid workers weighs thousands of people to show ten, in one pass).
 */
function rank(candidates: Candidate[], subject: SubjectKind, w: EvaluationWeights, limit?: number): TableRow[] {
  const keyed = candidates.map((c) => {
    const busy = volumeOf(c.m, subject);
    return { c, id: c.id, ranked: busy >= w.rankMinimum, score: scoreOfMeasures(c.m, subject, w) ?? -1, busy };
  });
  return (limit === undefined ? keyed.sort(byRank) : best(keyed, limit))
    .map(({ c, ranked }) => ({ id: c.id, name: c.name, ...(c.nameEn ? { nameEn: c.nameEn } : {}), place: c.place, figures: figuresOf(c.m, c.p90, subject, w), ranked }));
}

interface Standing {
  id: string;
  ranked: boolean;
  score: number;
  busy: number;
}

const byRank = (a: Standing, b: Standing) =>
  Number(b.ranked) - Number(a.ranked) || b.score - a.score || b.busy - a.busy || a.id.localeCompare(b.id);

/** The first `n` in ranking order: what sorting them all and keeping `n` gives. */
function best<T extends Standing>(xs: readonly T[], n: number): T[] {
  const out: T[] = [];
  if (n <= 0) return out;
  for (const x of xs) {
    if (out.length === n && byRank(x, out[n - 1]!) >= 0) continue;
    let i = out.length;
    while (i > 0 && byRank(x, out[i - 1]!) < 0) i--;
    out.splice(i, 0, x);
    if (out.length > n) out.pop();
  }
  return out;
}

const NO_HISTOGRAMS = Promise.resolve(new Map<string, Map<number, number>>());

async function areaRows(db: Executor, area: AreaInfo, subject: 'street' | 'community' | 'grid', r: DayRange, p90: boolean): Promise<Candidate[]> {
  const level = AREA_LEVEL[subject];
  if (level > AREA_LEVEL[area.subject]) return [];
  const [divisions, totals, hist] = await Promise.all([
    divisionsBelow(db, area.code, level, r),
    areasBelow(db, area.code, level, r),
    !p90 ? NO_HISTOGRAMS : level >= HISTOGRAM_MIN_LEVEL ? durationHistograms(db, r, { below: area.code, level }) : gridHistograms(db, area.code, r),
  ]);
  return divisions.map((d) => ({ id: d.code, name: d.name, place: null, m: totals.get(d.code) ?? zeroMeasures(), p90: percentileHours(hist.get(d.code)) }));
}

async function departmentRows(db: Executor, s: EvalScope, area: AreaInfo, r: DayRange, p90: boolean): Promise<Candidate[]> {
  const small = AREA_LEVEL[area.subject] < BREAKDOWN_MIN_LEVEL;
  const [names, totals, hist] = await Promise.all([
    departmentNames(db),
    areaBreakdown(db, area.code, r, 'dept'),
    !p90 ? NO_HISTOGRAMS : small ? marksHistograms(db, area.code, r, 'dept') : durationHistograms(db, r, { area: area.code, dim: 'dept' }),
  ]);
  const visible = s.scope.divisionPrefixes.length > 0 ? [...names.keys()] : s.departmentCodes;
  return visible.map((code) => ({
    id: code, name: names.get(code)?.name ?? code, nameEn: names.get(code)?.nameEn || undefined, place: null,
    m: totals.get(code) ?? zeroMeasures(), p90: percentileHours(hist.get(code)),
  }));
}

/** A grid worker's missed rate is their grid's (or community's): its share of cases found by others. */
export const FROM_HOME = ['missed', 'accepted'] as const;

async function peopleRows(
  db: Executor, area: AreaInfo, kind: 'worker' | 'dispatcher', r: DayRange, homesRead?: Promise<Map<string, Measures>>,
): Promise<Candidate[]> {
  const homeLevels = kind === 'worker' && !homesRead ? [0, 10].filter((level) => level <= AREA_LEVEL[area.subject]) : [];
  const [people, ...homeMaps] = await Promise.all([
    peopleTotals(db, r, area.code, kind, kind === 'worker' ? FROM_HOME : []),
    ...(homesRead ? [homesRead] : []),
    ...homeLevels.map((level) => areasBelow(db, area.code, level, r, FROM_HOME)),
  ]);
  const homes = new Map<string, Measures>(homeMaps.flatMap((m) => [...m.entries()]));
  return people.map((p) => {
    const m = p.measures;
    const home = p.divisionCode ? homes.get(p.divisionCode) : undefined;
    if (kind === 'worker') for (const k of FROM_HOME) m[k] = home?.[k] ?? 0;
    return { id: p.actorId, name: p.actorId, place: p.divisionCode, m, p90: null };
  });
}

/**
 * `p90: false` leaves out the handling-time percentiles (a ranking that does not show them reads no
 * histograms); `limit` keeps the best rows only; `homes` (grid workers) hands over the figures
 * (missed, accepted) of every grid and community in the area when the caller reads them anyway.
 */
export async function indicatorTable(
  db: Executor, s: EvalScope, subject: SubjectKind, area: AreaInfo, r: DayRange, w: EvaluationWeights,
  opts: { p90?: boolean; limit?: number; homes?: Promise<Map<string, Measures>> } = {},
): Promise<TableRow[]> {
  const p90 = opts.p90 !== false;
  let candidates: Candidate[];
  switch (subject) {
    case 'district': {
      const m = await areaTotals(db, area.code.slice(0, 6), r);
      const hist = await durationHistograms(db, r, { area: area.code.slice(0, 6) });
      candidates = area.subject === 'district' ? [{ id: area.code, name: area.name, place: null, m, p90: percentileHours(hist.get('')) }] : [];
      break;
    }
    case 'street':
    case 'community':
    case 'grid':
      candidates = await areaRows(db, area, subject, r, p90);
      break;
    case 'department':
      candidates = await departmentRows(db, s, area, r, p90);
      break;
    case 'worker':
    case 'dispatcher':
      candidates = await peopleRows(db, area, subject, r, opts.homes);
      break;
  }
  const rows = rank(candidates, subject, w, opts.limit);
  if (subject === 'worker' || subject === 'dispatcher') {
    // people are shown by name (their id when they have none), with the name of the grid or division they work in
    const [names, places] = await Promise.all([
      personNames(db, rows.map((x) => x.id)),
      divisionNames(db, [...new Set(rows.map((x) => x.place).filter((c): c is string => !!c))]),
    ]);
    for (const x of rows) {
      x.name = names.get(x.id) ?? x.id;
      if (x.place) x.place = places.get(x.place) ?? x.place;
    }
  }
  return rows;
}
