import { XMLBuilder } from 'fast-xml-parser';

/**
 * The wire formats of GeoReport v2. Every answer is built once as plain data (a document: a root
 * name and a value) and written either as JSON (the value itself: lists are arrays) or as XML (the
 * root element, lists wrapped in the element names the specification and FixMyStreet's client
 * expect: <services><service>, <service_requests><request>, <service_request_updates><request_update>,
 * <errors><error> …). XML is UTF-8 with a declaration and no namespaces; characters XML 1.0 cannot
 * carry are dropped so the document always parses.
 */
export const FORMATS = ['xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The element name of each item of a list, by the list's name. */
export const LIST_ITEMS: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

export type Scalar = string | number | boolean | null;
export interface Node {
  [key: string]: Scalar | Node | Node[] | Scalar[];
}
export interface Document {
  root: string;
  value: Node | Node[];
}

/** Tab, newline and carriage return are the only control characters XML 1.0 allows. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text XML can carry as it is: forbidden characters dropped, line ends written as \n (a parser reads \r\n and \r as \n anyway). */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '').replace(/\r\n?/g, '\n');
}

function itemName(list: string): string {
  const item = LIST_ITEMS[list];
  if (!item) throw new Error(`No item element name for the list ${list}.`);
  return item;
}

function toXmlValue(name: string, value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return xmlSafe(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const item = itemName(name);
    // an empty list is an empty element, not an absent one
    return value.length === 0 ? '' : { [item]: value.map((v) => toXmlValue(item, v)) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== undefined) out[k] = toXmlValue(k, v);
  }
  return out;
}

// no indentation: whitespace between elements would be text to a parser that keeps it
const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true });

export function renderXml(doc: Document): string {
  const body = builder.build({ [doc.root]: toXmlValue(doc.root, doc.value) }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export function renderJson(doc: Document): string {
  return JSON.stringify(doc.value);
}

export function render(doc: Document, format: Format): string {
  return format === 'xml' ? renderXml(doc) : renderJson(doc);
}

/** The format named by a path's extension (`services.xml`, `requests/123.json`), or null. */
export function formatOfPath(path: string): Format | null {
  const m = /\.(xml|json)$/i.exec(path.split('?')[0] ?? '');
  return m ? (m[1]!.toLowerCase() as Format) : null;
}

/** Splits `123.xml` into its id and format; null when the extension is not one we serve. */
export function splitExtension(file: string): { id: string; format: Format } | null {
  const m = /^(.+)\.(xml|json)$/i.exec(file);
  return m ? { id: m[1]!, format: m[2]!.toLowerCase() as Format } : null;
}

const BEIJING_OFFSET_MS = 8 * 3600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * W3C date-time with the time zone, as the specification requires. The district works in Beijing
 * time, so answers carry +08:00 (the same instant a client can compare with any other zone).
 */
export function w3c(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000 + BEIJING_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a W3C date-time. A time must carry its zone (Z or ±HH:MM); a bare date is midnight in
 * Beijing, the district's day. Returns null for anything else, including impossible dates.
 */
export function parseW3c(text: string): number | null {
  const m = W3C_DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== undefined && zone === undefined) return null;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h ?? 0), minute = Number(mi ?? 0), second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(local).getUTCDate() !== day) return null; // 2026-02-30 and the like
  let offsetMs = BEIJING_OFFSET_MS;
  if (zone !== undefined) {
    if (zone === 'Z') offsetMs = 0;
    else {
      const sign = zone[0] === '-' ? -1 : 1;
      const [zh, zm] = zone.slice(1).split(':').map(Number);
      if (zh! > 23 || zm! > 59) return null;
      offsetMs = sign * (zh! * 3600_000 + zm! * 60_000);
    }
  }
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return local - offsetMs + millis;
}
