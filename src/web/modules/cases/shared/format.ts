import type { TFunction } from 'i18next';

/** Times and durations of the case loop, as a dispatcher reads them: short, in Beijing time. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TIME_ZONE = 'Asia/Shanghai';

/** The two most significant of days, hours and minutes ("1天3小时", "3 h 20 min"). */
export function formatDuration(ms: number, t: TFunction): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t('cases.shared.units.lessThanMinute');
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  const parts: string[] = [];
  if (d) parts.push(t('cases.shared.units.d', { n: d }));
  if (h && parts.length < 2) parts.push(t('cases.shared.units.h', { n: h }));
  if (m && parts.length < 2 && !d) parts.push(t('cases.shared.units.m', { n: m }));
  return parts.join(t('cases.shared.units.sep'));
}

const FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function parts(ms: number) {
  const all = FORMAT.formatToParts(new Date(ms));
  const get = (type: string) => all.find((p) => p.type === type)?.value ?? '';
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

/** "11-29 14:30" this year, "2025-11-29 14:30" otherwise; the same digits in both languages, in Beijing time. */
export function formatTime(ms: number, now = Date.now()): string {
  const p = parts(ms);
  const sameYear = parts(now).y === p.y;
  return `${sameYear ? '' : `${p.y}-`}${p.mo}-${p.d} ${p.h}:${p.mi}`;
}

/** Full date and time for titles and tooltips. */
export function formatFullTime(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}`;
}

/** "剩余 3小时20分" or "超时 1天2小时": calendar time to the due instant (the light itself comes from the server). */
export function dueText(dueAt: number | null, now: number, t: TFunction): { text: string; overdue: boolean } | null {
  if (dueAt === null) return null;
  const ms = dueAt - now;
  const duration = formatDuration(ms, t);
  return ms < 0 ? { text: t('cases.shared.due.overdue', { duration }), overdue: true } : { text: t('cases.shared.due.left', { duration }), overdue: false };
}

/** An ISO date (yyyy-mm-dd) of an instant in Beijing, for date filters. */
export function beijingDate(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${p.mo}-${p.d}`;
}
