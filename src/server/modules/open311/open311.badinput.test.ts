import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { withCaseDistrict } from '../cases/cases.testing.js';
import { withOpen311Clients, xml, type Open311TestContext } from './open311.testing.js';

/**
 * Bad input to every Open311 route, read from the app's own route table: always 4xx, always in
 * the Open311 error shape of the format the path names, and nothing written.
 */
let t: Open311TestContext;
beforeAll(async () => {
  t = await withOpen311Clients(await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000', BODY_LIMIT_BYTES: '8192' })));
});
afterAll(() => t?.close());

async function counts() {
  const out: Record<string, number> = {};
  for (const name of ['cases', 'case_events', 'case_photos', 'files', 'idempotency_keys', 'api_keys']) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(t.dbh.db);
    out[name] = Number(r.rows[0]!.n);
  }
  return out;
}

function expectOpen311Error(res: { statusCode: number; headers: Record<string, unknown>; body: string }, url: string, label: string) {
  expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, label).toBeLessThan(500);
  const format = /\.json($|\?)/.test(url) ? 'json' : 'xml';
  expect(String(res.headers['content-type']), label).toBe(format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8');
  const list = format === 'json' ? JSON.parse(res.body) : xml.parse(res.body).errors.error;
  expect(Array.isArray(list) && list.length > 0, `${label}: ${res.body}`).toBe(true);
  for (const e of list) {
    expect(Number(e.code), label).toBe(res.statusCode);
    expect(typeof e.description, label).toBe('string');
  }
}

describe('bad input to every Open311 route', () => {
  it('answers 4xx in the Open311 shape and changes nothing', async () => {
    const routes = t.app.ctx.routes.filter((r) => r.url.startsWith('/open311/'));
    expect(routes.length).toBe(15);
    const before = await counts();
    for (const r of routes) {
      const label = `${r.method} ${r.url}`;
      if (r.method === 'GET') {
        const url = r.url.replace(':file', '%27%3B--.json');
        expectOpen311Error(await t.app.inject({ method: 'GET', url: `${url}?jurisdiction_id=%00` }), url, `${label} bad jurisdiction`);
        expectOpen311Error(await t.app.inject({ method: 'GET', url: `${url}?api_key=%27%3B--` }), url, `${label} bad key`);
        if (!r.url.includes(':file') && !r.url.includes('discovery') && !r.url.includes('/services.')) {
          expectOpen311Error(await t.app.inject({ method: 'GET', url: `${url}?start_date=%27%3B--&page=-1` }), url, `${label} bad window`);
        }
        continue;
      }
      const url = r.url;
      const json = { 'content-type': 'application/json' };
      expectOpen311Error(await t.app.inject({ method: 'POST', url, headers: json, payload: '{"broken": ' }), url, `${label} malformed`);
      expectOpen311Error(await t.app.inject({ method: 'POST', url, headers: json, payload: JSON.stringify({ pad: 'x'.repeat(20_000) }) }), url, `${label} oversized`);
      expectOpen311Error(await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: 'hello' }), url, `${label} text`);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      expectOpen311Error(await t.app.inject({ method: 'POST', url, headers: form, payload: 'api_key=%27%3B--&service_code=%00&lat=abc&long=1e999' }), url, `${label} garbage form`);
      expectOpen311Error(await t.app.inject({
        method: 'POST', url, headers: form,
        payload: `api_key=${encodeURIComponent(t.key)}&service_code=06001&service_request_id=1&update_id=1&status=OPEN&description=x&updated_datetime=x&lat=91&long=0`,
      }), url, `${label} bad values`);
      expectOpen311Error(await t.app.inject({ method: 'POST', url, headers: json, payload: '[1,2,3]' }), url, `${label} wrong type`);
      // multipart bodies the parser cannot read: no boundary, and one cut short
      const noBoundary = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'multipart/form-data' }, payload: 'x' });
      expectOpen311Error(noBoundary, url, `${label} multipart without a boundary`);
      expect(noBoundary.statusCode, label).toBe(400);
      const cut = await t.app.inject({
        method: 'POST', url, headers: { 'content-type': 'multipart/form-data; boundary=zz' },
        payload: '--zz\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nx',
      });
      expectOpen311Error(cut, url, `${label} multipart cut short`);
    }
    expect(await counts()).toEqual(before);
  });
});
