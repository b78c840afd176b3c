import { z } from 'zod';
import { PLATFORM_LEVELS } from './limits.js';
import { ACTIONS, CASE_SOURCES } from './workflow.js';

/**
 * Payload schemas shared by the routes and the web forms. The HTTP input names a filing condition
 * by code; the service resolves it against the category tree into the workflow's `filing`
 * (with the limit and the tree version), so clients never send time limits.
 */

const reasonText = z.string().trim().min(1).max(2000);
const attachmentIds = z.array(z.string().min(1).max(100)).max(9);

/** Epoch ms or an ISO date-time with offset, normalised to epoch ms. */
export const InstantSchema = z
  .union([z.number().int(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

export const ActionRequestInputSchema = z.object({
  source: z.enum(CASE_SOURCES).optional(),
  level: z.enum(PLATFORM_LEVELS).optional(),
  category_code: z.string().regex(/^\d{5}$/).optional(),
  condition_code: z.string().regex(/^\d{5}-\d{2}$/).optional(),
  reason: reasonText.optional(),
  comment: reasonText.optional(),
  department: z.string().regex(/^[A-Z]{2,10}$/).optional(),
  division: z.string().regex(/^\d{9}(\d{3})?$/, 'street (9) or community (12) code').optional(),
  photos: attachmentIds.optional(),
  photos_before: attachmentIds.optional(),
  photos_after: attachmentIds.optional(),
  due_at: InstantSchema.optional(),
  original_case_id: z.string().min(1).max(64).optional(),
});
export type ActionRequestInput = z.infer<typeof ActionRequestInputSchema>;

/** One action on an existing case; `version` is the case version the client saw (409 when stale). */
export const CaseActionRequestSchema = z.object({
  action: z.enum(ACTIONS),
  version: z.number().int().nonnegative(),
  input: ActionRequestInputSchema.default({}),
});
export type CaseActionRequest = z.infer<typeof CaseActionRequestSchema>;

const isoDay = z.iso.date();

/** Office hours as minutes after local midnight, e.g. [[540, 720], [810, 1050]] = 9:00–12:00, 13:30–17:30. */
export const OfficeHoursSchema = z
  .array(z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]))
  .min(1)
  .refine((hs) => hs.every(([s, e], i) => s < e && (i === 0 || s >= hs[i - 1]![1])), 'intervals must be ordered and must not overlap');

/**
 * One year of the official holiday calendar, as shipped in data/calendar/<year>.json:
 * `holidays` = every day off of each break (including weekend days inside it);
 * `workdays` = weekend days made working days (调休); `source` = the State Council notice.
 */
export const CalendarYearSchema = z
  .object({
    year: z.number().int().min(1970).max(2200),
    holidays: z.array(isoDay),
    workdays: z.array(isoDay),
    source: z.string().min(1),
    /** The breaks' names (元旦, 春节 …) over their first and last day; the holidays inside one carry its name. */
    breaks: z.array(z.object({ name: z.string().min(1).max(40), from: isoDay, to: isoDay })).optional(),
  })
  .superRefine((y, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    for (const d of [...y.holidays, ...y.workdays]) if (!d.startsWith(`${y.year}-`)) issue(`${d} is not in ${y.year}`);
    for (const b of y.breaks ?? []) {
      if (!b.from.startsWith(`${y.year}-`) || !b.to.startsWith(`${y.year}-`) || b.from > b.to) issue(`the break ${b.name} (${b.from} – ${b.to}) is not a run of days in ${y.year}`);
    }
    for (const d of y.workdays) {
      if (y.holidays.includes(d)) issue(`${d} is both a holiday and a working day`);
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) issue(`${d} is a weekday; only weekend days can be adjusted working days`);
    }
  });
export type CalendarYear = z.infer<typeof CalendarYearSchema>;
