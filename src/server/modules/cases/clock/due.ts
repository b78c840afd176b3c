import type { DueTimeRules, LimitUnit, TimeLimit } from '../../../../shared/cases/index.js';
import {
  DAY_MS, dayOf, isWorkingDay, msOfDay, officeDay, startOfDay, toMs, workingDayByOrdinal, workingDaysBefore,
  type Instant, type WorkingCalendar,
} from './calendar.js';

/**
 * Due times in the four time-limit units. The conventions, chosen to match how district centres
 * count and stated once here:
 *
 * - urgent_hours (紧急工作时): continuous clock; due = start + N hours, nights and holidays included.
 * - working_hours (工作时): only office hours on working days count. A start outside office hours
 *   counts from the next office period. A due time that falls exactly at the end of a period is that
 *   end (17:30), not the start of the next one.
 * - working_days (工作日): due = the end of office hours on the N-th working day after the day of
 *   receipt. A report made on a working day before its office hours end is received that day (and
 *   counts from then); one made after hours or on a day off is received on the next working day.
 *   So Monday 10:00 + 2 → Wednesday 17:30; Monday 18:00 + 2 → Thursday 17:30.
 * - calendar_days (自然日): due = start + N × 24 hours.
 */

const HOUR_MS = 3_600_000;

/** Office time from 1970 to `t`, in ms: differences of this give working time between instants. */
function officeClock(t: number, cal: WorkingCalendar): number {
  const day = dayOf(t);
  const { intervals, dailyMs } = officeDay(cal);
  let today = 0;
  if (isWorkingDay(t, cal)) {
    const m = msOfDay(t);
    for (const [s, e] of intervals) today += Math.max(0, Math.min(m, e) - s);
  }
  return workingDaysBefore(cal, day) * dailyMs + today;
}

/** Working (office) milliseconds from a to b; negative when b is before a. */
export function workingMsBetween(a: Instant, b: Instant, cal: WorkingCalendar): number {
  return officeClock(toMs(b), cal) - officeClock(toMs(a), cal);
}

/** The earliest instant at which `ms` of office time has passed since `start`. */
export function addWorkingMs(start: Instant, ms: number, cal: WorkingCalendar): Date {
  const t0 = toMs(start);
  if (ms <= 0) return new Date(t0);
  const { intervals, dailyMs, lastEndMs } = officeDay(cal);
  const target = officeClock(t0, cal) + ms;
  const q = Math.floor(target / dailyMs);
  let rest = target - q * dailyMs;
  if (rest === 0) return new Date(startOfDay(workingDayByOrdinal(cal, q - 1)) + lastEndMs);
  const day = startOfDay(workingDayByOrdinal(cal, q));
  for (const [s, e] of intervals) {
    if (rest <= e - s) return new Date(day + s + rest);
    rest -= e - s;
  }
  /* c8 ignore next */
  throw new Error('unreachable: rest of a day exceeds its office hours');
}

function endOfNthWorkingDayAfter(start: number, n: number, cal: WorkingCalendar): Date {
  const day = dayOf(start);
  const { lastEndMs } = officeDay(cal);
  const receivedToday = isWorkingDay(start, cal) && msOfDay(start) < lastEndMs;
  const receipt = workingDaysBefore(cal, receivedToday ? day : day + 1);
  return new Date(startOfDay(workingDayByOrdinal(cal, receipt + n)) + lastEndMs);
}

export function addLimit(start: Instant, limit: TimeLimit, cal: WorkingCalendar): Date {
  const t0 = toMs(start);
  const { amount, unit } = limit;
  if (!(amount >= 0) || !Number.isFinite(amount)) throw new RangeError(`bad limit amount: ${amount}`);
  switch (unit) {
    case 'urgent_hours':
      return new Date(t0 + Math.round(amount * HOUR_MS));
    case 'calendar_days':
      return new Date(t0 + Math.round(amount * DAY_MS));
    case 'working_hours':
      return addWorkingMs(t0, Math.round(amount * HOUR_MS), cal);
    case 'working_days':
      if (!Number.isInteger(amount)) throw new RangeError(`working_days limits are whole days: ${amount}`);
      return endOfNthWorkingDayAfter(t0, amount, cal);
  }
}

/**
 * Time that counts against a limit between a and b: office time for the working units, elapsed
 * time for the continuous ones. The timing light compares this with the same measure of the limit.
 */
export function elapsedInUnit(a: Instant, b: Instant, unit: LimitUnit, cal: WorkingCalendar): number {
  return unit === 'working_hours' || unit === 'working_days' ? workingMsBetween(a, b, cal) : toMs(b) - toMs(a);
}

/** Share of the step's limit used by `now` (0 at the start, 1 at the due time, above 1 when overdue). */
export function shareOfLimitUsed(now: Instant, startedAt: Instant, dueAt: Instant, unit: LimitUnit, cal: WorkingCalendar): number {
  const total = elapsedInUnit(startedAt, dueAt, unit, cal);
  const used = elapsedInUnit(startedAt, now, unit, cal);
  if (total <= 0) return toMs(now) > toMs(dueAt) ? Infinity : 0;
  return used / total;
}

export type TimingLight = 'green' | 'yellow' | 'red';

/** Red once past the due time; yellow once `yellowShare` of the limit is used; green before. */
export function timingLight(
  now: Instant,
  startedAt: Instant,
  dueAt: Instant,
  unit: LimitUnit,
  cal: WorkingCalendar,
  yellowShare = 0.8,
): TimingLight {
  if (toMs(now) > toMs(dueAt)) return 'red';
  return shareOfLimitUsed(now, startedAt, dueAt, unit, cal) >= yellowShare ? 'yellow' : 'green';
}

/**
 * The due time after a suspension (挂账) from `suspendedAt` to `resumedAt`: the limit's clock
 * stopped meanwhile, so the due time moves by what the clock would have counted.
 * - urgent_hours, calendar_days: by the elapsed time.
 * - working_hours: by the office time that passed while suspended.
 * - working_days: by the working days after the suspension day up to and including the resume
 *   day, keeping the time of day (a same-day pause moves nothing).
 */
export function shiftForSuspension(
  dueAt: Instant,
  unit: LimitUnit,
  suspendedAt: Instant,
  resumedAt: Instant,
  cal: WorkingCalendar,
): Date {
  const due = toMs(dueAt);
  const from = toMs(suspendedAt);
  const to = toMs(resumedAt);
  if (to <= from) return new Date(due);
  switch (unit) {
    case 'urgent_hours':
    case 'calendar_days':
      return new Date(due + (to - from));
    case 'working_hours':
      return addWorkingMs(due, workingMsBetween(from, to, cal), cal);
    case 'working_days': {
      const n = workingDaysBefore(cal, dayOf(to) + 1) - workingDaysBefore(cal, dayOf(from) + 1);
      if (n <= 0) return new Date(due);
      const dueDay = dayOf(due);
      const day = workingDayByOrdinal(cal, workingDaysBefore(cal, dueDay + 1) - 1 + n);
      return new Date(startOfDay(day) + msOfDay(due));
    }
  }
}

/** The workflow's due-time rules on this calendar (epoch ms in and out). */
export function dueTimeRules(cal: WorkingCalendar): DueTimeRules {
  return {
    addLimit: (start, limit) => addLimit(start, limit, cal).getTime(),
    shiftForSuspension: (due, unit, from, to) => shiftForSuspension(due, unit, from, to, cal).getTime(),
  };
}
