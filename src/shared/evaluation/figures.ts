import { indicatorsFor, INDICATORS, type SubjectKind } from './indicators.js';
import type { Measures } from './measures.js';
import { gradeOf, rateOf, scoreModelOf, scoreOf, type EvaluationWeights, type Grade } from './scores.js';

/** Every indicator's value for one subject: counts, rates (0–1), hours, the score and the grade. */
export interface Figures {
  values: Record<string, number | null>;
  score: number | null;
  grade: Grade | null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function figuresOf(m: Measures, p90Hours: number | null, subject: SubjectKind, weights: EvaluationWeights): Figures {
  const values: Record<string, number | null> = {};
  const rates: Record<string, number | null> = {};
  for (const def of INDICATORS) if (def.type === 'rate') rates[def.key] = rateOf(def.key, m);
  for (const def of indicatorsFor(subject)) {
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
