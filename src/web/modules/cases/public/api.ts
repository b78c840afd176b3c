import { ApiError, NETWORK_ERROR } from '../../../app/api.js';
import type { Action, State } from '../../../../shared/cases/workflow.js';

/**
 * The resident's calls: no account, no session, no CSRF token. A report goes as multipart with its
 * photos and an Idempotency-Key made when the form opened, so pressing "submit" again after a lost
 * answer returns the same tracking code instead of a second case.
 */
export interface PublicCase {
  trackingCode: string;
  number: string;
  state: State;
  category: { code: string; nameZh: string; nameEn: string } | null;
  address: string | null;
  description: string;
  createdAt: number;
  closedAt: number | null;
  canReopen: boolean;
  version: number;
  timeline: { action: Action; to: State; at: number }[];
  photos: { sha256: string; kind: string }[];
}

export interface PublicReportFields {
  description: string;
  lon: number;
  lat: number;
  address?: string;
  category_code?: string;
  reporter_name?: string;
  reporter_phone?: string;
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'omit', ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : 'network error');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (res.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const code = error?.code ?? (res.status >= 500 ? 'internal' : res.status === 404 ? 'not_found' : NETWORK_ERROR);
  throw new ApiError(res.status, code, error?.message ?? res.statusText, error?.details ?? null, res.headers.get('x-request-id'));
}

export function submitPublicReport(fields: PublicReportFields, photos: { blob: Blob; name: string }[], idempotencyKey: string): Promise<PublicCase> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.set(k, String(v));
  for (const p of photos) form.append('photos', p.blob, p.name);
  return call<PublicCase>('/api/public/cases', { method: 'POST', body: form, headers: { 'idempotency-key': idempotencyKey } });
}

export function fetchPublicCase(code: string, signal?: AbortSignal): Promise<PublicCase> {
  return call<PublicCase>(`/api/public/cases/${encodeURIComponent(code)}`, { signal });
}

export function reopenPublicCase(code: string, reason: string, version: number): Promise<PublicCase> {
  return call<PublicCase>(`/api/public/cases/${encodeURIComponent(code)}/reopen`, {
    method: 'POST',
    body: JSON.stringify({ reason, version }),
    headers: { 'content-type': 'application/json' },
  });
}

/** The photos of the resident's own case, fetched with its tracking code. */
export const publicThumb = (sha256: string, code: string) => `/api/files/${sha256}/thumb?tracking=${encodeURIComponent(code)}`;

/** Tracking codes this browser has received, so a resident finds them again without writing them down. */
export interface KeptCode {
  code: string;
  at: number;
  summary: string;
}

const KEPT = 'onegrid.resident.codes';

export function keptCodes(): KeptCode[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEPT) ?? '[]') as unknown;
    return Array.isArray(raw) ? (raw as KeptCode[]).filter((k) => typeof k?.code === 'string').slice(0, 20) : [];
  } catch {
    return [];
  }
}

export function keepCode(k: KeptCode): void {
  try {
    localStorage.setItem(KEPT, JSON.stringify([k, ...keptCodes().filter((x) => x.code !== k.code)].slice(0, 20)));
  } catch {
    // the code is still shown on screen to write down
  }
}
