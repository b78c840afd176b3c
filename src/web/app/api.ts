/**
 * The one way the web talks to the server: same-origin cookies, the CSRF token on every write, and
 * the one error shape `{"error":{"code","message","details"}}` turned into an `ApiError`.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The code used when the request never got an answer (offline, server down, proxy error page). */
export const NETWORK_ERROR = 'network';

/**
 * What a failed request means (the field app's outbox, the import page's progress, …):
 * - offline: no answer at all; stop, the `online` event or the next timer resumes
 * - retry: the server could not take it now (5xx, 429); try again later with backoff
 * - signin: the session is gone; keep it until the worker signs in again
 * - csrf: the token went stale; fetch a fresh one and try once more
 * - stale: the case changed since the worker saw it (actions only)
 * - refused: the server said no for good (validation, outside the district …); the worker decides
 */
export type FailureKind = 'offline' | 'retry' | 'signin' | 'csrf' | 'stale' | 'refused';

export function classifyFailure(err: unknown): FailureKind {
  if (!(err instanceof ApiError)) return 'offline';
  if (err.code === NETWORK_ERROR || err.status === 0) return 'offline';
  if (err.code === 'unauthenticated' || err.code === 'session_expired') return 'signin';
  if (err.code === 'csrf_failed') return 'csrf';
  if (err.code === 'stale_version') return 'stale';
  if (err.status >= 500 || err.status === 429 || err.code === 'rate_limited' || err.code === 'unavailable') return 'retry';
  return 'refused';
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Codes that mean "this browser no longer has a session". */
const SESSION_GONE = new Set(['unauthenticated', 'session_expired']);

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<(err: ApiError) => void>();

/** The token comes from the `me` and `login` responses; it changes when the session changes. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers that the session is gone, so the shell can send the user to sign-in. */
export function onUnauthenticated(listener: (err: ApiError) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

async function toApiError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('x-request-id');
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // Not our error shape (a proxy's HTML page, an empty body): keep the status, call it by class.
  }
  const error = body?.error;
  if (error && typeof error.code === 'string') {
    // 5xx answers name the log line in details.requestId, for the user to quote to support.
    const detailId = (error.details as { requestId?: unknown } | null)?.requestId;
    const id = typeof detailId === 'string' ? detailId : requestId;
    return new ApiError(res.status, error.code, String(error.message ?? error.code), error.details ?? null, id);
  }
  const code = res.status >= 500 ? 'internal' : res.status === 404 ? 'not_found' : NETWORK_ERROR;
  return new ApiError(res.status, code, res.statusText || code, null, requestId);
}

/**
 * Answers asked for while the page's code still downloads (see app/pages.ts), by address. The page's
 * own request for the same address takes the answer once; an answer nobody took soon is dropped.
 */
const early = new Map<string, { at: number; answer: Promise<unknown>; arrived?: { value: unknown } }>();
const EARLY_FOR_MS = 10_000;

/** Starts a GET now that a page will make when its code has loaded. */
export function requestEarly(path: string, query?: Query): void {
  const url = buildUrl(path, query);
  if (early.has(url)) return;
  const entry: { at: number; answer: Promise<unknown>; arrived?: { value: unknown } } = { at: Date.now(), answer: request(url) };
  entry.answer.then(
    (value) => (entry.arrived = { value }),
    () => undefined, // the page that takes it sees the error
  );
  early.set(url, entry);
}

function takeEarly(url: string): Promise<unknown> | undefined {
  const hit = early.get(url);
  if (!hit) return undefined;
  early.delete(url);
  return Date.now() - hit.at < EARLY_FOR_MS ? hit.answer : undefined;
}

/** An early answer that has already arrived, taken without waiting, so a page's first draw can show it. */
export function takeArrived<T>(path: string, query?: Query): T | undefined {
  const url = buildUrl(path, query);
  const hit = early.get(url);
  if (!hit?.arrived) return undefined;
  return takeEarly(url) ? (hit.arrived.value as T) : undefined;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  if (method === 'GET') {
    const answer = takeEarly(buildUrl(path, options.query));
    if (answer) return answer as Promise<T>;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : 'network error');
  }

  if (!res.ok) {
    const err = await toApiError(res);
    if (SESSION_GONE.has(err.code)) for (const listener of unauthenticatedListeners) listener(err);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
};

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
