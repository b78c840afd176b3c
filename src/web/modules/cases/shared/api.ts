import { api, ApiError, NETWORK_ERROR } from '../../../app/api.js';
import type { CategoryTree } from '../../../../shared/cases/categories.js';
import type { PlatformLevel, TimeLimit } from '../../../../shared/cases/limits.js';
import type { Action, CaseSource, HistoryAction, State, Step } from '../../../../shared/cases/workflow.js';

/**
 * The cases API as the web sees it: the shapes of `src/server/modules/cases/cases.schemas.ts`
 * (responses in camelCase, request fields in the shared action input's snake_case) and one function
 * per call. Shared by the command centre, the department app, the field app and the resident page.
 */

export const QUEUES = ['to_verify', 'to_accept', 'to_dispatch', 'to_handle', 'to_check', 'to_close', 'approvals'] as const;
export type Queue = (typeof QUEUES)[number];
export type QueueCounts = Record<Queue, number>;

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];

export type RequestKind = 'postpone' | 'suspend' | 'cancel';

export interface CategoryRef {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface HolderRef {
  kind: 'department' | 'community';
  code: string;
  name: string | null;
}

export interface CaseSummary {
  id: number;
  number: string;
  state: State;
  level: PlatformLevel;
  source: CaseSource;
  category: CategoryRef | null;
  gridCode: string;
  address: string | null;
  description: string;
  holder: HolderRef | null;
  step: Step | null;
  dueAt: number | null;
  light: Light | null;
  pendingRequest: RequestKind | null;
  reworkCount: number;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** What the reader may do now: the only source of the buttons a page shows. */
  allowedActions: Action[];
  /** Not (yet) in every server build: the list's map places a case at its grid when absent. */
  lon?: number;
  lat?: number;
}

export interface TimelineEvent {
  seq: number;
  action: HistoryAction;
  from: string;
  to: State;
  at: number;
  actor: { kind: string; userId: number | null; name: string | null; level: string | null; departmentCode: string | null };
  comment: string | null;
  department: string | null;
  division: string | null;
  requestedDueAt: number | null;
  step: Step | null;
  dueAt: number | null;
  withdrawnRequest: RequestKind | null;
  photos: { sha256: string; kind: string }[];
}

export type PhotoKind = 'report' | 'before' | 'after' | 'feedback' | 'check';

export interface CasePhoto {
  sha256: string;
  kind: PhotoKind | string;
  eventSeq: number;
  mime: string;
  width: number;
  height: number;
  size: number;
}

export interface Named {
  code: string;
  name: string;
}

export interface CaseDetail extends CaseSummary {
  trackingCode: string;
  lon: number;
  lat: number;
  grid: Named | null;
  community: Named | null;
  street: Named | null;
  filing: { categoryCode: string; categoryVersion: number; conditionCode: string; conditionZh: string | null; limit: TimeLimit } | null;
  stepStartedAt: number | null;
  stepLimit: TimeLimit | null;
  warnAt: number | null;
  returnedFrom: HolderRef | null;
  selfResolvedBy: string | null;
  request: { kind: RequestKind; requestedBy: string; requestedAt: number; reason: string; dueAt: number | null } | null;
  suspendedAt: number | null;
  suspendedFrom: State | null;
  closedAt: number | null;
  mergedInto: number | null;
  reporter: { name: string | null; phone: string | null; userId: number | null; masked: boolean };
  timeline: TimelineEvent[];
  photos: CasePhoto[];
}

export interface CaseList {
  total: number;
  page: number;
  pageSize: number;
  items: CaseSummary[];
}

/** Query of `GET /api/cases`; lists (state, source) are comma-separated on the wire. */
export interface CaseListQuery {
  queue?: Queue;
  state?: State[];
  status?: 'open' | 'closed' | 'all';
  category?: string;
  street?: string;
  community?: string;
  grid?: string;
  department?: string;
  source?: CaseSource[];
  light?: Light;
  /** Beijing dates (yyyy-mm-dd), both ends included. */
  from?: string;
  to?: string;
  q?: string;
  sort?: 'created_at' | 'updated_at' | 'due_at' | 'number';
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

export function toWire(q: CaseListQuery): Record<string, string | number | undefined> {
  return {
    ...q,
    state: q.state?.length ? q.state.join(',') : undefined,
    source: q.source?.length ? q.source.join(',') : undefined,
  };
}

export function listCases(q: CaseListQuery, signal?: AbortSignal): Promise<CaseList> {
  return api.get<CaseList>('/api/cases', toWire(q), signal);
}

export function fetchQueueCounts(signal?: AbortSignal): Promise<QueueCounts> {
  return api.get<QueueCounts>('/api/cases/queues', undefined, signal);
}

export function fetchCase(id: number | string, signal?: AbortSignal): Promise<CaseDetail> {
  return api.get<CaseDetail>(`/api/cases/${encodeURIComponent(String(id))}`, undefined, signal);
}

export interface DispatchSuggestion {
  /** Dispatch (派遣) to this department; null when the case should go to a platform level first. */
  departmentCode: string | null;
  /** Assign (交办) to this platform level first. */
  level: PlatformLevel | null;
  /** The category's responsible department, for when the locality cannot solve it. */
  ownerDepartmentCode: string | null;
  auto: boolean;
  ruleId: number | null;
  source: 'rule' | 'category';
}

/** The rule's answer and the action that carries it out from the case's level, ready for the form. */
export interface DispatchAdvice {
  suggestion: DispatchSuggestion | null;
  step: { action: 'dispatch' | 'assign'; input: { department?: string; level?: PlatformLevel; division?: string } } | null;
}

export function fetchDispatchAdvice(id: number, signal?: AbortSignal): Promise<DispatchAdvice> {
  return api.get<DispatchAdvice>(`/api/cases/${id}/dispatch-suggestion`, undefined, signal);
}

export interface DuplicateCandidate {
  id: number;
  number: string;
  state: State;
  gridCode: string;
  address: string | null;
  description: string;
  createdAt: number;
  distanceM: number;
}

export interface DuplicateAnswer {
  radiusM: number;
  windowH: number;
  items: DuplicateCandidate[];
}

/** Open cases of a category near a point (before a report is sent). */
export function fetchDuplicates(p: { category: string; lon: number; lat: number }, signal?: AbortSignal): Promise<DuplicateAnswer> {
  return api.get<DuplicateAnswer>('/api/cases/duplicates', p, signal);
}

/** Open cases that may report the same problem as this one (to merge). */
export function fetchCaseDuplicates(id: number, signal?: AbortSignal): Promise<DuplicateAnswer> {
  return api.get<DuplicateAnswer>(`/api/cases/${id}/duplicates`, undefined, signal);
}

let categoriesCache: Promise<CategoryTree> | null = null;

/** The current category tree with filing conditions and their limits; read once per page load. */
export function fetchCategories(): Promise<CategoryTree> {
  categoriesCache ??= api.get<CategoryTree>('/api/categories').catch((err: unknown) => {
    categoriesCache = null;
    throw err;
  });
  return categoriesCache;
}

export interface Department {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  areaCode: string;
}

export async function fetchDepartments(signal?: AbortSignal): Promise<Department[]> {
  return (await api.get<{ items: Department[] }>('/api/departments', undefined, signal)).items;
}

/** The photo itself and its small webp thumbnail (both checked against the reader's scope). */
export const fileUrl = (sha256: string) => `/api/files/${sha256}`;
export const thumbUrl = (sha256: string) => `/api/files/${sha256}/thumb`;

/** The fields an action may carry (see the TRANSITIONS table's `requires`), as the API names them. */
export interface ActionFields {
  reason?: string;
  comment?: string;
  department?: string;
  division?: string;
  level?: PlatformLevel;
  condition_code?: string;
  category_code?: string;
  due_at?: number;
  original_case_id?: string;
  photos?: File[];
  photos_before?: File[];
  photos_after?: File[];
}

let csrfCache: string | null = null;

/**
 * The session's CSRF token for the requests `api` cannot send (multipart). The shell keeps its copy
 * private, so ask the session endpoint once; the token lives as long as the session.
 */
async function csrfToken(refresh = false): Promise<string> {
  if (!csrfCache || refresh) csrfCache = (await api.get<{ csrfToken: string }>('/api/auth/me')).csrfToken;
  return csrfCache;
}

async function postForm<T>(path: string, form: FormData, headers: Record<string, string>, retried = false): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': await csrfToken(), ...headers },
    });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : 'network error');
  }
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (res.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  if (error?.code === 'csrf_failed' && !retried) {
    await csrfToken(true);
    return postForm<T>(path, form, headers, true);
  }
  throw new ApiError(res.status, error?.code ?? (res.status >= 500 ? 'internal' : NETWORK_ERROR), error?.message ?? res.statusText, error?.details ?? null, res.headers.get('x-request-id'));
}

