import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, setClock, withCaseDistrict, type CasesTestContext } from '../src/server/modules/cases/cases.testing.js';
import { loadConfig } from '../src/server/config.js';
import { createTestApp } from './support/app.js';

/**
 * The operator's metrics (GET /metrics, Prometheus text): off without METRICS_TOKEN, answered only to
 * the scraper that sends it, and figures that move with the work — requests by route and status,
 * cases open by state and overdue, the evaluation's backlog, the database answering.
 */
const TOKEN = 'scrape-token-0123456789';
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ METRICS_TOKEN: TOKEN }));
});
afterAll(() => t?.close());

const scrape = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
/** The value of one sample, e.g. value(text, 'onegrid_cases_open{state="pending_acceptance"}'); undefined when absent. */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('metrics', () => {
  it('are answered only to a scraper that sends the token', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthenticated');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const signedIn = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.as.admin });
    expect(signedIn.statusCode).toBe(401);
    const res = await scrape();
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('give the process, the database and the version', async () => {
    const text = (await scrape()).body;
    expect(value(text, 'onegrid_database_up')).toBe(1);
    expect(text).toMatch(/^onegrid_info\{version="[\d.]+",database="(sqlite|postgres)"\} 1$/m);
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(value(text, 'onegrid_live_streams')).toBe(0);
  });

  it('count requests by route, not by address, and follow the cases as they come and fall due', async () => {
    const before = (await scrape()).body;
    const openBefore = value(before, 'onegrid_cases_open{state="pending_acceptance"}') ?? 0;
    const overdueBefore = value(before, 'onegrid_cases_overdue') ?? 0;
    const c = await report(t, 'gridworker');
    expect(c.state).toBe('pending_acceptance');
    await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.district });
    await t.app.inject({ method: 'GET', url: '/api/cases/999999', headers: t.as.district });
    const after = (await scrape()).body;
    expect(value(after, 'onegrid_cases_open{state="pending_acceptance"}')).toBe(openBefore + 1);
    expect(value(after, 'onegrid_cases_open{state="handling"}')).toBe(0);
    expect(value(after, 'onegrid_http_requests_total{method="POST",route="/api/cases",status="201"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'onegrid_http_requests_total{method="GET",route="/api/cases/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'onegrid_http_requests_total{method="GET",route="/api/cases/:id",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain('/api/cases/999999');
    expect(after).toMatch(/^onegrid_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/cases"\} \d+$/m);
    // its time to be accepted runs out
    const now = t.clock.now();
    await setClock(t, c.dueAt! + 60_000);
    try {
      expect(value((await scrape()).body, 'onegrid_cases_overdue')).toBe(overdueBefore + 1);
    } finally {
      await setClock(t, now);
    }
    expect(value((await scrape()).body, 'onegrid_evaluation_backlog_cases')).toBeGreaterThanOrEqual(0);
  });
});

describe('pages following live changes', () => {
  it('are counted while their stream is open, over a real connection', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const streams = async () => value((await scrape()).body, 'onegrid_live_streams');
    const cookie = String(t.as.district!.cookie);
    const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie } });
    const opened = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => (res.statusCode === 200 ? res.once('data', () => resolve()) : reject(new Error(`status ${res.statusCode}`))));
      req.on('error', reject);
    });
    req.end();
    await opened;
    expect(await streams()).toBe(1);
    req.destroy();
    await expect.poll(streams).toBe(0);
  });
});

describe('metrics off', () => {
  it('is the default: the address does not exist', async () => {
    const off = await createTestApp();
    try {
      const res = await off.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    } finally {
      await off.close();
    }
  });

  it('refuses a token too short to keep a scraper apart from a guesser', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: use 16 to 200 printable characters/);
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
  });
});
