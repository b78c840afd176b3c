import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestContext } from './support/app.js';

/**
 * Bad input to every route answers 4xx in the one error shape and changes nothing. The routes are
 * read from the app's own route table, so a new route is covered the day it is added.
 */
let t: TestContext;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '8192', LOGIN_RATE_PER_MINUTE: '10000' });
  headers = await signIn(t.app, 'admin');
});
afterAll(() => t?.close());

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PUBLIC_SKIP = new Set(['/healthz', '/api/openapi.json']);

/**
 * Row counts of every table but the ones a refused request may legitimately write to (the audit, and
 * the rate limits, which count every attempt, refused or not).
 */
async function snapshot() {
  const tables = (await t.dbh.db.introspection.getTables()).map((x) => x.name)
    .filter((n) => !['audit_log', 'sessions', 'rate_limits', 'onegrid_migrations', 'onegrid_migrations_lock'].includes(n));
  const out: Record<string, number> = {};
  for (const name of tables) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(t.dbh.db);
    out[name] = Number(r.rows[0].n);
  }
  return out;
}

function fill(url: string, value: string) {
  return url.replace(/:[a-zA-Z]+/g, value);
}

function expectErrorShape(res: { statusCode: number; json(): any }, label: string) {
  expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, label).toBeLessThan(500);
  const body = res.json();
  expect(typeof body.error?.code, label).toBe('string');
  expect(typeof body.error?.message, label).toBe('string');
  expect('details' in body.error, label).toBe(true);
}

