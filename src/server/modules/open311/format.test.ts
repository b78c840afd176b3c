import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { errorDocument, Open311Error, toOpen311Error } from './errors.js';
import { formatOfPath, parseW3c, render, renderJson, renderXml, splitExtension, w3c, xmlSafe, type Document } from './format.js';
import { AppError } from '../../platform/errors.js';

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'request_update', 'error', 'attribute', 'value', 'format', 'endpoint'].includes(name) });

describe('documents', () => {
  const services: Document = {
    root: 'services',
    value: [
      { service_code: '01001', service_name: '供水井盖', metadata: true, type: 'realtime', group: '市政公用设施' },
      { service_code: '06001', service_name: 'A & B <c>', metadata: false, type: 'realtime', group: null },
    ],
  };

  it('XML: declaration, root, one element per item, text escaped, null as an empty element', () => {
    const xml = renderXml(services);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<services>')).toBe(true);
    expect(xml).not.toMatch(/xmlns/);
    const doc = parser.parse(xml);
    expect(doc.services.service).toHaveLength(2);
    expect(doc.services.service[0]).toEqual({ service_code: '01001', service_name: '供水井盖', metadata: 'true', type: 'realtime', group: '市政公用设施' });
    expect(doc.services.service[1].service_name).toBe('A & B <c>');
    expect(doc.services.service[1].group).toBe('');
  });

  it('JSON: the value itself, lists as arrays, null kept', () => {
    expect(JSON.parse(renderJson(services))).toEqual(services.value);
    expect(JSON.parse(render({ root: 'service_definition', value: { service_code: 'x', attributes: [] } }, 'json'))).toEqual({ service_code: 'x', attributes: [] });
  });

  it('nested lists take their item names: attributes/attribute, values/value, formats/format', () => {
    const xml = renderXml({
      root: 'service_definition',
      value: { service_code: '01001', attributes: [{ code: 'condition', values: [{ key: '01001-01', name: '丢失' }, { key: '01001-02', name: '破损' }] }] },
    });
    const doc = parser.parse(xml);
    expect(doc.service_definition.attributes.attribute[0].values.value.map((v: { key: string }) => v.key)).toEqual(['01001-01', '01001-02']);
    const disc = parser.parse(renderXml({ root: 'discovery', value: { endpoints: [{ formats: ['text/xml', 'application/json'] }] } }));
    expect(disc.discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('an empty list is an empty element', () => {
    expect(parser.parse(renderXml({ root: 'service_requests', value: [] }))).toEqual({ '?xml': '', service_requests: '' });
  });

  it('a list without a known item name is a programming error, not silent output', () => {
    expect(() => renderXml({ root: 'things', value: [{ a: 1 }] })).toThrow(/things/);
  });

  it('any text survives the round trip through XML, less the characters XML 1.0 cannot carry', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (a, b) => {
      const doc: Document = { root: 'service_requests', value: [{ service_request_id: '1', description: a, status_notes: b }] };
      const back = new XMLParser({ parseTagValue: false, trimValues: false }).parse(renderXml(doc));
      const item = back.service_requests.request;
      expect(item.description).toBe(xmlSafe(a));
      expect(item.status_notes).toBe(xmlSafe(b));
    }), { numRuns: 300 });
  });

  it('errors: <errors><error><code/><description/></error></errors> and a JSON array', () => {
    const e = new Open311Error(400, ['service_code is required.', 'api_key is required.']);
    const doc = parser.parse(renderXml(errorDocument(e)));
    expect(doc.errors.error).toEqual([
      { code: '400', description: 'service_code is required.' },
      { code: '400', description: 'api_key is required.' },
    ]);
    expect(JSON.parse(renderJson(errorDocument(e)))).toEqual([
      { code: 400, description: 'service_code is required.' },
      { code: 400, description: 'api_key is required.' },
    ]);
  });

  it('platform errors map onto the specification codes', () => {
    expect(toOpen311Error(new AppError('invalid_api_key')).status).toBe(403);
    expect(toOpen311Error(new AppError('forbidden')).status).toBe(403);
    expect(toOpen311Error(new AppError('not_found')).status).toBe(404);
    expect(toOpen311Error(new AppError('validation_failed')).status).toBe(400);
    expect(toOpen311Error(new AppError('action_not_allowed')).status).toBe(400);
    expect(toOpen311Error(new AppError('outside_district')).status).toBe(400);
    expect(toOpen311Error(new AppError('rate_limited')).status).toBe(429);
    const internal = toOpen311Error(new Error('connection string postgres://secret'));
    expect(internal.status).toBe(500);
    expect(internal.message).not.toMatch(/secret/);
  });

  it('paths name their format', () => {
    expect(formatOfPath('/open311/v2/services.xml?jurisdiction_id=1')).toBe('xml');
    expect(formatOfPath('/open311/v2/requests/1.JSON')).toBe('json');
    expect(formatOfPath('/open311/v2/services.csv')).toBeNull();
    expect(splitExtension('110112202611020001.json')).toEqual({ id: '110112202611020001', format: 'json' });
    expect(splitExtension('110112202611020001')).toBeNull();
  });
});

describe('W3C date-times', () => {
  it('answers in Beijing time with the zone, whole seconds', () => {
    expect(w3c(Date.UTC(2026, 10, 2, 2, 0, 0, 999))).toBe('2026-11-02T10:00:00+08:00');
    expect(w3c(Date.UTC(2026, 11, 31, 16, 30, 5))).toBe('2027-01-01T00:30:05+08:00');
  });

  it('reads any zone and fractions; a bare date is Beijing midnight', () => {
    expect(parseW3c('1994-11-05T08:15:30-05:00')).toBe(Date.UTC(1994, 10, 5, 13, 15, 30));
    expect(parseW3c('1994-11-05T13:15:30Z')).toBe(Date.UTC(1994, 10, 5, 13, 15, 30));
    expect(parseW3c('2026-11-02T10:00:00.250+08:00')).toBe(Date.UTC(2026, 10, 2, 2, 0, 0, 250));
    expect(parseW3c('2026-11-02T10:00+08:00')).toBe(Date.UTC(2026, 10, 2, 2, 0, 0));
    expect(parseW3c('2026-11-02')).toBe(Date.UTC(2026, 10, 1, 16, 0, 0));
  });

  it('refuses a time without a zone and impossible dates', () => {
    for (const bad of ['2026-11-02T10:00:00', '2026-02-30T00:00:00Z', '2026-13-01', 'yesterday', '2026-11-02T24:00:00Z', '2026-11-02T10:00:00+25:00', '']) {
      expect(parseW3c(bad), bad).toBeNull();
    }
  });

  it('what it writes, it reads back as the same second', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
      expect(parseW3c(w3c(ms))).toBe(Math.floor(ms / 1000) * 1000);
    }));
  });
});
