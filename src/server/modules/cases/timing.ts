import type { CaseSnapshot, LimitUnit } from '../../../shared/cases/index.js';
import { addWorkingMs, timingLight, workingMsBetween, type TimingLight, type WorkingCalendar } from './clock/index.js';

/**
 * The timing light of a case's current step, and the instant it turns yellow. That instant is
 * stored (cases.warn_at) so lists can filter by light in SQL: yellow once a share of the limit is
 * used (default `YELLOW_SHARE`; an admin setting), measured in the limit's own unit (office time
 * for working units).
 */
export const YELLOW_SHARE = 0.8;

function working(unit: LimitUnit): boolean {
  return unit === 'working_hours' || unit === 'working_days';
}

export function warnAtOf(c: Pick<CaseSnapshot, 'step_started_at' | 'due_at' | 'step_limit'>, cal: WorkingCalendar, share = YELLOW_SHARE): number | null {
  if (c.step_started_at == null || c.due_at == null || !c.step_limit) return null;
  if (!working(c.step_limit.unit)) return c.step_started_at + Math.round(share * (c.due_at - c.step_started_at));
  const total = workingMsBetween(c.step_started_at, c.due_at, cal);
  return addWorkingMs(c.step_started_at, Math.round(share * total), cal).getTime();
}

/** A suspended case's light stands where it was when it was suspended. */
export function lightOf(c: CaseSnapshot, now: number, cal: WorkingCalendar, share = YELLOW_SHARE): TimingLight | null {
  if (c.step_started_at == null || c.due_at == null || !c.step_limit) return null;
  const at = c.state === 'suspended' && c.suspended_at != null ? c.suspended_at : now;
  return timingLight(at, c.step_started_at, c.due_at, c.step_limit.unit, cal, share);
}

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
let lastDay = { start: 0, end: 0, text: '' };

/** Beijing calendar date of an instant as yyyyMMdd, for case numbers (the last day's text is kept). */
export function beijingDay(now: number): string {
  if (now >= lastDay.start && now < lastDay.end) return lastDay.text;
  const start = Math.floor((now + BEIJING_MS) / DAY_MS) * DAY_MS - BEIJING_MS;
  const text = new Date(now + BEIJING_MS).toISOString().slice(0, 10).replaceAll('-', '');
  lastDay = { start, end: start + DAY_MS, text };
  return text;
}