describe('bad input to every route', () => {
  it('the route table is not empty', () => {
    expect(t.app.ctx.routes.length).toBeGreaterThan(10);
  });

  it('answers malformed JSON, unknown fields, wrong types and oversized bodies with 4xx and changes nothing', async () => {
    const before = await snapshot();
    let checked = 0;
    for (const r of t.app.ctx.routes) {
      // Open311 routes answer in the Open311 error format; open311.badinput.test.ts covers them
      if (PUBLIC_SKIP.has(r.url) || r.url.includes('*') || r.url.startsWith('/open311/')) continue;
      const url = fill(r.url, '1');
      if (WRITE.has(r.method)) {
        const label = `${r.method} ${r.url}`;
        const malformed = await t.app.inject({ method: r.method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"broken": ' });
        expectErrorShape(malformed, `${label} malformed`);
        const huge = await t.app.inject({ method: r.method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(20_000) }) });
        expectErrorShape(huge, `${label} oversized`);
        if (r.schema?.body) {
          const unknown = await t.app.inject({ method: r.method as 'POST', url, headers, payload: { unexpectedField: 1 } });
          expectErrorShape(unknown, `${label} unknown field`);
          const wrongType = await t.app.inject({ method: r.method as 'POST', url, headers, payload: [1, 2, 3] as unknown as object });
          expectErrorShape(wrongType, `${label} wrong type`);
        }
        checked++;
      }
      if (r.url.includes(':')) {
        const bad = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, '%27%3B--'), headers, ...(WRITE.has(r.method) ? { payload: {} } : {}) });
        expectErrorShape(bad, `${r.method} ${r.url} bad parameter`);
      }
      if (r.method === 'GET' && r.schema?.querystring) {
        const bad = await t.app.inject({ method: 'GET', url: `${url}?unexpectedParam=1`, headers });
        expectErrorShape(bad, `GET ${r.url} unknown query parameter`);
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses text holding the NUL character in any body, query string or path, on both databases, and changes nothing', async () => {
    const before = await snapshot();
    const nul = (res: { statusCode: number; json(): any }, label: string, field: string) => {
      expectErrorShape(res, label);
      expect(res.json().error, label).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('U+0000'), details: { field } });
    };
    let checked = 0;
    for (const r of t.app.ctx.routes) {
      if (PUBLIC_SKIP.has(r.url) || r.url.includes('*') || r.url.startsWith('/open311/')) continue;
      const label = `${r.method} ${r.url}`;
      // (a path is checked before the body: a body is tried where the path has no parameters)
      if (WRITE.has(r.method) && r.schema?.body && !r.schema.params) {
        nul(await t.app.inject({ method: r.method as 'POST', url: fill(r.url, '1'), headers, payload: { description: 'a\u0000b' } }), `${label} body`, 'description');
        checked++;
      }
      // (a write's body and a path are checked before the query string)
      if (r.method === 'GET' && r.schema?.querystring && !r.schema.params) {
        nul(await t.app.inject({ method: r.method as 'GET', url: `${fill(r.url, '1')}?q=a%00b`, headers }), `${label} query`, 'q');
        checked++;
      }
      if (r.schema?.params) {
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, 'a%00b'), headers, ...(WRITE.has(r.method) ? { payload: {} } : {}) });
        nul(res, `${label} path`, Object.keys((r.schema.params as { shape?: object }).shape ?? {})[0] ?? '');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    // a report sent as a form with photos, and a CSV file uploaded for import
    const form = new FormData();
    form.append('description', 'a\u0000b');
    form.append('lon', '116.61');
    form.append('lat', '39.83');
    const multipart = async (url: string, body: FormData, signedIn: boolean) => {
      const req = new Request('http://x', { method: 'POST', body });
      return t.app.inject({ method: 'POST', url, headers: { ...(signedIn ? headers : {}), 'content-type': req.headers.get('content-type')! }, payload: Buffer.from(await req.arrayBuffer()) });
    };
    // a resident's report, which needs no account
    nul(await multipart('/api/public/cases', form, false), 'report form', 'description');
    const csv = new FormData();
    csv.append('file', new Blob(['number,created_at\n1,2013-01-01\u0000\n']), 'cases.csv');
    nul(await multipart('/api/evaluation/imports', csv, true), 'import file', 'file');
    expect(await snapshot()).toEqual(before);
  });

  it('answers multipart bodies its parser cannot read with 400 malformed_body, and changes nothing', async () => {
    const before = await snapshot();
    // (the routes that take photos or a file; the others refuse multipart as a type they do not take)
    const readers = ['/api/cases', '/api/public/cases', '/api/evaluation/imports'];
    const routes = t.app.ctx.routes.filter((r) => WRITE.has(r.method) && r.method !== 'DELETE' && !r.url.startsWith('/open311/') && !r.url.startsWith('/api/auth/') && (!!r.schema?.body || readers.includes(r.url)));
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(readers));
    // (an administrator reports no cases: a dispatcher sends those)
    const dispatcher = await signIn(t.app, 'district');
    for (const r of routes) {
      const url = fill(r.url, '1');
      const as = r.url === '/api/cases' ? dispatcher : headers;
      const noBoundary = await t.app.inject({ method: r.method as 'POST', url, headers: { ...as, 'content-type': 'multipart/form-data' }, payload: 'x' });
      const cut = await t.app.inject({
        method: r.method as 'POST', url, headers: { ...as, 'content-type': 'multipart/form-data; boundary=zz' },
        payload: '--zz\r\nContent-Disposition: form-data; name="description"\r\n\r\nx',
      });
      for (const [res, what] of [[noBoundary, 'without a boundary'], [cut, 'cut short']] as const) {
        expectErrorShape(res, `${r.method} ${r.url} multipart ${what}`);
        if (readers.includes(r.url)) expect(res.json().error.code, `${r.url} ${what}`).toBe('malformed_body');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('takes numbers in paths and query strings written in digits only', async () => {
    const before = await snapshot();
    let checked = 0;
    for (const r of t.app.ctx.routes) {
      if (PUBLIC_SKIP.has(r.url) || r.url.startsWith('/open311/') || !/:(id|grantId|version|year)\b/.test(r.url)) continue;
      for (const value of ['1e3', '0x10', '%201', '1.0', '-1']) {
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, value), headers, ...(WRITE.has(r.method) ? { payload: {} } : {}) });
        expectErrorShape(res, `${r.method} ${r.url} with ${value}`);
        expect(res.json().error.code, `${r.method} ${r.url} with ${value}`).toBe('validation_failed');
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    for (const url of ['/api/cases?pageSize=0x10', '/api/cases?page=', '/api/audit?limit=1e2', '/api/geo/locate?lon=0x74&lat=39.9', '/api/geo/locate?lon=&lat=39.9']) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expectErrorShape(res, url);
      expect(res.json().error.code, url).toBe('validation_failed');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers addresses the router refuses, and requests the HTTP parser cannot read, in the error shape', async () => {
    for (const url of ['/api/cases/%', '/api/divisions/%E0%A4%A', `/api/cases/${'1'.repeat(200)}`]) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expectErrorShape(res, url);
      expect(res.json().error.code, url).toBe('validation_failed');
      // answered by the router before the request hooks, yet with the security headers of every answer
      expect(String(res.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
    // a body longer than its Content-Length, on a real socket
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":1}GARBAGE / HTTP/1.1\r\n\r\n');
      });
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
      socket.setTimeout(5_000, () => socket.destroy());
    });
    const last = answer.slice(answer.lastIndexOf('HTTP/1.1 '));
    expect(last).toMatch(/^HTTP\/1\.1 400 /);
    expect(last).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/);
    expect(last).toMatch(/\r\nContent-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n/);
    const body = JSON.parse(last.slice(last.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ error: { code: 'malformed_body', message: 'The request could not be read.', details: null } });
  });

  it('answers unknown API routes in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here', headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });
});
