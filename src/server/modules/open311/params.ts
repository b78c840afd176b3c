import { badRequest } from './errors.js';
import { parseW3c } from './format.js';

/**
 * Arguments as Open311 clients send them: query strings and form fields, every value a string, a
 * repeated name (media_url) a list. Reading them here keeps the routes free of string handling and
 * gives every mistake a 400 that names the argument.
 */
export type Fields = Record<string, string | string[] | undefined>;

export const MAX_SPAN_DAYS = 90;
export const MAX_PAGE_SIZE = 1000;
const DAY_MS = 86_400_000;

/** application/x-www-form-urlencoded, with repeated names kept as lists. */
export function parseForm(body: string): Fields {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

/** The field's value, trimmed; empty counts as absent (clients send empty fields freely). */
export function one(fields: Fields, name: string): string | undefined {
  const raw = fields[name];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return v ? v : undefined;
}

export function many(fields: Fields, name: string): string[] {
  const raw = fields[name] ?? fields[`${name}[]`];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((v) => v.trim()).filter(Boolean);
}

/** A comma-delimited argument (service_request_id=1,2,3), blanks dropped, each checked by `valid`. */
export function commaList(fields: Fields, name: string, valid: (v: string) => boolean, max = MAX_PAGE_SIZE): string[] | undefined {
  const v = one(fields, name);
  if (v === undefined) return undefined;
  const items = [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = items.filter((s) => !valid(s));
  if (bad.length) throw badRequest(`${name}: ${bad.slice(0, 5).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not valid.`);
  if (items.length > max) throw badRequest(`${name}: at most ${max} values.`);
  return items.length ? items : undefined;
}

/** `attribute[CODE]=value` fields, by code. */
export function attributesOf(fields: Fields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(fields)) {
    const m = /^attribute\[([A-Za-z0-9_-]{1,64})\]$/.exec(key);
    const v = m ? one(fields, key) : undefined;
    if (m && v !== undefined) out[m[1]!] = v;
  }
  return out;
}

export function requireFields(fields: Fields, names: readonly string[]): void {
  const missing = names.filter((n) => one(fields, n) === undefined);
  if (missing.length) throw badRequest(...missing.map((n) => `${n} is required.`));
}

function instant(fields: Fields, name: string): number | undefined {
  const v = one(fields, name);
  if (v === undefined) return undefined;
  const t = parseW3c(v);
  if (t === null) throw badRequest(`${name} must be a W3C date-time with its time zone, e.g. 2026-11-02T10:00:00+08:00.`);
  return t;
}

/**
 * The start_date/end_date window. Without both, the specification's default span of 90 days
 * applies, ending now or at end_date, or starting at start_date; a longer span is refused.
 */
export function dateWindow(fields: Fields, now: number): { from: number; to: number } {
  const start = instant(fields, 'start_date');
  const end = instant(fields, 'end_date');
  const span = MAX_SPAN_DAYS * DAY_MS;
  if (start === undefined && end === undefined) return { from: now - span, to: now };
  if (start === undefined) return { from: end! - span, to: end! };
  if (end === undefined) return { from: start, to: start + span };
  if (end < start) throw badRequest('end_date is before start_date.');
  if (end - start > span) throw badRequest(`start_date and end_date may not span more than ${MAX_SPAN_DAYS} days.`);
  return { from: start, to: end };
}

/** The paging extension: page counts from 1; page_size defaults to, and may not exceed, 1,000. */
export function paging(fields: Fields): { page: number; pageSize: number } {
  const int = (name: string, fallback: number, max: number) => {
    const v = one(fields, name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > max) throw badRequest(`${name} must be a whole number from 1 to ${max}.`);
    return n;
  };
  return { page: int('page', 1, 1_000_000), pageSize: int('page_size', MAX_PAGE_SIZE, MAX_PAGE_SIZE) };
}

/** lat and long in WGS-84 degrees, both or neither. */
export function position(fields: Fields): { lon: number; lat: number } | undefined {
  const lat = one(fields, 'lat');
  const lon = one(fields, 'long');
  if (lat === undefined && lon === undefined) return undefined;
  if (lat === undefined || lon === undefined) throw badRequest('lat and long go together: send both.');
  const y = Number(lat), x = Number(lon);
  if (!Number.isFinite(y) || y < -90 || y > 90) throw badRequest('lat must be a latitude in degrees (WGS-84).');
  if (!Number.isFinite(x) || x < -180 || x > 180) throw badRequest('long must be a longitude in degrees (WGS-84).');
  return { lon: x, lat: y };
}
