import { XMLParser } from 'fast-xml-parser';
import { IN_A1, type CasesTestContext } from '../cases/cases.testing.js';

/**
 * Test support for the Open311 API: the cases test district (six grids, see cases.testing.ts) with
 * client systems' API keys made through POST /api/apikeys, a real XML parser that reads lists as
 * lists, and helpers that send what Open311 clients send (query strings and form bodies).
 */
export interface Open311TestContext extends CasesTestContext {
  /** A street dispatcher's key for 中仓街道, as a FixMyStreet installation would be given. */
  key: string;
  /** A district dispatcher's key of a second client. */
  otherKey: string;
}

export const BASE = '/open311/v2';
export const IN_STREET_A = IN_A1;

/** The element names GeoReport v2 repeats: always read as arrays, even with one item. */
const LIST_ITEMS = ['service', 'request', 'request_update', 'error', 'attribute', 'value', 'format', 'endpoint'];
export const xml = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (name) => LIST_ITEMS.includes(name) });

export async function createApiKey(t: CasesTestContext, body: Record<string, unknown>): Promise<{ id: number; key: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/apikeys', headers: t.as.admin, payload: body });
  if (res.statusCode !== 201) throw new Error(`API key not created: ${res.statusCode} ${res.body}`);
  return res.json() as { id: number; key: string };
}

/** Gives the cases test district two client systems with their keys. */
export async function withOpen311Clients(t: CasesTestContext): Promise<Open311TestContext> {
  const { key } = await createApiKey(t, { name: 'FixMyStreet 通州', role: 'street_dispatcher', divisionCode: '110112001' });
  const { key: otherKey } = await createApiKey(t, { name: '12345 接诉即办', role: 'district_dispatcher', divisionCode: '110112' });
  return Object.assign(t, { key, otherKey });
}

export type Query = Record<string, string | number | undefined>;

function qs(query: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) p.append(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** The parsed body: XML through a real parser, or JSON. */
  doc: any;
}

function parsed(res: { statusCode: number; headers: Record<string, unknown>; body: string }, format: 'xml' | 'json'): Answer {
  const contentType = String(res.headers['content-type'] ?? '');
  const doc = format === 'xml' ? xml.parse(res.body) : JSON.parse(res.body);
  return { status: res.statusCode, contentType, body: res.body, doc };
}

export async function get(t: Open311TestContext, path: string, format: 'xml' | 'json', query: Query = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await t.app.inject({ method: 'GET', url: `${BASE}/${path}.${format}${qs(query)}`, headers });
  return parsed(res, format);
}

/** A form-encoded POST, as FixMyStreet sends it; repeated values as arrays. */
export async function post(t: Open311TestContext, path: string, format: 'xml' | 'json', fields: Record<string, string | string[] | number | undefined>): Promise<Answer> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) p.append(k, String(item));
  }
  const res = await t.app.inject({
    method: 'POST', url: `${BASE}/${path}.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: p.toString(),
  });
  return parsed(res, format);
}

/** The Open311 error list of an answer, in either format, as {code, description} with numeric codes. */
export function errorsOf(a: Answer, format: 'xml' | 'json'): { code: number; description: string }[] {
  const list = format === 'xml' ? a.doc.errors.error : a.doc;
  return (list as { code: string | number; description: string }[]).map((e) => ({ code: Number(e.code), description: e.description }));
}

/** The items of a list answer: XML through its item element, JSON as the array itself. */
export function itemsOf(a: Answer, format: 'xml' | 'json', root: string, item: string): Record<string, any>[] {
  if (format === 'json') return a.doc as Record<string, any>[];
  const r = a.doc[root];
  return r === '' ? [] : (r[item] as Record<string, any>[]);
}

/** A report the way FixMyStreet sends one, for a street-level event in 中仓街道. */
export function fmsReport(t: Open311TestContext, extra: Record<string, string | undefined> = {}) {
  return {
    api_key: t.key,
    jurisdiction_id: '110112',
    service_code: '06001',
    lat: String(IN_STREET_A.lat),
    long: String(IN_STREET_A.lon),
    address_string: '中仓街道 新华西街 12 号',
    description: '人行道上私搭彩钢房，联系电话 13812345678',
    first_name: '小明',
    last_name: '王',
    email: 'xiaoming@example.cn',
    phone: '13812345678',
    'attribute[condition]': '06001-01',
    ...extra,
  };
}
