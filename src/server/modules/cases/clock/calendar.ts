/**
 * The working calendar in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991, so a fixed
 * offset is exact for every date a case can have). Days are numbered from 1970-01-01 local time;
 * office hours are the same on every working day.
 *
 * For speed, each calendar gets a lazily built prefix count of working days per day number, so
 * "working time between a and b" is a subtraction and "the n-th working day after d" a binary
 * search: no loop over minutes or days per due time.
 */

export type Instant = Date | number;

export interface WorkingCalendar {
  /** Minutes after local midnight, ordered, not overlapping: default 9:00–12:00, 13:30–17:30. */
  readonly officeHours: readonly (readonly [number, number])[];
  /** Days off ('YYYY-MM-DD'), including the weekend days inside a holiday break. */
  readonly holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休). */
  readonly workdays: ReadonlySet<string>;
}

export const DEFAULT_OFFICE_HOURS: readonly (readonly [number, number])[] = [
  [9 * 60, 12 * 60],
  [13 * 60 + 30, 17 * 60 + 30],
];

export const TZ_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Build a calendar. Calendars are immutable: the due-time cache is keyed by the object, so an
 * admin's change makes a new calendar rather than editing the sets in place.
 */
export function makeCalendar(opts: {
  officeHours?: readonly (readonly [number, number])[];
  holidays?: Iterable<string>;
  workdays?: Iterable<string>;
} = {}): WorkingCalendar {
  const officeHours = (opts.officeHours ?? DEFAULT_OFFICE_HOURS).map(([s, e]) => [s, e] as const);
  officeHours.forEach(([s, e], i) => {
    const prevEnd = i > 0 ? officeHours[i - 1]![1] : 0;
    if (!(Number.isInteger(s) && Number.isInteger(e) && s < e && s >= prevEnd && e <= 1440)) {
      throw new RangeError(`office hours must be ordered, non-overlapping minute ranges within a day: ${s}-${e}`);
    }
  });
  if (officeHours.length === 0) throw new RangeError('a calendar needs office hours');
  const holidays = new Set(opts.holidays ?? []);
  const workdays = new Set(opts.workdays ?? []);
  for (const d of [...holidays, ...workdays]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
  }
  return Object.freeze({ officeHours: Object.freeze(officeHours), holidays, workdays });
}

export function toMs(t: Instant): number {
  return typeof t === 'number' ? t : t.getTime();
}

/** Local (Shanghai) day number of an instant. */
export function dayOf(t: Instant): number {
  return Math.floor((toMs(t) + TZ_OFFSET_MS) / DAY_MS);
}

/** The instant local midnight of a day number begins. */
export function startOfDay(day: number): number {
  return day * DAY_MS - TZ_OFFSET_MS;
}

export function msOfDay(t: Instant): number {
  const ms = toMs(t);
  return ms + TZ_OFFSET_MS - dayOf(ms) * DAY_MS;
}

export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayFromKey(key: string): number {
  return Date.parse(`${key}T00:00:00Z`) / DAY_MS;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

interface Index {
  holidays: Set<number>;
  workdays: Set<number>;
  /** Office intervals in ms after midnight. */
  intervals: [number, number][];
  dailyMs: number;
  lastEndMs: number;
  /** cum[d] = working days in [0, d), for 0 ≤ d < cum.length. */
  cum: Int32Array;
}

const indexes = new WeakMap<WorkingCalendar, Index>();
/** Covers 1970 up to 2200 at most; grown a few years at a time, as far as dates ask. */
const MAX_DAY = dayFromKey('2200-12-31');

function indexOf(cal: WorkingCalendar): Index {
  let ix = indexes.get(cal);
  if (!ix) {
    const intervals = cal.officeHours.map(([s, e]) => [s * MINUTE_MS, e * MINUTE_MS] as [number, number]);
    ix = {
      holidays: new Set([...cal.holidays].map(dayFromKey)),
      workdays: new Set([...cal.workdays].map(dayFromKey)),
      intervals,
      dailyMs: intervals.reduce((sum, [s, e]) => sum + e - s, 0),
      lastEndMs: intervals[intervals.length - 1]![1],
      cum: new Int32Array(1),
    };
    indexes.set(cal, ix);
  }
  return ix;
}

function isWorkingDayNumber(ix: Index, day: number): boolean {
  if (ix.workdays.has(day)) return true;
  if (ix.holidays.has(day)) return false;
  const wd = weekday(day);
  return wd !== 0 && wd !== 6;
}

/** Make sure cum[day] exists. */
function cover(ix: Index, day: number): void {
  if (day < 0 || day > MAX_DAY) throw new RangeError(`date outside the calendar's range (1970–2200): day ${day}`);
  if (day < ix.cum.length) return;
  const size = Math.min(MAX_DAY + 2, Math.max(day + 1 + 3 * 366, ix.cum.length * 2));
  const cum = new Int32Array(size);
  cum.set(ix.cum);
  for (let d = ix.cum.length; d < size; d++) cum[d] = cum[d - 1]! + (isWorkingDayNumber(ix, d - 1) ? 1 : 0);
  ix.cum = cum;
}

/** Working days before `day` (from 1970); only differences are meaningful. */
export function workingDaysBefore(cal: WorkingCalendar, day: number): number {
  const ix = indexOf(cal);
  cover(ix, day);
  return ix.cum[day]!;
}

/** The day number whose working-day ordinal is `k` (0 = the first working day since 1970). */
export function workingDayByOrdinal(cal: WorkingCalendar, k: number): number {
  const ix = indexOf(cal);
  // smallest i with cum[i] >= k + 1; that day is i - 1
  for (;;) {
    const { cum } = ix;
    if (cum[cum.length - 1]! >= k + 1) {
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! >= k + 1) hi = mid;
        else lo = mid + 1;
      }
      return lo - 1;
    }
    cover(ix, cum.length);
  }
}

export function isWorkingDay(date: Instant | string, cal: WorkingCalendar): boolean {
  const day = typeof date === 'string' ? dayFromKey(date) : dayOf(date);
  return isWorkingDayNumber(indexOf(cal), day);
}

export interface OfficeDay {
  intervals: readonly (readonly [number, number])[];
  dailyMs: number;
  lastEndMs: number;
}

export function officeDay(cal: WorkingCalendar): OfficeDay {
  const { intervals, dailyMs, lastEndMs } = indexOf(cal);
  return { intervals, dailyMs, lastEndMs };
}
