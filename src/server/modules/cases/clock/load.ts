import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CalendarYearSchema, type CalendarYear } from '../../../../shared/cases/index.js';
import { DEFAULT_OFFICE_HOURS, makeCalendar, type WorkingCalendar } from './calendar.js';

/**
 * Holiday calendars ship as data/calendar/<year>.json (format: CalendarYearSchema, one file per
 * year from the State Council's notice). Years without a file count weekends only.
 */
export const DEFAULT_CALENDAR_DIR = fileURLToPath(new URL('../../../../../data/calendar/', import.meta.url));

export function parseCalendarYear(json: unknown): CalendarYear {
  return CalendarYearSchema.parse(json);
}

export function loadCalendarYears(dir: string = DEFAULT_CALENDAR_DIR): CalendarYear[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
    .map((f) => {
      const year = parseCalendarYear(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (`${year.year}.json` !== f) throw new Error(`${f} holds year ${year.year}`);
      return year;
    });
}

export function calendarFromYears(
  years: readonly CalendarYear[],
  officeHours: readonly (readonly [number, number])[] = DEFAULT_OFFICE_HOURS,
): WorkingCalendar {
  return makeCalendar({
    officeHours,
    holidays: years.flatMap((y) => y.holidays),
    workdays: years.flatMap((y) => y.workdays),
  });
}

/** The shipped calendar with default office hours. */
export function loadWorkingCalendar(
  dir: string = DEFAULT_CALENDAR_DIR,
  officeHours?: readonly (readonly [number, number])[],
): WorkingCalendar {
  return calendarFromYears(loadCalendarYears(dir), officeHours);
}
