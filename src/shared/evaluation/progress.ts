/** A job's progress at a moment: rows done, at a time in milliseconds. */
export interface ProgressSample {
  at: number;
  done: number;
}

/**
 * Milliseconds left for a job (an import's checking or writing) at its rate since `first`, the
 * first sample of its current phase; null until it has run two seconds and moved, when a rate would
 * be a guess. The admin screen and the command line both tell the time left by it.
 */
export function timeLeftMs(first: ProgressSample, now: ProgressSample, total: number): number | null {
  const elapsed = now.at - first.at;
  const moved = now.done - first.done;
  if (elapsed < 2000 || moved <= 0) return null;
  return Math.max(0, ((total - now.done) * elapsed) / moved);
}
