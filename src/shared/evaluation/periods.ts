/**
 * Periods of the evaluation (日、周、月、季、年, or any range of days), counted in Beijing days.
 * A day number is the count of Beijing calendar days since 1970-01-01; a month number is
 * (year − 1970) × 12 + month index. Rollups are kept per day and per month; any range is answered
 * from whole months plus the days at its two ends.
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The Beijing day an instant falls on. */
export function dayOfInstant(at: number): number {
  return Math.floor((at + BEIJING_OFFSET_MS) / DAY_MS);
}

/** 00:00 Beijing time of a day, as epoch ms. */
export function startOfDayNumber(day: number): number {
  return day * DAY_MS - BEIJING_OFFSET_MS;
}

/** 'YYYY-MM-DD' → day number; null when it is not a real date. */
export function dayOfDate(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.floor(ms / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

export function firstDayOfMonth(month: number): number {
  return Math.floor(Date.UTC(1970 + Math.floor(month / 12), month % 12, 1) / DAY_MS);
}

export function lastDayOfMonth(month: number): number {
  return firstDayOfMonth(month + 1) - 1;
}

/** 'YYYY-MM' of a month number. */
export function monthLabel(month: number): string {
  return `${1970 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
}

/** ISO week (Monday first) containing a day: the day number of its Monday. */
export function weekStart(day: number): number {
  // 1970-01-01 was a Thursday: day 0 → weekday 3 (Mon = 0)
  const weekday = (((day + 3) % 7) + 7) % 7;
  return day - weekday;
}

/** An inclusive range of Beijing days. */
export interface DayRange {
  from: number;
  to: number;
  /** The period as asked, when it was cut at today (a period still running): its period before is the one compared with. */
  asked?: { from: number; to: number };
  /**
   * The instant the range ends on its last day, when it ends before that day does: now, for a range
   * that runs up to today (a round due later today is not due yet), and the same time of day for the
   * stretch of the period before compared with it.
   */
  until?: number;
}

/** The largest range a query may cover: enough for a decade of history. */
export const MAX_RANGE_DAYS = 3700;

/**
 * Parses a period: `2013` (year), `2013-Q2` (quarter), `2013-05` (month), `2013-W18` (ISO week),
 * `2013-05-06` (day) or `2013-01-01..2013-03-31` (any range, both ends included).
 */
export function parsePeriod(text: string): DayRange | null {
  const s = text.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) {
    const y = Number(m[1]);
    return { from: dayOfDate(`${y}-01-01`)!, to: dayOfDate(`${y}-12-31`)! };
  }
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(s))) {
    const first = (Number(m[1]) - 1970) * 12 + (Number(m[2]) - 1) * 3;
    return { from: firstDayOfMonth(first), to: lastDayOfMonth(first + 2) };
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    const month = (Number(m[1]) - 1970) * 12 + mo - 1;
    return { from: firstDayOfMonth(month), to: lastDayOfMonth(month) };
  }
  if ((m = /^(\d{4})-W(\d{2})$/i.exec(s))) {
    const y = Number(m[1]);
    const w = Number(m[2]);
    // ISO week 1 holds the year's first Thursday, i.e. January 4th
    const monday1 = weekStart(dayOfDate(`${y}-01-04`)!);
    const from = monday1 + (w - 1) * 7;
    if (w < 1 || w > 53 || weekStart(dayOfDate(`${y + 1}-01-04`)!) <= from) return null;
    return { from, to: from + 6 };
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(s))) {
    const from = dayOfDate(m[1]!);
    const to = m[2] ? dayOfDate(m[2]) : from;
    if (from === null || to === null || to < from || to - from > MAX_RANGE_DAYS) return null;
    return { from, to };
  }
  return null;
}

/**
 * The period a range is compared with (上期): a range that starts on the first of a month moves back
 * by the months it touches, day for day (a month → the month before, a quarter → the quarter before,
 * a year → the year before; the year so far → the same days of the year before), its last day kept
 * at the month's end when it is one; any other range → as many days just before it.
 */
export function previousRange(r: DayRange): DayRange {
  const { from, to, shortened } = daysBefore(r);
  // a range cut at a time of its last day (now): the stretch before is cut at the same time of its
  // own last day, unless its month ended before the stretch did (its whole last day is less already)
  if (r.until === undefined || shortened) return { from, to };
  return { from, to, until: startOfDayNumber(to) + (r.until - startOfDayNumber(r.to)) };
}

/** previousRange's days, and whether its last day is a month's end reached before the stretch's. */
function daysBefore(r: DayRange): { from: number; to: number; shortened: boolean } {
  if (r.asked && (r.asked.from !== r.from || r.asked.to !== r.to)) {
    // a period still running: the period before the one asked (the quarter before, not the months
    // just before the part so far), cut as far into it as the part so far goes into its own
    const whole = previousRange({ from: r.asked.from, to: r.asked.to });
    const stretch = sameStretchFrom(r, whole.from);
    return { from: whole.from, to: Math.min(whole.to, stretch.day), shortened: stretch.shortened || whole.to < stretch.day };
  }
  const first = monthOfDay(r.from);
  if (firstDayOfMonth(first) !== r.from) return { from: r.from - (r.to - r.from + 1), to: r.from - 1, shortened: false };
  const last = monthOfDay(r.to);
  const back = last - first + 1;
  if (r.to === lastDayOfMonth(last)) return { from: firstDayOfMonth(first - back), to: lastDayOfMonth(last - back), shortened: false };
  const stretch = firstDayOfMonth(last - back) + (r.to - firstDayOfMonth(last));
  return { from: firstDayOfMonth(first - back), to: Math.min(stretch, lastDayOfMonth(last - back)), shortened: stretch > lastDayOfMonth(last - back) };
}

/**
 * The last day of a stretch from `start` as long as `r`: as many months and days in when both start
 * on the first of a month (a day the shorter month lacks: its last day, and `shortened`), else as
 * many days.
 */
function sameStretchFrom(r: DayRange, start: number): { day: number; shortened: boolean } {
  const startMonth = monthOfDay(start);
  if (firstDayOfMonth(monthOfDay(r.from)) !== r.from || firstDayOfMonth(startMonth) !== start) return { day: start + (r.to - r.from), shortened: false };
  const m = startMonth + (monthOfDay(r.to) - monthOfDay(r.from));
  const day = firstDayOfMonth(m) + (r.to - firstDayOfMonth(monthOfDay(r.to)));
  return { day: Math.min(day, lastDayOfMonth(m)), shortened: day > lastDayOfMonth(m) };
}

/** The canonical text of a range: 'YYYY-MM-DD..YYYY-MM-DD'. */
export function formatRange(r: DayRange): string {
  return `${dateOfDay(r.from)}..${dateOfDay(r.to)}`;
}

/**
 * Dekads (旬): each month in three, days 1–10, 11–20 and 21 to the end; numbered month × 3 + 0, 1, 2.
 * Rollups keep them so the loose days at the ends of a range cost at most nine or ten day rows each.
 */
export function dekadOfDay(day: number): number {
  const dom = new Date(day * DAY_MS).getUTCDate();
  return monthOfDay(day) * 3 + Math.min(2, Math.floor((dom - 1) / 10));
}

export function firstDayOfDekad(dekad: number): number {
  return firstDayOfMonth(Math.floor(dekad / 3)) + (dekad % 3) * 10;
}

export function lastDayOfDekad(dekad: number): number {
  return dekad % 3 === 2 ? lastDayOfMonth(Math.floor(dekad / 3)) : firstDayOfDekad(dekad) + 9;
}

/** Whole dekads inside a run of days and the loose days around them. */
function splitDays(r: DayRange): { dekads: number[]; days: DayRange[] } {
  const dekads: number[] = [];
  let k = dekadOfDay(r.from);
  if (firstDayOfDekad(k) < r.from) k += 1;
  while (lastDayOfDekad(k) <= r.to) dekads.push(k++);
  if (dekads.length === 0) return { dekads, days: [r] };
  const days: DayRange[] = [];
  const head = firstDayOfDekad(dekads[0]!);
  const tail = lastDayOfDekad(dekads[dekads.length - 1]!);
  if (r.from < head) days.push({ from: r.from, to: head - 1 });
  if (tail < r.to) days.push({ from: tail + 1, to: r.to });
  return { dekads, days };
}

/** Calendar year of a month number. */
export function yearOfMonth(month: number): number {
  return 1970 + Math.floor(month / 12);
}

/**
 * Splits a range into whole years, whole months, whole dekads and the loose days at either end, so
 * a query reads one row per year, at most 22 month rows, 4 dekad rows and 19 day rows per key.
 * Without `years`, whole years are given as their months (for monthly trends).
 */
export interface Decomposition {
  years: number[];
  months: number[];
  dekads: number[];
  days: DayRange[];
}

export function decomposeRange(r: DayRange, opts: { years?: boolean } = {}): Decomposition {
  const all: number[] = [];
  let m = monthOfDay(r.from);
  if (firstDayOfMonth(m) < r.from) m += 1;
  while (lastDayOfMonth(m) <= r.to) all.push(m++);
  if (all.length === 0) return { years: [], months: [], ...splitDays(r) };
  const loose: DayRange[] = [];
  const head = firstDayOfMonth(all[0]!);
  const tail = lastDayOfMonth(all[all.length - 1]!);
  if (r.from < head) loose.push({ from: r.from, to: head - 1 });
  if (tail < r.to) loose.push({ from: tail + 1, to: r.to });
  const parts = loose.map(splitDays);
  const dekads = parts.flatMap((p) => p.dekads);
  const days = parts.flatMap((p) => p.days);
  if (opts.years === false) return { years: [], months: all, dekads, days };
  const byYear = new Map<number, number[]>();
  for (const month of all) byYear.set(yearOfMonth(month), [...(byYear.get(yearOfMonth(month)) ?? []), month]);
  const years = [...byYear.entries()].filter(([, ms]) => ms.length === 12).map(([y]) => y);
  const months = all.filter((month) => !years.includes(yearOfMonth(month)));
  return { years, months, dekads, days };
}

/** Rollup rows one key has in a decomposition: one per year, month and dekad, one per loose day. */
function rowsPerKey(d: Decomposition): number {
  return d.years.length + d.months.length + d.dekads.length + d.days.reduce((n, x) => n + x.to - x.from + 1, 0);
}

/**
 * A range as periods to add and periods to take away, for reads that sum the rows of many keys (every
 * grid, every grid worker): a year cut at one or both ends is either its pieces inside the range, or
 * the whole year less the pieces outside it, whichever reads fewer rows per key. 2025-03-15 … 11-20 is
 * the year 2025 less January–February, March 1–14, November 21–30 and December (ten rows per key
 * instead of sixteen); the year so far is its year less the rest (rows not yet written cost nothing).
 * Counts are whole numbers, so the difference is exact.
 */
export function signedDecomposition(r: DayRange): { plus: Decomposition; minus: Decomposition } {
  const plus: Decomposition = { years: [], months: [], dekads: [], days: [] };
  const minus: Decomposition = { years: [], months: [], dekads: [], days: [] };
  const into = (to: Decomposition, d: Decomposition) => {
    to.years.push(...d.years);
    to.months.push(...d.months);
    to.dekads.push(...d.dekads);
    to.days.push(...d.days);
  };
  for (let y = yearOfMonth(monthOfDay(r.from)); y <= yearOfMonth(monthOfDay(r.to)); y++) {
    const first = firstDayOfMonth((y - 1970) * 12);
    const last = lastDayOfMonth((y - 1970) * 12 + 11);
    const part = { from: Math.max(r.from, first), to: Math.min(r.to, last) };
    const inside = decomposeRange(part);
    const outside = [
      ...(part.from > first ? [decomposeRange({ from: first, to: part.from - 1 })] : []),
      ...(part.to < last ? [decomposeRange({ from: part.to + 1, to: last })] : []),
    ];
    if (outside.length > 0 && 1 + outside.reduce((n, d) => n + rowsPerKey(d), 0) < rowsPerKey(inside)) {
      plus.years.push(y);
      for (const d of outside) into(minus, d);
    } else into(plus, inside);
  }
  return { plus, minus };
}

export type TrendGrain = 'day' | 'week' | 'month';

/** Days for short ranges, weeks up to half a year, months beyond. */
export function trendGrainOf(r: DayRange): TrendGrain {
  const n = r.to - r.from + 1;
  return n <= 62 ? 'day' : n <= 190 ? 'week' : 'month';
}

/** The trend bucket a day falls in, named by its first day. */
export function bucketOfDay(day: number, grain: TrendGrain): number {
  return grain === 'day' ? day : grain === 'week' ? weekStart(day) : firstDayOfMonth(monthOfDay(day));
}

/** Every bucket of the range, in order, clipped to the range for its label. */
export function bucketsOf(r: DayRange, grain: TrendGrain): number[] {
  const out: number[] = [];
  for (let b = bucketOfDay(r.from, grain); b <= r.to; ) {
    out.push(b);
    b = grain === 'day' ? b + 1 : grain === 'week' ? b + 7 : firstDayOfMonth(monthOfDay(b) + 1);
  }
  return out;
}
