import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { withCaseDistrict } from '../cases/cases.testing.js';
import { setSetting } from '../../platform/settings.js';
import { CONDITION_ATTRIBUTE, FIXED_WHEN_ATTRIBUTE } from './catalogue.js';
import { createApiKey, errorsOf, get, itemsOf, withOpen311Clients, type Open311TestContext } from './open311.testing.js';

/** Discovery, services and service definitions in both formats, parsed back field by field; jurisdictions and keys on reads. */
let t: Open311TestContext;
beforeAll(async () => {
  t = await withOpen311Clients(await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' })));
});
afterAll(() => t?.close());

const FORMATS = ['xml', 'json'] as const;

describe.each(FORMATS)('reads in %s', (format) => {
  it('answers with the content type of the format, UTF-8, and XML with its declaration', async () => {
    const a = await get(t, 'services', format);
    expect(a.status).toBe(200);
    expect(a.contentType).toBe(format === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8');
    if (format === 'xml') {
      expect(a.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<services>')).toBe(true);
      expect(a.body).not.toContain('xmlns');
    } else {
      expect(Array.isArray(a.doc)).toBe(true);
    }
  });

  it('discovery: changeset, contact, key service and one endpoint with both formats', async () => {
    const a = await get(t, 'discovery', format);
    expect(a.status).toBe(200);
    const d = format === 'xml' ? a.doc.discovery : a.doc;
    expect(d.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(d.contact).toContain('12345');
    expect(d.key_service).toContain('api_key');
    const endpoints = format === 'xml' ? d.endpoints.endpoint : d.endpoints;
    expect(endpoints).toHaveLength(1);
    const e = endpoints[0];
    expect(e.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(e.url).toMatch(/^http:\/\/[^/]+\/open311\/v2$/);
    expect(e.changeset).toBe(d.changeset);
    expect(e.type).toBe('production');
    expect(format === 'xml' ? e.formats.format : e.formats).toEqual(['text/xml', 'application/json']);
  });

  it('services: one per publicly reportable sub-category, every field as the specification names it', async () => {
    const services = itemsOf(await get(t, 'services', format), format, 'services', 'service');
    const codes = services.map((s) => s.service_code);
    expect(codes).toHaveLength(48);
    expect(codes).toContain('06001');
    expect(codes.some((c) => /^1[1-7]/.test(c))).toBe(false);
    const s = services.find((x) => x.service_code === '06001')!;
    expect(Object.keys(s)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    expect(s.service_name).toBe('私搭乱建');
    expect(s.description).toBe('市容环境 · 私搭乱建。适用情形：正在搭建；已建成的违法建设。');
    expect(s.metadata).toBe(format === 'xml' ? 'true' : true);
    expect(s.type).toBe('realtime');
    expect(s.keywords).toBe('事件,市容环境,Illegal structure,City appearance');
    expect(s.group).toBe('市容环境');
  });

  it('services in English when the client asks for it', async () => {
    const byParam = itemsOf(await get(t, 'services', format, { locale: 'en' }), format, 'services', 'service');
    expect(byParam.find((x) => x.service_code === '06001')).toMatchObject({ service_name: 'Illegal structure', group: 'City appearance' });
    const byHeader = itemsOf(await get(t, 'services', format, {}, { 'accept-language': 'en-GB,en;q=0.9' }), format, 'services', 'service');
    expect(byHeader[0]!.service_name).toBe('Water supply manhole cover');
  });

  it('a service definition: the filing conditions to pick from and what fixed means', async () => {
    const a = await get(t, 'services/06001', format);
    expect(a.status).toBe(200);
    const d = format === 'xml' ? a.doc.service_definition : a.doc;
    expect(d.service_code).toBe('06001');
    const attrs = format === 'xml' ? d.attributes.attribute : d.attributes;
    expect(attrs).toHaveLength(2);
    const b = (v: boolean) => (format === 'xml' ? String(v) : v);
    const n = (v: number) => (format === 'xml' ? String(v) : v);
    expect(attrs[0]).toEqual({
      variable: b(true), code: CONDITION_ATTRIBUTE, datatype: 'singlevaluelist', required: b(false),
      datatype_description: '选择最符合的一项；不确定可不选，核实时确定。', order: n(1), description: '问题属于哪种情形？',
      values: format === 'xml'
        ? { value: [{ key: '06001-01', name: '正在搭建（处置时限 2 紧急工作时）' }, { key: '06001-02', name: '已建成的违法建设（处置时限 15 工作日）' }] }
        : [{ key: '06001-01', name: '正在搭建（处置时限 2 紧急工作时）' }, { key: '06001-02', name: '已建成的违法建设（处置时限 15 工作日）' }],
    });
    expect(attrs[1]).toEqual({
      variable: b(false), code: FIXED_WHEN_ATTRIBUTE, datatype: 'text', required: b(false), datatype_description: '', order: n(2),
      description: '办结标准：制止搭建或依法拆除',
    });
  });

  it('404 for an unknown service, a social-governance one and an emergency', async () => {
    for (const code of ['99999', '16003', '11004', 'abc']) {
      const a = await get(t, `services/${code}`, format);
      expect(a.status, code).toBe(404);
      expect(errorsOf(a, format)).toEqual([{ code: 404, description: `service_code ${code} was not found.` }]);
    }
  });

  it('jurisdiction_id: the district code is accepted, any other is 404', async () => {
    expect((await get(t, 'services', format, { jurisdiction_id: '110112' })).status).toBe(200);
    const a = await get(t, 'services', format, { jurisdiction_id: '110105' });
    expect(a.status).toBe(404);
    expect(errorsOf(a, format)).toEqual([{ code: 404, description: 'jurisdiction_id 110105 was not found; this endpoint serves 110112.' }]);
    expect((await get(t, 'services/06001', format, { jurisdiction_id: 'chaoyang' })).status).toBe(404);
    expect((await get(t, 'requests', format, { jurisdiction_id: 'chaoyang' })).status).toBe(404);
    expect((await get(t, 'servicerequestupdates', format, { jurisdiction_id: 'chaoyang' })).status).toBe(404);
  });

  it('an api_key is optional on reads, but one that is sent must be valid', async () => {
    expect((await get(t, 'services', format, { api_key: t.key })).status).toBe(200);
    const bad = await get(t, 'requests', format, { api_key: 'og_not-a-real-key-at-all' });
    expect(bad.status).toBe(403);
    expect(errorsOf(bad, format)[0]!.code).toBe(403);
  });

  it('unknown resources and extensions are 404 in the Open311 shape', async () => {
    const a = await get(t, 'nothing-here', format);
    expect(a.status).toBe(404);
    expect(errorsOf(a, format)[0]).toEqual({ code: 404, description: `There is no Open311 resource GET /open311/v2/nothing-here.${format}.` });
    const csv = await t.app.inject({ method: 'GET', url: '/open311/v2/services/06001.csv' });
    expect(csv.statusCode).toBe(404);
    expect(csv.headers['content-type']).toBe('text/xml; charset=utf-8');
  });
});

describe('configuration', () => {
  it('a configured jurisdiction_id is accepted besides the district code', async () => {
    await setSetting(t.dbh.db, 'open311.jurisdiction_id', 'tongzhou.beijing', t.clock.now());
    expect((await get(t, 'services', 'json', { jurisdiction_id: 'tongzhou.beijing' })).status).toBe(200);
    expect((await get(t, 'services', 'json', { jurisdiction_id: '110112' })).status).toBe(200);
    const other = await get(t, 'services', 'json', { jurisdiction_id: 'haidian' });
    expect(errorsOf(other, 'json')[0]!.description).toBe('jurisdiction_id haidian was not found; this endpoint serves 110112, tongzhou.beijing.');
  });

  it('a revoked key is 403 on reads too', async () => {
    const { id, key } = await createApiKey(t, { name: 'retired client', role: 'street_dispatcher', divisionCode: '110112001' });
    expect((await get(t, 'services', 'xml', { api_key: key })).status).toBe(200);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/apikeys/${id}`, headers: t.as.admin });
    expect(del.statusCode).toBe(200);
    const a = await get(t, 'services', 'xml', { api_key: key });
    expect(a.status).toBe(403);
    expect(errorsOf(a, 'xml')).toEqual([{ code: 403, description: 'Invalid api_key: the key has been revoked.' }]);
  });

  it('a bad key in the Authorization header is answered in the Open311 shape as well', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/open311/v2/services.json', headers: { authorization: 'Bearer og_nonsense-key-value' } });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body)[0].code).toBe(403);
  });

  it('the API reference lists the Open311 routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/open311/v2/services.xml', '/open311/v2/requests.json', '/open311/v2/servicerequestupdates.xml', '/open311/v2/requests/{file}']) {
      expect(paths).toContain(p);
    }
  });
});
