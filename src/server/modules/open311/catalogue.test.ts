import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCategoryTree } from '../../../shared/cases/index.js';
import {
  CONDITION_ATTRIBUTE, FIXED_WHEN_ATTRIBUTE, findPublicService, publicServiceCodes, publicServices, serviceDefinitionNode, serviceNode,
} from './catalogue.js';
import { attributesOf, commaList, dateWindow, many, one, paging, parseForm, position } from './params.js';
import { maskPersonalData } from '../../platform/privacy.js';
import { reporterName } from './privacy.js';

const tree = parseCategoryTree(JSON.parse(readFileSync(new URL('../../../../data/categories.json', import.meta.url), 'utf8')));

describe('services from the category tree', () => {
  it('one service per component and event sub-category; no emergencies, no social-governance events', () => {
    const codes = publicServiceCodes(tree);
    const expected = tree.classes.filter((c) => c.kind !== 'social' && c.code !== '11').flatMap((c) => c.subcategories.map((s) => s.code));
    expect(codes).toEqual(expected);
    expect(codes).toContain('01001');
    expect(codes).toContain('09009');
    expect(codes.some((c) => c.startsWith('11') || c.startsWith('13') || c.startsWith('16'))).toBe(false);
    expect(findPublicService(tree, '16003')).toBeNull();
  });

  it('a service: code, name, description with its filing conditions, metadata, realtime, keywords without commas inside, group', () => {
    const s = serviceNode(findPublicService(tree, '01001')!, 'zh');
    expect(s).toMatchObject({ service_code: '01001', service_name: '供水井盖', metadata: true, type: 'realtime', group: '市政公用设施' });
    expect(s.description).toContain('井盖丢失');
    expect(String(s.keywords).split(',')).toEqual(['部件', '市政公用设施', 'Water supply manhole cover', 'Municipal utilities']);
    const en = serviceNode(findPublicService(tree, '01001')!, 'en');
    expect(en).toMatchObject({ service_name: 'Water supply manhole cover', group: 'Municipal utilities' });
    // every keyword of every service is one item of the comma-separated list
    for (const svc of publicServices(tree)) {
      for (const locale of ['zh', 'en'] as const) {
        const kw = String(serviceNode(svc, locale).keywords).split(',');
        expect(kw.every((k) => k.trim().length > 0)).toBe(true);
      }
    }
  });

  it('a definition: the filing conditions as a single-value list, the closing conditions as information', () => {
    const d = serviceDefinitionNode(findPublicService(tree, '01001')!, 'zh') as { service_code: string; attributes: Record<string, unknown>[] };
    expect(d.service_code).toBe('01001');
    const [condition, fixedWhen] = d.attributes;
    expect(condition).toMatchObject({ variable: true, code: CONDITION_ATTRIBUTE, datatype: 'singlevaluelist', required: false, order: 1 });
    expect((condition!.values as { key: string; name: string }[]).map((v) => v.key)).toEqual(['01001-01', '01001-02', '01001-03']);
    expect((condition!.values as { name: string }[])[0]!.name).toBe('井盖丢失（处置时限 2 紧急工作时）');
    expect(fixedWhen).toMatchObject({ variable: false, code: FIXED_WHEN_ATTRIBUTE, datatype: 'text', order: 2 });
    expect(fixedWhen!.description).toContain('井盖已补齐或更换');
    expect(fixedWhen!.values).toBeUndefined();
  });
});

describe('arguments', () => {
  it('form bodies keep repeated names as lists', () => {
    const f = parseForm('api_key=k&media_url=a&media_url=b&attribute%5Bcondition%5D=01001-02&description=%E4%BA%95%E7%9B%96+x');
    expect(one(f, 'api_key')).toBe('k');
    expect(many(f, 'media_url')).toEqual(['a', 'b']);
    expect(attributesOf(f)).toEqual({ condition: '01001-02' });
    expect(one(f, 'description')).toBe('井盖 x');
    expect(one(parseForm('email='), 'email')).toBeUndefined();
  });

  it('comma lists are checked item by item', () => {
    expect(commaList({ status: 'open,closed, open' }, 'status', (s) => s === 'open' || s === 'closed')).toEqual(['open', 'closed']);
    expect(() => commaList({ status: 'open,pending' }, 'status', (s) => s === 'open')).toThrow(/pending/);
  });

  it('the date window defaults to 90 days and refuses a longer span', () => {
    const now = Date.UTC(2026, 10, 2, 2);
    const day = 86_400_000;
    expect(dateWindow({}, now)).toEqual({ from: now - 90 * day, to: now });
    expect(dateWindow({ start_date: '2026-10-01T00:00:00+08:00' }, now)).toEqual({ from: Date.UTC(2026, 8, 30, 16), to: Date.UTC(2026, 8, 30, 16) + 90 * day });
    expect(dateWindow({ end_date: '2026-10-01T00:00:00Z' }, now)).toEqual({ from: Date.UTC(2026, 9, 1) - 90 * day, to: Date.UTC(2026, 9, 1) });
    expect(() => dateWindow({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-06-01T00:00:00Z' }, now)).toThrow(/90 days/);
    expect(() => dateWindow({ start_date: '2026-06-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }, now)).toThrow(/before/);
    expect(() => dateWindow({ start_date: '2026-06-01 10:00' }, now)).toThrow(/W3C/);
  });

  it('paging defaults to the first 1,000 and caps page_size there', () => {
    expect(paging({})).toEqual({ page: 1, pageSize: 1000 });
    expect(paging({ page: '3', page_size: '20' })).toEqual({ page: 3, pageSize: 20 });
    for (const bad of [{ page: '0' }, { page_size: '1001' }, { page: '1.5' }, { page_size: 'all' }]) expect(() => paging(bad)).toThrow();
  });

  it('lat and long come together, in range', () => {
    expect(position({ lat: '39.9', long: '116.65' })).toEqual({ lat: 39.9, lon: 116.65 });
    expect(position({})).toBeUndefined();
    expect(() => position({ lat: '39.9' })).toThrow(/both/);
    expect(() => position({ lat: '91', long: '0' })).toThrow(/lat/);
    expect(() => position({ lat: '39', long: 'east' })).toThrow(/long/);
  });
});

describe('public text', () => {
  it('masks identity numbers, mobile and landline numbers and e-mail addresses', () => {
    expect(maskPersonalData('电话13812345678，身份证11010519491231002X，座机010-61234567')).toBe('电话138****5678，身份证110105********002X，座机010-****4567');
    expect(maskPersonalData('write to li.lei@example.cn')).toBe('write to [email]');
    expect(maskPersonalData('井盖编号 2026-001 缺失')).toBe('井盖编号 2026-001 缺失');
  });

  it('no mobile number survives, wherever it sits in the text', () => {
    fc.assert(fc.property(fc.string(), fc.stringMatching(/^1[3-9]\d{9}$/), fc.string(), (a, phone, b) => {
      expect(maskPersonalData(`${a} ${phone} ${b}`)).not.toContain(phone);
    }));
  });

  it('reporter names: family name first for Chinese, the client order otherwise', () => {
    expect(reporterName('小明', '王')).toBe('王小明');
    expect(reporterName('Jane', 'Doe')).toBe('Jane Doe');
    expect(reporterName(undefined, undefined)).toBeUndefined();
    expect(reporterName('x'.repeat(60), undefined)).toHaveLength(40);
  });
});
