import { z } from 'zod';

/**
 * Time-limit units used by filing conditions and workflow steps (CJ/T 315, local practice).
 * The clock module (server) turns a limit and a start time into a due time; the semantics are
 * documented there, the labels live here so the web shows the same words.
 */
export const LIMIT_UNITS = ['urgent_hours', 'working_hours', 'working_days', 'calendar_days'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

export const LIMIT_UNIT_LABELS: Record<LimitUnit, { zh: string; en: string }> = {
  urgent_hours: { zh: '紧急工作时', en: 'urgent hours (continuous)' },
  working_hours: { zh: '工作时', en: 'working hours' },
  working_days: { zh: '工作日', en: 'working days' },
  calendar_days: { zh: '自然日', en: 'calendar days' },
};

export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}

export const TimeLimitSchema = z
  .object({
    amount: z.number().positive().max(1000),
    unit: z.enum(LIMIT_UNITS),
  })
  .refine((l) => l.unit !== 'working_days' || Number.isInteger(l.amount), {
    message: 'working_days limits are whole days',
    path: ['amount'],
  });

/** Platform levels (三级平台) a case is coordinated at, lowest first. */
export const PLATFORM_LEVELS = ['community', 'street', 'district'] as const;
export type PlatformLevel = (typeof PLATFORM_LEVELS)[number];

export const PLATFORM_LEVEL_LABELS: Record<PlatformLevel, { zh: string; en: string }> = {
  community: { zh: '社区工作站', en: 'Community workstation' },
  street: { zh: '街道（乡镇）分中心', en: 'Street sub-centre' },
  district: { zh: '区中心', en: 'District centre' },
};

/** Human text for a limit, e.g. "2 工作日" / "2 working days". */
export function formatLimit(limit: TimeLimit, lang: 'zh' | 'en' = 'zh'): string {
  return `${limit.amount} ${LIMIT_UNIT_LABELS[limit.unit][lang]}`;
}
