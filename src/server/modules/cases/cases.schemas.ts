import { z } from 'zod';
import {
  ACTIONS, ActionRequestInputSchema, HISTORY_ACTIONS, CASE_SOURCES, LIMIT_UNITS, PLATFORM_LEVELS, REQUEST_KINDS, STATES, STEPS,
} from '../../../shared/cases/index.js';
import { intParam } from '../../platform/http.js';

/**
 * Request and response schemas of the cases API. Request bodies use the field names of the shared
 * action input (snake_case: category_code, condition_code …); responses use the API's camelCase.
 */
export const REPORT_ACTIONS = ['report', 'accept', 'self_resolve'] as const;
export const QUEUES = ['to_verify', 'to_accept', 'to_dispatch', 'to_handle', 'to_check', 'to_close', 'approvals'] as const;
export type Queue = (typeof QUEUES)[number];
export const LIGHTS = ['green', 'yellow', 'red'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const phone = z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'digits, spaces, + and - only');

/** What a resident may send: no source, level or filing; those are the platform's to decide. */
export const PublicReportSchema = z.strictObject({
  lon: lon.optional(),
  lat: lat.optional(),
  address: text(200).optional(),
  description: text(2000),
  category_code: z.string().regex(/^\d{5}$/).optional(),
  reporter_name: text(40).optional(),
  reporter_phone: phone.optional(),
});
export type PublicReport = z.infer<typeof PublicReportSchema>;

/** Staff, departments, the hotline and other systems: may also file directly or resolve on the spot. */
export const ReportSchema = PublicReportSchema.extend({
  action: z.enum(REPORT_ACTIONS).default('report'),
  condition_code: z.string().regex(/^\d{5}-\d{2}$/).optional(),
  source: z.enum(CASE_SOURCES).optional(),
  level: z.enum(PLATFORM_LEVELS).optional(),
  comment: text(2000).optional(),
});
export type ReportInput = z.infer<typeof ReportSchema>;

export const ActionBodySchema = ActionRequestInputSchema.extend({ version: z.number().int().positive() }).strict();
export type ActionBody = z.infer<typeof ActionBodySchema>;

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z.string().max(400).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.enum(values)).min(1));
/** Epoch ms, an ISO date-time, or a Beijing date; as the end of a range a date counts whole (up to the next midnight). */
const instant = (end: boolean) => z.union([intParam(z.number().int()), z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'number' ? v : v.length === 10 ? Date.parse(`${v}T00:00:00+08:00`) + (end ? 86_400_000 : 0) : Date.parse(v)));

export const CaseListQuerySchema = z.strictObject({
  queue: z.enum(QUEUES).optional(),
  state: csv(STATES).optional(),
  status: z.enum(['open', 'closed', 'all']).default('all'),
  category: z.string().regex(/^\d{2}(\d{3})?$/).optional(),
  street: z.string().regex(/^\d{9}$/).optional(),
  community: z.string().regex(/^\d{12}$/).optional(),
  grid: z.string().regex(/^\d{15}$/).optional(),
  department: z.string().regex(/^[A-Z]{2,10}$/).optional(),
  source: csv(CASE_SOURCES).optional(),
  light: z.enum(LIGHTS).optional(),
  from: instant(false).optional(),
  to: instant(true).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(['created_at', 'updated_at', 'due_at', 'number']).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: intParam(z.number().int().min(1).max(100_000)).default(1),
  pageSize: intParam(z.number().int().min(1).max(200)).default(20),
});
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;

const limitOut = z.object({ amount: z.number(), unit: z.enum(LIMIT_UNITS) });
const named = z.object({ code: z.string(), name: z.string() });
const holderOut = z.object({ kind: z.enum(['department', 'community']), code: z.string(), name: z.string().nullable() });
const categoryOut = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });

