/**
 * 工作日历 on the admin screen: a year's holidays (放假, every day off of each break, weekends inside
 * it included) and adjusted working days (调休上班, weekend days worked), edited day by day before
 * they are sent whole (`PUT /api/admin/calendar/{year}`). Days not marked are working days Monday
 * to Friday and days off at weekends, as on the server (src/server/modules/cases/clock/calendar.ts).
 */

export type DayKind = 'holiday' | 'workday';

export interface MarkedDay {
  kind: DayKind;
  name: string | null;
}

/** The marked days of a year by date (YYYY-MM-DD). */
export type Marks = ReadonlyMap<string, MarkedDay>;

export interface CalendarYear {
  year: number;
  holidays: { date: string; name: string | null }[];
  workdays: { date: string; name: string | null }[];
  workingDays: number;
  /** What the year said when read; sent back with a change, which the server refuses if the year has changed since. */
  version: string;
}

/** A year's days as the server keeps them, by date. */
export function marksOf(y: Pick<CalendarYear, 'holidays' | 'workdays'>): Marks {
  const out = new Map<string, MarkedDay>();
  for (const d of y.holidays) out.set(d.date, { kind: 'holiday', name: d.name });
  for (const d of y.workdays) out.set(d.date, { kind: 'workday', name: d.name });
  return out;
}

/** The body of the PUT: both lists in date order, a name only where there is one. */
export function bodyOf(marks: Marks): { holidays: { date: string; name?: string }[]; workdays: { date: string; name?: string }[] } {
  const list = (kind: DayKind) => [...marks].filter(([, m]) => m.kind === kind).sort(([a], [b]) => a.localeCompare(b))
    .map(([date, m]) => (m.name ? { date, name: m.name } : { date }));
  return { holidays: list('holiday'), workdays: list('workday') };
}

/** Whether two sets of marks say the same (names included). */
export function sameMarks(a: Marks, b: Marks): boolean {
  if (a.size !== b.size) return false;
  for (const [date, m] of a) {
    const other = b.get(date);
    if (!other || other.kind !== m.kind || (other.name ?? null) !== (m.name ?? null)) return false;
  }
  return true;
}

const DAY_MS = 86_400_000;
const dateOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const timeOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** 0 = Monday … 6 = Sunday (weeks start on Monday, as Chinese calendars print them). */
export function weekdayOf(date: string): number {
  return (new Date(timeOf(date)).getUTCDay() + 6) % 7;
}

export const isWeekend = (date: string) => weekdayOf(date) >= 5;

/** Whether a day is worked on these marks. */
export function isWorking(date: string, marks: Marks): boolean {
  const m = marks.get(date);
  if (m) return m.kind === 'workday';
  return !isWeekend(date);
}

/** The days of a year, in order. */
export function daysOfYear(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY_MS) out.push(dateOf(t));
  return out;
}

/** A month as weeks of seven cells, Monday first; null before its first and after its last day. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = Date.UTC(year, month - 1, 1);
  const days: (string | null)[] = Array.from({ length: weekdayOf(dateOf(first)) }, () => null);
  for (let t = first; t < Date.UTC(year, month, 1); t += DAY_MS) days.push(dateOf(t));
  while (days.length % 7) days.push(null);
  return Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7));
}

/** What a day may be marked: a weekday a holiday, a weekend day a holiday (inside a break) or a working day. */
export function choicesOf(date: string): DayKind[] {
  return isWeekend(date) ? ['holiday', 'workday'] : ['holiday'];
}

/**
 * The marks with one day marked `kind` (or unmarked: null). A day marked as the day before or after
 * it is takes that day's name, so a break marked day by day keeps one name.
 */
export function mark(marks: Marks, date: string, kind: DayKind | null): Marks {
  const out = new Map(marks);
  if (kind === null) {
    out.delete(date);
    return out;
  }
  const t = timeOf(date);
  const near = [marks.get(dateOf(t - DAY_MS)), marks.get(dateOf(t + DAY_MS))].find((m) => m?.kind === kind && m.name);
  const kept = marks.get(date);
  out.set(date, { kind, name: kept?.kind === kind ? kept.name : near?.name ?? null });
  return out;
}

/** A break: consecutive holidays, with their name (the first day's that has one). */
export interface Break {
  from: string;
  to: string;
  days: number;
  name: string | null;
}

/** The year's breaks, in order: runs of holidays on consecutive days. */
export function breaksOf(marks: Marks): Break[] {
  const dates = [...marks].filter(([, m]) => m.kind === 'holiday').map(([d]) => d).sort();
  const out: Break[] = [];
  for (const date of dates) {
    const last = out.at(-1);
    if (last && timeOf(date) - timeOf(last.to) === DAY_MS) {
      last.to = date;
      last.days++;
      last.name ??= marks.get(date)!.name;
    } else {
      out.push({ from: date, to: date, days: 1, name: marks.get(date)!.name });
    }
  }
  return out;
}

/** The marks with every day of a break named `name` (none when blank). */
export function nameBreak(marks: Marks, b: Pick<Break, 'from' | 'to'>, name: string): Marks {
  const out = new Map(marks);
  const trimmed = name.trim() || null;
  for (let t = timeOf(b.from); t <= timeOf(b.to); t += DAY_MS) {
    const date = dateOf(t);
    const m = out.get(date);
    if (m) out.set(date, { ...m, name: trimmed });
  }
  return out;
}

/** The year's figures on these marks: working days, holidays, adjusted working days. */
export function countsOf(year: number, marks: Marks): { workingDays: number; holidays: number; workdays: number } {
  let workingDays = 0;
  for (const d of daysOfYear(year)) if (isWorking(d, marks)) workingDays++;
  const kinds = [...marks].filter(([d]) => d.startsWith(`${year}-`)).map(([, m]) => m.kind);
  return { workingDays, holidays: kinds.filter((k) => k === 'holiday').length, workdays: kinds.filter((k) => k === 'workday').length };
}

/** Minutes after midnight of a time written HH:mm (24:00 allowed, as the end of a day), or null. */
export function minutesOf(text: string): number | null {
  const m = /^\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]), min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** HH:mm of minutes after midnight. */
export const clockOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Office hours as written on the screen, as the server takes them (minutes after midnight), or what
 * is wrong with them: a time not written HH:mm, a period that ends before it starts, periods out of
 * order or overlapping, or none at all (the rule of OfficeHoursSchema).
 */
export function officeHoursOf(rows: readonly { from: string; to: string }[]): { hours: [number, number][] } | { problem: 'none' | 'time' | 'order'; row?: number } {
  if (rows.length === 0) return { problem: 'none' };
  const hours: [number, number][] = [];
  for (const [i, r] of rows.entries()) {
    const from = minutesOf(r.from), to = minutesOf(r.to);
    if (from === null || to === null) return { problem: 'time', row: i };
    if (from >= to || (i > 0 && from < hours[i - 1]![1])) return { problem: 'order', row: i };
    hours.push([from, to]);
  }
  return { hours };
}
