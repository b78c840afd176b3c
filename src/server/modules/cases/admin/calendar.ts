import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { CalendarYearSchema } from '../../../../shared/cases/index.js';
import type { Actor } from '../../../platform/access.js';
import { audit, type AuditContext } from '../../../platform/audit.js';
import { onPostgres, type Executor } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { isWorkingDay, makeCalendar } from '../clock/index.js';
import { replaceCalendarYear } from '../cases.service.js';

/**
 * One year of the working calendar as admins set it: holidays (放假, every day off of each break)
 * and adjusted working days (调休, weekend days worked). Due times already computed keep their
 * value; every step started afterwards counts on the new calendar.
 */
const day = z.object({ date: z.iso.date(), name: z.string().trim().max(40).nullish() });
export const CalendarYearBody = z.strictObject({
  holidays: z.array(day).max(366),
  workdays: z.array(day).max(366),
  /** The `version` the editor read: when the year has changed since, the change is refused (stale_version) instead of undoing another's. */
  baseVersion: z.string().max(64).optional(),
});
export type CalendarYearInput = z.infer<typeof CalendarYearBody>;

export interface CalendarYearView {
  year: number;
  holidays: { date: string; name: string | null }[];
  workdays: { date: string; name: string | null }[];
  /** Working days in the year on this calendar (weekdays − holidays + adjusted working days). */
  workingDays: number;
  /** What the year's days say, in a few characters: changes whenever a day, its kind or its name changes. */
  version: string;
}

/** PostgreSQL advisory lock key: one change of the calendar at a time, so that a stale one is always seen. */
const LOCK_KEY = 7_340_124;

export async function calendarYear(db: Executor, year: number): Promise<CalendarYearView> {
  const rows = await db.selectFrom('calendar_days').select(['date', 'kind', 'name'])
    .where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).orderBy('date').execute();
  const holidays = rows.filter((r) => r.kind === 'holiday').map((r) => ({ date: r.date, name: r.name }));
  const workdays = rows.filter((r) => r.kind === 'workday').map((r) => ({ date: r.date, name: r.name }));
  const cal = makeCalendar({ holidays: holidays.map((d) => d.date), workdays: workdays.map((d) => d.date) });
  let workingDays = 0;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    if (isWorkingDay(new Date(t).toISOString().slice(0, 10), cal)) workingDays++;
  }
  const version = createHash('sha256').update(JSON.stringify(rows.map((r) => [r.date, r.kind, r.name ?? null]))).digest('hex').slice(0, 16);
  return { year, holidays, workdays, workingDays, version };
}

export async function setCalendarYear(db: Executor, ctx: AuditContext & { actor: Actor }, year: number, input: CalendarYearInput): Promise<CalendarYearView> {
  const dates = [...input.holidays, ...input.workdays].map((d) => d.date);
  const twice = dates.filter((d, i) => dates.indexOf(d) !== i);
  const checked = CalendarYearSchema.safeParse({ year, holidays: input.holidays.map((d) => d.date), workdays: input.workdays.map((d) => d.date), source: 'admin' });
  const issues = [
    ...[...new Set(twice)].map((d) => ({ path: d, message: `${d} is listed twice` })),
    ...(checked.success ? [] : checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))),
  ];
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => i.message).join('; '), { issues });
  // SQLite writes one transaction at a time; on PostgreSQL two changes could both read the year before
  // either writes, and the second would undo the first without being told
  if (onPostgres(db)) await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(db);
  const before = await calendarYear(db, year);
  if (input.baseVersion !== undefined && input.baseVersion !== before.version) {
    throw new AppError('stale_version', `The calendar of ${year} was changed by someone else since it was read; reload it.`, { current: before });
  }
  const names = Object.fromEntries([...input.holidays, ...input.workdays].filter((d) => d.name).map((d) => [d.date, d.name!]));
  await replaceCalendarYear(db, year, { holidays: input.holidays.map((d) => d.date), workdays: input.workdays.map((d) => d.date), names }, ctx.now);
  const after = await calendarYear(db, year);
  await audit(db, ctx, {
    action: 'calendar.update', targetType: 'calendar_year', targetId: year,
    detail: {
      before: { holidays: before.holidays.map((d) => d.date), workdays: before.workdays.map((d) => d.date) },
      after: { holidays: after.holidays.map((d) => d.date), workdays: after.workdays.map((d) => d.date) },
    },
  });
  return after;
}
