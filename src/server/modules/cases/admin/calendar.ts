import { z } from 'zod';
import { CalendarYearSchema } from '../../../../shared/cases/index.js';
import type { Actor } from '../../../platform/access.js';
import { audit, type AuditContext } from '../../../platform/audit.js';
import type { Executor } from '../../../platform/db.js';
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
});
export type CalendarYearInput = z.infer<typeof CalendarYearBody>;

export interface CalendarYearView {
  year: number;
  holidays: { date: string; name: string | null }[];
  workdays: { date: string; name: string | null }[];
  /** Working days in the year on this calendar (weekdays − holidays + adjusted working days). */
  workingDays: number;
}

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
  return { year, holidays, workdays, workingDays };
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
  const before = await calendarYear(db, year);
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
