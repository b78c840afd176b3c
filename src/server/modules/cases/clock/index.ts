/** The cases module's clock: working calendar, due times in each unit, timing light, "now". */
import { DEFAULT_WORKFLOW_SETTINGS, type WorkflowEnv, type WorkflowSettings } from '../../../../shared/cases/index.js';
import type { WorkingCalendar } from './calendar.js';
import { dueTimeRules } from './due.js';

export {
  DEFAULT_OFFICE_HOURS, makeCalendar, isWorkingDay, dayOf, dayKey, startOfDay,
  type WorkingCalendar, type Instant,
} from './calendar.js';
export {
  addLimit, addWorkingMs, workingMsBetween, elapsedInUnit, shareOfLimitUsed, timingLight, shiftForSuspension,
  dueTimeRules, type TimingLight,
} from './due.js';
export { type Clock, systemClock, fixedClock, manualClock, ManualClock, clockFrom } from './clock.js';
export { DEFAULT_CALENDAR_DIR, parseCalendarYear, loadCalendarYears, calendarFromYears, loadWorkingCalendar } from './load.js';

/** What `applyTransition` needs besides the case: due-time rules on this calendar and the settings. */
export function workflowEnv(cal: WorkingCalendar, settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS): WorkflowEnv {
  return { time: dueTimeRules(cal), settings };
}
