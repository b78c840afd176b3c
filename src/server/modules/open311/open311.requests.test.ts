import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { buildApp } from '../../app.js';
import { IN_B1, jpeg, multipart, report, setClock, withCaseDistrict } from '../cases/cases.testing.js';
import {
  BASE, createApiKey, errorsOf, fmsReport, get, itemsOf, post, withOpen311Clients, xml, type Open311TestContext,
} from './open311.testing.js';

/** Reporting requests and reading them back, in both formats; every error case of POST requests. */
let t: Open311TestContext;
beforeAll(async () => {
  t = await withOpen311Clients(await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' })));
});
afterAll(() => t?.close());

const FORMATS = ['xml', 'json'] as const;
const DAY = 86_400_000;
const FIELDS = [
  'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
  'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
];

async function postOk(format: 'xml' | 'json', extra: Record<string, string | undefined> = {}) {
  const a = await post(t, 'requests', format, fmsReport(t, extra));
  expect(a.status, a.body).toBe(200);
  const [r] = itemsOf(a, format, 'service_requests', 'request');
  return r as { service_request_id: string; token: string; service_notice: string; account_id: unknown };
}

describe.each(FORMATS)('POST requests and reading them back in %s', (format) => {
  it('answers the service_request_id, a token and the service notice', async () => {
    const a = await post(t, 'requests', format, fmsReport(t));
    expect(a.status, a.body).toBe(200);
    const items = itemsOf(a, format, 'service_requests', 'request');
    expect(items).toHaveLength(1);
    const r = items[0]!;
    expect(Object.keys(r)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    expect(r.service_request_id).toMatch(/^11011220261102\d{5}$/);
    expect(r.token).toMatch(/^[A-Z2-9]{10}$/);
    expect(r.service_notice).toBe('已收到，等待现场核实');
    expect(r.account_id).toBe(format === 'xml' ? '' : null);
    // the case behind it: reported by the client system, waiting for 核实, with the reporter kept for staff
    const row = await t.dbh.db.selectFrom('cases').selectAll().where('number', '=', r.service_request_id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'pending_verification', source: 'api', category_code: '06001', filing_condition_code: '06001-01', grid_code: '110112001006001',
      reporter_name: '王小明', reporter_phone: '13812345678', address: '中仓街道 新华西街 12 号', description: '人行道上私搭彩钢房，联系电话 13812345678',
    });
    expect(row.reported_by).toMatch(/^api_key:\d+$/);
  });

  it('GET requests/{id}: every field of the specification, public ones only', async () => {
    const { service_request_id: id } = await postOk(format);
    const a = await get(t, `requests/${id}`, format);
    expect(a.status).toBe(200);
    const [r] = itemsOf(a, format, 'service_requests', 'request');
    expect(Object.keys(r!)).toEqual(FIELDS);
    const empty = format === 'xml' ? '' : null;
    const num = (v: number) => (format === 'xml' ? String(v) : v);
    expect(r).toEqual({
      service_request_id: id,
      status: 'open',
      status_notes: '已收到，等待现场核实',
      service_name: '私搭乱建',
      service_code: '06001',
      description: '人行道上私搭彩钢房，联系电话 138****5678',
      agency_responsible: empty,
      service_notice: '按规定时限处置：2 紧急工作时',
      requested_datetime: '2026-11-02T10:00:00+08:00',
      updated_datetime: '2026-11-02T10:00:00+08:00',
      expected_datetime: empty,
      address: '中仓街道 新华西街 12 号',
      address_id: empty,
      zipcode: empty,
      lat: num(39.83),
      long: num(116.61),
      media_url: empty,
    });
    // nothing personal anywhere in the answer
    for (const secret of ['王小明', '小明', '13812345678', 'xiaoming@example.cn']) expect(a.body).not.toContain(secret);
  });

  it('GET tokens/{token}: the token back to its service_request_id', async () => {
    const { service_request_id: id, token } = await postOk(format);
    const a = await get(t, `tokens/${token}`, format);
    expect(a.status).toBe(200);
    expect(itemsOf(a, format, 'service_requests', 'request')).toEqual([{ service_request_id: id, token }]);
    const unknown = await get(t, 'tokens/ABCDEFGHJK', format);
    expect(unknown.status).toBe(404);
    expect(errorsOf(unknown, format)).toEqual([{ code: 404, description: 'token ABCDEFGHJK was not found.' }]);
  });

  it('404 for an unknown request, in the format asked', async () => {
    for (const id of ['1101122026110299999', 'x1']) {
      const a = await get(t, `requests/${id}`, format);
      expect(a.status).toBe(404);
      expect(errorsOf(a, format)).toEqual([{ code: 404, description: `service_request_id ${id} was not found.` }]);
    }
  });

  it('400 for each missing argument, naming it', async () => {
    const missing = await post(t, 'requests', format, { jurisdiction_id: '110112' });
    expect(missing.status).toBe(400);
    expect(errorsOf(missing, format)).toEqual([
      { code: 400, description: 'api_key is required.' },
      { code: 400, description: 'service_code is required.' },
    ]);
    const noPlace = await post(t, 'requests', format, fmsReport(t, { lat: undefined, long: undefined, address_string: undefined }));
    expect(noPlace.status).toBe(400);
    expect(errorsOf(noPlace, format)[0]!.description).toBe('A location is required: lat and long (and address_string if you have one).');
    const onlyAddress = await post(t, 'requests', format, fmsReport(t, { lat: undefined, long: undefined }));
    expect(onlyAddress.status).toBe(400);
    expect(errorsOf(onlyAddress, format)[0]!.description).toContain('an address alone cannot be located');
    const half = await post(t, 'requests', format, fmsReport(t, { long: undefined }));
    expect(errorsOf(half, format)[0]!.description).toBe('lat and long go together: send both.');
  });

  it('400 for bad values: an attribute the service does not have, a value not in its list, a phone, a media_url, a place outside the district', async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ 'attribute[colour]': 'red' }, 'attribute[colour] is not an attribute of service 06001.'],
      [{ 'attribute[condition]': '01001-01' }, 'attribute[condition]: 01001-01 is not one of the values of service 06001.'],
      [{ phone: 'call me' }, 'phone may hold digits, spaces, + and - only (5 to 20).'],
      [{ media_url: 'javascript:alert(1)' }, 'media_url javascript:alert(1) is not an http(s) URL.'],
      [{ lat: '40.5', long: '117.5' }, 'The location lies outside the district.'],
    ];
    for (const [extra, description] of cases) {
      const a = await post(t, 'requests', format, fmsReport(t, extra));
      expect(a.status, JSON.stringify(extra)).toBe(400);
      expect(errorsOf(a, format)).toEqual([{ code: 400, description }]);
    }
  });

  it('403 for an unknown key, a revoked key and a place outside the key\'s jurisdiction', async () => {
    const bad = await post(t, 'requests', format, fmsReport(t, { api_key: 'og_this-key-was-never-issued' }));
    expect(bad.status).toBe(403);
    expect(errorsOf(bad, format)).toEqual([{ code: 403, description: 'Invalid api_key: the key is unknown or revoked.' }]);
    const { id, key } = await createApiKey(t, { name: `revoked ${format}`, role: 'street_dispatcher', divisionCode: '110112001' });
    await t.app.inject({ method: 'DELETE', url: `/api/apikeys/${id}`, headers: t.as.admin });
    const revoked = await post(t, 'requests', format, fmsReport(t, { api_key: key }));
    expect(revoked.status).toBe(403);
    expect(errorsOf(revoked, format)[0]!.description).toBe('Invalid api_key: the key has been revoked.');
    // the key serves 中仓街道; 新华街道 is someone else's
    const elsewhere = await post(t, 'requests', format, fmsReport(t, { lat: String(IN_B1.lat), long: String(IN_B1.lon) }));
    expect(elsewhere.status).toBe(403);
    expect(errorsOf(elsewhere, format)[0]!.description).toBe('The location lies outside your jurisdiction.');
  });

  it('404 for an unknown service code, a social-governance one, and a foreign jurisdiction', async () => {
    for (const code of ['99999', '13001']) {
      const a = await post(t, 'requests', format, fmsReport(t, { service_code: code, 'attribute[condition]': undefined }));
      expect(a.status).toBe(404);
      expect(errorsOf(a, format)).toEqual([{ code: 404, description: `service_code ${code} was not found.` }]);
    }
    const foreign = await post(t, 'requests', format, fmsReport(t, { jurisdiction_id: '110105' }));
    expect(foreign.status).toBe(404);
  });
});

