import { indicatorsFor, INDICATOR_BY_KEY, SUBJECT_KINDS, type IndicatorDef, type SubjectKind } from './indicators.js';
import type { MeasureKey, Measures } from './measures.js';
import { gradeOf, rateOf, SCORE_COMPONENTS, scoreModelOf, scoreOf, type EvaluationWeights, type Grade } from './scores.js';

/** Every indicator's value for one subject: counts, rates (0–1), hours, the score and the grade. */
export interface Figures {
  values: Record<string, number | null>;
  score: number | null;
  grade: Grade | null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A subject's volume of work (业务量) in a period: what its score is made from. An area's reports, a
 * department's work due, a grid worker's reports, verifications and checks, a dispatcher's
 * dispatches. A ranking puts the busier first among equal scores, and places none below the
 * weights' `rankMinimum`.
 */
export const VOLUME: Record<SubjectKind, readonly MeasureKey[]> = {
  district: ['reported'],
  street: ['reported'],
  community: ['reported'],
  grid: ['reported'],
  department: ['due'],
  worker: ['reported', 'verified', 'checked'],
  dispatcher: ['dispatched'],
};

/**
 * What a subject's figures are made of, worked out once per subject: its indicators, and the rates
 * its indicators and its score use (a ranking computes figures for thousands of people; the other
 * subjects' rates are none of theirs).
 */
const PLANS = new Map<SubjectKind, { shown: IndicatorDef[]; rates: string[]; scored: readonly string[] }>(SUBJECT_KINDS.map((subject) => {
  const shown = indicatorsFor(subject);
  const scored = subject === 'district' ? [] : SCORE_COMPONENTS[scoreModelOf(subject)];
  const rates = [...new Set([...shown.filter((d) => d.type === 'rate').map((d) => d.key), ...scored])].filter((k) => INDICATOR_BY_KEY.get(k)?.type === 'rate');
  return [subject, { shown, rates, scored }];
}));

/**
 * Each ranked row's place (1, 2, …) in rows given in ranking order, ranked rows first as rankings
 * come; a row with too little work for a place (`ranked: false`) has none.
 */
export function placesOf(rows: readonly { id: string; ranked: boolean }[]): Map<string, number> {
  const places = new Map<string, number>();
  for (const r of rows) if (r.ranked) places.set(r.id, places.size + 1);
  return places;
}

/** A subject's volume of work in the period (`VOLUME`). */
export function volumeOf(m: Measures, subject: SubjectKind): number {
  let n = 0;
  for (const k of VOLUME[subject]) n += m[k];
  return n;
}

/** The score alone, as figuresOf gives it: a ranking orders thousands of subjects by it and shows a few. */
export function scoreOfMeasures(m: Measures, subject: SubjectKind, weights: EvaluationWeights): number | null {
  if (subject === 'district') return null;
  const rates: Record<string, number | null> = {};
  for (const key of PLANS.get(subject)!.scored) rates[key] = rateOf(key, m);
  return scoreOf(scoreModelOf(subject), rates, weights);
}

export function figuresOf(m: Measures, p90Hours: number | null, subject: SubjectKind, weights: EvaluationWeights): Figures {
  const plan = PLANS.get(subject)!;
  const values: Record<string, number | null> = {};
  const rates: Record<string, number | null> = {};
  for (const key of plan.rates) rates[key] = rateOf(key, m);
  for (const def of plan.shown) {
    switch (def.type) {
      case 'count':
        values[def.key] = m[def.measure!];
        break;
      case 'rate':
        values[def.key] = rates[def.key] === null ? null : round(rates[def.key]!, 4);
        break;
      case 'hours':
        values[def.key] = def.key === 'p90_handling_hours' ? p90Hours : m.handled > 0 ? round(m.handling_ms / m.handled / 3_600_000, 2) : null;
        break;
      default:
        break;
    }
  }
  const score = subject === 'district' ? null : scoreOf(scoreModelOf(subject), rates, weights);
  return { values, score, grade: gradeOf(score, weights.grades) };
}
