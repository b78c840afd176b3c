import type { Change } from './report.js';

/**
 * The dashboard's headline against the period before (上期): counts and hours change in %, rates in
 * percentage points (as the annual report's 同比). Where a figure has a better direction (a rate up,
 * handling hours, rework and returns down) the change says whether it got better or worse; the number
 * of reports and of closures has none (more reports may mean more eyes, not more problems).
 */
export type Verdict = 'better' | 'worse' | 'same' | 'none';

export interface HeadlineChange extends Pick<Change, 'delta' | 'kind'> {
  before: number | null;
  verdict: Verdict;
}

const RATES = new Set(['completion_rate', 'on_time_closure_rate', 'handle_on_time_rate']);
const LOWER_IS_BETTER = new Set(['avg_handling_hours', 'rework', 'returned']);
const NO_DIRECTION = new Set(['reported', 'closed']);

/** Whether the period before has anything to compare with: a report or a closure in it. */
export function hasFigures(before: Record<string, number | null>): boolean {
  return (before.reported ?? 0) > 0 || (before.closed ?? 0) > 0;
}

/** One headline figure's change; `delta` null when there is no number to compare (a rate without cases, a count from 0). */
export function headlineChange(key: string, now: Record<string, number | null>, before: Record<string, number | null>): HeadlineChange {
  const kind: Change['kind'] = RATES.has(key) ? 'rate' : 'count';
  const a = now[key] ?? null;
  const b = before[key] ?? null;
  let delta: number | null = null;
  if (a !== null && b !== null) delta = kind === 'rate' ? a - b : b > 0 ? (a - b) / b : null;
  // a change that rounds to 0.0 is no change
  const moved = delta === null ? null : Math.round(Math.abs(delta) * 1000) === 0 ? 0 : Math.sign(delta);
  let verdict: Verdict = 'none';
  if (moved === 0) verdict = 'same';
  else if (moved !== null && !NO_DIRECTION.has(key)) verdict = (moved > 0) !== LOWER_IS_BETTER.has(key) ? 'better' : 'worse';
  return { delta, kind, before: b, verdict };
}
