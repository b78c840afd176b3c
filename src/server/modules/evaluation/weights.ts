import { DEFAULT_WEIGHTS, EvaluationWeightsSchema, type EvaluationWeights } from '../../../shared/evaluation/scores.js';
import type { Executor } from '../../platform/db.js';
import { getSetting, setSetting } from '../../platform/settings.js';

/** The weights and grade bands in force (settings row `evaluation.weights`; the defaults until an admin saves some). */
const KEY = 'evaluation.weights';

export async function currentWeights(db: Executor): Promise<EvaluationWeights> {
  const raw = await getSetting(db, KEY);
  if (!raw) return DEFAULT_WEIGHTS;
  const parsed = EvaluationWeightsSchema.safeParse(JSON.parse(raw));
  // a row written by an older version that no longer validates falls back to the defaults
  return parsed.success ? parsed.data : DEFAULT_WEIGHTS;
}

export async function saveWeights(db: Executor, weights: EvaluationWeights, now: number): Promise<void> {
  await setSetting(db, KEY, JSON.stringify(EvaluationWeightsSchema.parse(weights)), now);
}
