import { z } from 'zod';
import { INDICATOR_BY_KEY } from './indicators.js';
import type { Measures } from './measures.js';
import type { SubjectKind } from './indicators.js';

/**
 * Composite scores (综合得分) and grades. DOMAIN.md gives the grid worker's weights (40/20/20/20)
 * and the grade bands; the others are local practice. An admin changes them (evaluation.configure);
 * the defaults below are what a new deployment starts with.
 */
export const SCORE_MODELS = ['area', 'worker', 'dispatcher', 'department'] as const;
export type ScoreModel = (typeof SCORE_MODELS)[number];

export function scoreModelOf(subject: SubjectKind): ScoreModel {
  return subject === 'worker' || subject === 'dispatcher' || subject === 'department' ? subject : 'area';
}

/** The rate indicators each model weighs; a "lower is better" rate enters as 1 − rate. */
export const SCORE_COMPONENTS: Record<ScoreModel, readonly string[]> = {
  area: ['completion_rate', 'on_time_closure_rate', 'handle_on_time_rate', 'rework_rate'],
  worker: ['valid_rate', 'verify_on_time_rate', 'check_on_time_rate', 'missed_rate'],
  dispatcher: ['dispatch_on_time_rate', 'dispatch_accuracy'],
  department: ['dept_closure_rate', 'handle_on_time_rate', 'rework_rate'],
};

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

const weight = z.number().min(0).max(100);
/** The least work for a place in a ranking that a new deployment starts with (`rankMinimum`). */
const DEFAULT_RANK_MINIMUM = 5;
const weightsOf = (model: ScoreModel) =>
  z.strictObject(Object.fromEntries(SCORE_COMPONENTS[model].map((k) => [k, weight])) as Record<string, typeof weight>)
    .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0');

export const EvaluationWeightsSchema = z.strictObject({
  area: weightsOf('area'),
  worker: weightsOf('worker'),
  dispatcher: weightsOf('dispatcher'),
  department: weightsOf('department'),
  /**
   * The least work a subject needs in the period to take a place in a ranking (its volume, `VOLUME`
   * in figures.ts: what its score is made from). One report handled well scores 100;
   * below this a subject is still listed, with its score, after every ranked one. 0 ranks everyone.
   * Weights saved before it existed read as the default.
   */
  rankMinimum: z.number().int().min(0).max(100_000).default(DEFAULT_RANK_MINIMUM),
  /** Lowest score of each grade; E is everything below D. */
  grades: z.strictObject({ A: z.number().min(0).max(100), B: z.number().min(0).max(100), C: z.number().min(0).max(100), D: z.number().min(0).max(100) })
    .refine((g) => g.A > g.B && g.B > g.C && g.C > g.D, 'grade bands must fall from A to D'),
});
export type EvaluationWeights = z.infer<typeof EvaluationWeightsSchema>;

export const DEFAULT_WEIGHTS: EvaluationWeights = {
  area: { completion_rate: 40, on_time_closure_rate: 30, handle_on_time_rate: 15, rework_rate: 15 },
  worker: { valid_rate: 40, verify_on_time_rate: 20, check_on_time_rate: 20, missed_rate: 20 },
  dispatcher: { dispatch_on_time_rate: 50, dispatch_accuracy: 50 },
  department: { dept_closure_rate: 40, handle_on_time_rate: 40, rework_rate: 20 },
  rankMinimum: DEFAULT_RANK_MINIMUM,
  grades: { A: 90, B: 75, C: 60, D: 40 },
};

/** A rate from the counts, or null when its denominator is 0 in the period. */
export function rateOf(key: string, m: Measures): number | null {
  const def = INDICATOR_BY_KEY.get(key);
  if (!def || def.type !== 'rate' || !def.num || !def.den) throw new Error(`${key} is not a rate`);
  const den = m[def.den];
  return den > 0 ? m[def.num] / den : null;
}

/** 0–100, or null when none of the model's rates has a denominator in the period. */
export function scoreOf(model: ScoreModel, rates: Record<string, number | null>, weights: EvaluationWeights): number | null {
  const w = weights[model] as Record<string, number>;
  let total = 0;
  let sum = 0;
  for (const key of SCORE_COMPONENTS[model]) {
    const r = rates[key];
    const wk = w[key] ?? 0;
    if (r === null || r === undefined || wk === 0) continue;
    const clipped = Math.min(1, Math.max(0, r));
    const value = INDICATOR_BY_KEY.get(key)?.better === 'lower' ? 1 - clipped : clipped;
    sum += wk * value;
    total += wk;
  }
  return total === 0 ? null : Math.round((sum / total) * 1000) / 10;
}

export function gradeOf(score: number | null, bands: EvaluationWeights['grades']): Grade | null {
  if (score === null) return null;
  if (score >= bands.A) return 'A';
  if (score >= bands.B) return 'B';
  if (score >= bands.C) return 'C';
  if (score >= bands.D) return 'D';
  return 'E';
}
