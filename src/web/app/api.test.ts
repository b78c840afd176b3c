import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onUnauthenticated, requestEarly, setCsrfToken, takeArrived } from './api.js';

type Call = { url: string; init: RequestInit };
let calls: Call[];
let answer: () => Response | Promise<Response>;

beforeEach(() => {
  calls = [];
  answer = () => new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer();
  });
  setCsrfToken(null);
});
afterEach(() => vi.unstubAllGlobals());

const header = (call: Call | undefined, name: string) => (call?.init.headers as Record<string, string>)[name];
const errorResponse = (status: number, code: string, details: unknown = null) =>
  new Response(JSON.stringify({ error: { code, message: `msg ${code}`, details } }), { status });

describe('api client', () => {
  it('sends cookies, and the CSRF token on writes only', async () => {
    setCsrfToken('tok-1');
    await api.get('/api/divisions', { parent: '110112', skip: undefined });
    await api.post('/api/auth/logout');
    await api.patch('/api/things/1', { a: 1 });
    expect(calls.map((c) => c.url)).toEqual(['/api/divisions?parent=110112', '/api/auth/logout', '/api/things/1']);
    expect(calls.every((c) => c.init.credentials === 'same-origin')).toBe(true);
    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
    expect(header(calls[1], 'x-csrf-token')).toBe('tok-1');
    expect(header(calls[2], 'x-csrf-token')).toBe('tok-1');
    expect(header(calls[1], 'content-type')).toBeUndefined(); // no body, no JSON content type
    expect(header(calls[2], 'content-type')).toBe('application/json');
    expect(calls[2]?.init.body).toBe('{"a":1}');
  });

  it('turns the error shape into an ApiError with code and details', async () => {
    answer = () => errorResponse(423, 'account_locked', { until: '2026-11-02T02:30:00.000Z' });
    const err = await api.post('/api/auth/login', { username: 'a', password: 'b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 423, code: 'account_locked', details: { until: '2026-11-02T02:30:00.000Z' } });
  });

  it('takes the request id of a 5xx from its details', async () => {
    answer = () => errorResponse(500, 'internal', { requestId: 'req-7' });
    await expect(api.get('/api/x')).rejects.toMatchObject({ code: 'internal', requestId: 'req-7' });
  });

  it('classifies answers that are not the error shape by status', async () => {
    answer = () => new Response('<html>bad gateway</html>', { status: 502 });
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 502, code: 'internal' });
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('tells the shell when the session is gone, and only then', async () => {
    const seen: string[] = [];
    const stop = onUnauthenticated((err) => seen.push(err.code));
    for (const [status, code] of [[401, 'unauthenticated'], [401, 'session_expired'], [401, 'invalid_credentials'], [404, 'not_found']] as const) {
      answer = () => errorResponse(status, code);
      await api.get('/api/x').catch(() => undefined);
    }
    stop();
    answer = () => errorResponse(401, 'unauthenticated');
    await api.get('/api/x').catch(() => undefined);
    expect(seen).toEqual(['unauthenticated', 'session_expired']);
  });

  it('answers 204 with undefined', async () => {
    answer = () => new Response(null, { status: 204 });
    await expect(api.post('/api/auth/logout')).resolves.toBeUndefined();
  });

  it('hands an early answer to the first request for the same address, once', async () => {
    let n = 0;
    answer = () => new Response(JSON.stringify({ n: ++n }), { status: 200 });
    requestEarly('/api/cases', { status: 'open', page: undefined });
    expect(calls.map((c) => c.url)).toEqual(['/api/cases?status=open']);
    await expect(api.get('/api/cases', { status: 'open' })).resolves.toEqual({ n: 1 });
    await expect(api.get('/api/cases', { status: 'open' })).resolves.toEqual({ n: 2 });
    expect(calls).toHaveLength(2);
  });

  it('keeps an early failure for the page that asks, without an unhandled rejection', async () => {
    answer = () => errorResponse(403, 'forbidden');
    requestEarly('/api/secret');
    await new Promise((r) => setTimeout(r, 0));
    await expect(api.get('/api/secret')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(api.post('/api/secret')).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toHaveLength(2); // a write never takes an early answer
  });

  it('hands over an early answer without waiting only once it has arrived', async () => {
    requestEarly('/api/me');
    expect(takeArrived('/api/me')).toBeUndefined(); // still on its way: the page asks as usual
    await new Promise((r) => setTimeout(r, 0));
    expect(takeArrived('/api/me')).toEqual({ ok: true });
    expect(takeArrived('/api/me')).toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});