const PHOTO_FIELDS = ['photos', 'photos_before', 'photos_after'] as const;

/**
 * `POST /api/cases/:id/actions/:action` with the case version the reader saw. Photos go as
 * multipart parts; without photos (and without a key) the body is JSON. With an Idempotency-Key a
 * resent action is taken once. Answers the case as it is after the action; a 409 `stale_version`
 * carries the current case instead.
 */
export function actOnCase(id: number, action: Action, version: number, fields: ActionFields, idempotencyKey?: string): Promise<CaseDetail> {
  const path = `/api/cases/${id}/actions/${action}`;
  const hasPhotos = PHOTO_FIELDS.some((f) => (fields[f]?.length ?? 0) > 0);
  const plain = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== undefined && v !== '' && !(PHOTO_FIELDS as readonly string[]).includes(k)));
  if (!hasPhotos && !idempotencyKey) return api.post<CaseDetail>(path, { ...plain, version });
  const form = new FormData();
  form.set('version', String(version));
  for (const [k, v] of Object.entries(plain)) form.set(k, String(v));
  for (const f of PHOTO_FIELDS) for (const file of fields[f] ?? []) form.append(f, file, file.name);
  return postForm<CaseDetail>(path, form, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
}

export interface ReportFields {
  lon?: number;
  lat?: number;
  address?: string;
  description: string;
  category_code?: string;
  condition_code?: string;
  source?: CaseSource;
  level?: PlatformLevel;
  comment?: string;
  action?: 'report' | 'accept' | 'self_resolve';
  photos?: File[];
  photos_before?: File[];
  photos_after?: File[];
}

export interface ReportResult {
  case: CaseDetail;
  /** Open cases of the same category nearby (id, number, state, distance). */
  duplicates: Pick<DuplicateCandidate, 'id' | 'number' | 'state' | 'distanceM'>[];
}

/** `POST /api/cases` as multipart, under an Idempotency-Key so a retried report never makes two cases. */
export function reportCase(fields: ReportFields, idempotencyKey: string): Promise<ReportResult> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || (PHOTO_FIELDS as readonly string[]).includes(k)) continue;
    form.set(k, String(v));
  }
  for (const f of PHOTO_FIELDS) for (const file of fields[f] ?? []) form.append(f, file, file.name);
  return postForm<ReportResult>('/api/cases', form, { 'idempotency-key': idempotencyKey });
}

/** The case the server holds now, from a 409 `stale_version` answer (null for any other error). */
export function staleCurrent(err: unknown): { version: number; state: State | null; current: CaseSummary | null } | null {
  if (!(err instanceof ApiError) || err.code !== 'stale_version') return null;
  const d = err.details as { version?: number; state?: State; current?: CaseSummary } | null;
  if (!d || typeof d.version !== 'number') return null;
  return { version: d.version, state: d.state ?? d.current?.state ?? null, current: d.current ?? null };
}