export const CaseSummaryOut = z.object({
  id: z.number(),
  number: z.string(),
  state: z.enum(STATES),
  level: z.enum(PLATFORM_LEVELS),
  source: z.enum(CASE_SOURCES),
  category: categoryOut.nullable(),
  gridCode: z.string(),
  address: z.string().nullable(),
  description: z.string(),
  holder: holderOut.nullable(),
  step: z.enum(STEPS).nullable(),
  dueAt: z.number().nullable(),
  light: z.enum(LIGHTS).nullable(),
  pendingRequest: z.enum(REQUEST_KINDS).nullable(),
  reworkCount: z.number(),
  version: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  allowedActions: z.array(z.enum(ACTIONS)),
});
export type CaseSummary = z.infer<typeof CaseSummaryOut>;

export const TimelineEventOut = z.object({
  seq: z.number(),
  action: z.enum(HISTORY_ACTIONS),
  from: z.string(),
  to: z.enum(STATES),
  at: z.number(),
  actor: z.object({ kind: z.string(), userId: z.number().nullable(), name: z.string().nullable(), level: z.string().nullable(), departmentCode: z.string().nullable() }),
  comment: z.string().nullable(),
  department: z.string().nullable(),
  division: z.string().nullable(),
  requestedDueAt: z.number().nullable(),
  step: z.enum(STEPS).nullable(),
  dueAt: z.number().nullable(),
  withdrawnRequest: z.enum(REQUEST_KINDS).nullable(),
  photos: z.array(z.object({ sha256: z.string(), kind: z.string() })),
});

export const PhotoOut = z.object({ sha256: z.string(), kind: z.string(), eventSeq: z.number(), mime: z.string(), width: z.number(), height: z.number(), size: z.number() });

export const CaseDetailOut = CaseSummaryOut.extend({
  trackingCode: z.string(),
  lon: z.number(),
  lat: z.number(),
  grid: named.nullable(),
  community: named.nullable(),
  street: named.nullable(),
  filing: z.object({ categoryCode: z.string(), categoryVersion: z.number(), conditionCode: z.string(), conditionZh: z.string().nullable(), limit: limitOut }).nullable(),
  stepStartedAt: z.number().nullable(),
  stepLimit: limitOut.nullable(),
  warnAt: z.number().nullable(),
  returnedFrom: holderOut.nullable(),
  selfResolvedBy: z.string().nullable(),
  request: z.object({ kind: z.enum(REQUEST_KINDS), requestedBy: z.string(), requestedAt: z.number(), reason: z.string(), dueAt: z.number().nullable() }).nullable(),
  suspendedAt: z.number().nullable(),
  suspendedFrom: z.enum(STATES).nullable(),
  closedAt: z.number().nullable(),
  mergedInto: z.number().nullable(),
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable(), userId: z.number().nullable(), masked: z.boolean() }),
  timeline: z.array(TimelineEventOut),
  photos: z.array(PhotoOut),
});
export type CaseDetail = z.infer<typeof CaseDetailOut>;

export const ReportResultOut = z.object({
  case: CaseDetailOut,
  /** Open cases of the same category nearby, filled once duplicate detection is registered. */
  duplicates: z.array(z.object({ id: z.number(), number: z.string(), state: z.enum(STATES), distanceM: z.number() })),
});
export type ReportResult = z.infer<typeof ReportResultOut>;

export const PublicCaseOut = z.object({
  trackingCode: z.string(),
  number: z.string(),
  state: z.enum(STATES),
  category: categoryOut.nullable(),
  address: z.string().nullable(),
  description: z.string(),
  createdAt: z.number(),
  closedAt: z.number().nullable(),
  canReopen: z.boolean(),
  version: z.number(),
  timeline: z.array(z.object({ action: z.enum(ACTIONS), to: z.enum(STATES), at: z.number() })),
  photos: z.array(z.object({ sha256: z.string(), kind: z.string() })),
});
export type PublicCase = z.infer<typeof PublicCaseOut>;

export const CaseListOut = z.object({ total: z.number(), page: z.number(), pageSize: z.number(), items: z.array(CaseSummaryOut) });
export const QueueCountsOut = z.object(Object.fromEntries(QUEUES.map((q) => [q, z.number()])) as Record<Queue, z.ZodNumber>);