describe('POST requests: more ways to send one', () => {
  it('multipart with photos in media; a photo with GPS is enough for the place', async () => {
    const fields = { ...fmsReport(t), lat: undefined, long: undefined } as Record<string, string | undefined>;
    const body = multipart(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>, [
      { field: 'media', name: 'a.jpg', type: 'image/jpeg', data: await jpeg(7, { lon: 116.61, lat: 39.83 }) },
      { field: 'media', name: 'b.jpg', type: 'image/jpeg', data: await jpeg(8) },
    ]);
    const res = await t.app.inject({ method: 'POST', url: `${BASE}/requests.xml`, headers: body.headers, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    const id = xml.parse(res.body).service_requests.request[0].service_request_id;
    const row = await t.dbh.db.selectFrom('cases').select(['id', 'grid_code']).where('number', '=', id).executeTakeFirstOrThrow();
    expect(row.grid_code).toBe('110112001006001');
    const photos = await t.dbh.db.selectFrom('case_photos').select('kind').where('case_id', '=', row.id).execute();
    expect(photos.map((p) => p.kind)).toEqual(['report', 'report']);
  });

  it('a file that is not a photo is refused and nothing is written', async () => {
    const before = await t.dbh.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const body = multipart(fmsReport(t) as Record<string, string>, [{ field: 'media', name: 'x.jpg', type: 'image/jpeg', data: Buffer.from('not an image') }]);
    const res = await t.app.inject({ method: 'POST', url: `${BASE}/requests.json`, headers: body.headers, payload: body.payload });
    expect(res.statusCode).toBe(415);
    expect(JSON.parse(res.body)[0].code).toBe(415);
    const after = await t.dbh.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('media_url is kept for the staff, not fetched; without a description the service names the problem', async () => {
    const r = await postOk('json', { description: undefined, media_url: 'https://fms.example.org/photo/1.jpeg' });
    const row = await t.dbh.db.selectFrom('cases').select(['id', 'description']).where('number', '=', r.service_request_id).executeTakeFirstOrThrow();
    expect(row.description).toBe('私搭乱建：正在搭建');
    const event = await t.dbh.db.selectFrom('case_events').select('comment').where('case_id', '=', row.id).executeTakeFirstOrThrow();
    expect(event.comment).toBe('Open311 media_url: https://fms.example.org/photo/1.jpeg');
  });

  it('the key may come in the platform\'s headers instead of api_key', async () => {
    const { api_key: key, ...rest } = fmsReport(t);
    const res = await t.app.inject({
      method: 'POST', url: `${BASE}/requests.json`, payload: new URLSearchParams(rest as Record<string, string>).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': key },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.parse(res.body)[0].service_request_id).toMatch(/^\d{19}$/);
  });

  it('an Idempotency-Key makes a retried POST answer the same request', async () => {
    const p = new URLSearchParams(fmsReport(t) as Record<string, string>).toString();
    const send = () => t.app.inject({
      method: 'POST', url: `${BASE}/requests.json`, payload: p,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'fms-report-4711' },
    });
    const first = JSON.parse((await send()).body)[0].service_request_id;
    const second = JSON.parse((await send()).body)[0].service_request_id;
    expect(second).toBe(first);
  });
});

describe('GET requests: filters, the window and paging', () => {
  let ids: string[] = [];
  beforeAll(async () => {
    // a quiet week later: five requests a day apart, two of them for another service
    ids = [];
    for (let i = 0; i < 5; i++) {
      await setClock(t, Date.UTC(2026, 10, 9 + i, 2));
      const extra = i % 2 === 1 ? { service_code: '09009', 'attribute[condition]': '09009-02' } : {};
      ids.push((await postOk('json', extra)).service_request_id);
    }
    await setClock(t, Date.UTC(2026, 10, 14, 2));
    // and a social-governance case reported by a grid worker, which never shows here
    await report(t, 'gridworker', { category_code: '13001', description: '邻里纠纷' });
  });

  const list = async (query: Record<string, string | number>, format: 'xml' | 'json' = 'json') => {
    const a = await get(t, 'requests', format, query);
    expect(a.status, a.body).toBe(200);
    return itemsOf(a, format, 'service_requests', 'request').map((r) => r.service_request_id as string);
  };
  const week = { start_date: '2026-11-09T00:00:00+08:00', end_date: '2026-11-15T00:00:00+08:00' };

  it('by service_request_id, which overrides every other argument', async () => {
    expect(await list({ service_request_id: `${ids[0]},${ids[3]}`, service_code: '01001', status: 'closed' })).toEqual([ids[3], ids[0]]);
    const bad = await get(t, 'requests', 'json', { service_request_id: '1,abc' });
    expect(bad.status).toBe(400);
  });

  it('by window, newest first; by service_code; by status', async () => {
    expect(await list(week)).toEqual([...ids].reverse());
    expect(await list({ ...week, service_code: '09009' })).toEqual([ids[3], ids[1]]);
    expect(await list({ ...week, service_code: '06001,09009' })).toHaveLength(5);
    expect(await list({ ...week, status: 'open' })).toHaveLength(5);
    expect(await list({ ...week, status: 'closed' })).toEqual([]);
    expect(await list({ ...week, status: 'open,closed' }, 'xml')).toHaveLength(5);
    expect(await list({ start_date: '2026-11-10T12:00:00+08:00', end_date: '2026-11-12T12:00:00+08:00' })).toEqual([ids[3], ids[2]]);
  });

  it('without dates, the last 90 days; a longer span is refused', async () => {
    expect(await list({})).toEqual(expect.arrayContaining(ids));
    t.clock.advance(91 * DAY);
    expect(await list({})).toEqual([]);
    t.clock.advance(-91 * DAY);
    const long = await get(t, 'requests', 'xml', { start_date: '2026-01-01T00:00:00Z', end_date: '2026-11-15T00:00:00Z' });
    expect(long.status).toBe(400);
    expect(errorsOf(long, 'xml')).toEqual([{ code: 400, description: 'start_date and end_date may not span more than 90 days.' }]);
    const badDate = await get(t, 'requests', 'json', { start_date: 'last week' });
    expect(errorsOf(badDate, 'json')[0]!.code).toBe(400);
    const badStatus = await get(t, 'requests', 'json', { status: 'pending' });
    expect(errorsOf(badStatus, 'json')[0]!.description).toBe('status: pending is not valid.');
  });

  it('page and page_size walk through the list without overlap', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await list({ ...week, page, page_size: 2 }));
    expect(pages).toEqual([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]);
    expect(await list({ ...week, page: 4, page_size: 2 })).toEqual([]);
    const tooBig = await get(t, 'requests', 'json', { page_size: 1001 });
    expect(errorsOf(tooBig, 'json')).toEqual([{ code: 400, description: 'page_size must be a whole number from 1 to 1000.' }]);
  });

  it('a social-governance case is never listed nor found', async () => {
    const social = await t.dbh.db.selectFrom('cases').select('number').where('category_code', '=', '13001').executeTakeFirstOrThrow();
    expect(await list({ start_date: '2026-11-09T00:00:00+08:00' })).not.toContain(social.number);
    expect((await get(t, `requests/${social.number}`, 'json')).status).toBe(404);
    expect(await list({ service_request_id: social.number })).toEqual([]);
  });
});

describe('rate limits', () => {
  it('a key gets 60 writes a minute, then 429 in the Open311 shape; another key is not affected', async () => {
    const { key } = await createApiKey(t, { name: 'busy client', role: 'street_dispatcher', divisionCode: '110112001' });
    let last = null as Awaited<ReturnType<typeof post>> | null;
    for (let i = 0; i < 61; i++) last = await post(t, 'requests', 'xml', { api_key: key }); // 400s count too
    expect(last!.status).toBe(429);
    expect(errorsOf(last!, 'xml')[0]!.code).toBe(429);
    const other = await post(t, 'requests', 'xml', { api_key: t.otherKey });
    expect(other.status).toBe(400);
  });

  it("a key's writes are counted for every node on the database together", async () => {
    const { key } = await createApiKey(t, { name: 'client of two nodes', role: 'street_dispatcher', divisionCode: '110112001' });
    const node2 = await buildApp(t.config, { dbh: t.dbh, clock: t.clock, migrate: false, logger: false });
    try {
      const statuses: number[] = [];
      // 60 writes a minute, taken in turn by two nodes
      for (let i = 0; i < 62; i++) statuses.push((await post(i % 2 ? { ...t, app: node2 } : t, 'requests', 'json', { api_key: key })).status);
      expect(statuses.slice(0, 60).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(60)).toEqual([429, 429]);
    } finally {
      await node2.close();
    }
  });
});
