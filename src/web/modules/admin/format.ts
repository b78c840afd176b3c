import { BEIJING_OFFSET_MS } from '../../../shared/evaluation/periods.js';
import { passwordProblem } from '../../../shared/password.js';

/** The server's password rule, for a message before the round trip. */
export function passwordOk(password: string): boolean {
  return passwordProblem(password) === null;
}

// No 0/O, 1/l/I: the password is read aloud or copied by hand to the person it belongs to.
const LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A 14-character password with letters and digits, from the browser's cryptographic generator. */
export function generatePassword(random: (n: number) => Uint32Array = (n) => crypto.getRandomValues(new Uint32Array(n))): string {
  const alphabet = LETTERS + DIGITS;
  for (;;) {
    const password = Array.from(random(14), (v) => alphabet[v % alphabet.length]).join('');
    if (passwordOk(password)) return password;
  }
}

/**
 * Dates in the audit log and lists, Beijing time, written as everywhere else in the console
 * (2026-11-02 10:00:05) in either language: the US order of English locales reads wrongly here.
 */
export function formatTime(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** File sizes for the upload: 1.2 MB, 830 KB. */
export function formatBytes(bytes: number, lang: string): string {
  const nf = (v: number, digits: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(v);
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024, 0)} KB`;
  return `${nf(bytes / 1024 / 1024, 1)} MB`;
}

/** How the audit column names what it shows; without them, the recorded names themselves. */
export interface DetailWords {
  /** A recorded field's name in the reader's language (username → 用户名), or undefined to keep it. */
  key?: (name: string) => string | undefined;
  /** A role code as its label (street_dispatcher → 街道调度员). */
  role?: (role: string) => string;
  /** Joins a list (、 or , ). */
  join?: (items: string[]) => string;
  /** A recorded code as words (reason: locked → 账号已锁定), or undefined to keep it. */
  value?: (name: string, value: string) => string | undefined;
}

/** A JSON value as dotted "path" → plain value pairs (arrays keep their place: grants.0.role). */
function flatten(value: unknown, path: string, out: Map<string, string>, words: DetailWords): Map<string, string> {
  if (value === null || value === undefined) return out;
  // a list of plain values reads as one: grids: 110112001006001、110112001006002
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    if (value.length) out.set(path, (words.join ?? ((xs) => xs.join(', ')))(value.map(String)));
    return out;
  }
  // grants read as "role · place": 街道调度员 · 110112001
  if (Array.isArray(value) && value.every(isGrant)) {
    if (value.length) out.set(path, (words.join ?? ((xs) => xs.join(', ')))(value.map((g) => grantText(g, words))));
    return out;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, path ? `${path}.${k}` : k, out, words);
    return out;
  }
  const text = String(value);
  out.set(path, path.endsWith('role') && words.role ? words.role(text) : (words.value?.(path, text) ?? text));
  return out;
}

interface GrantRecord { role: string; division_code?: string | null; department_id?: number | null }
function isGrant(v: unknown): v is GrantRecord {
  return !!v && typeof v === 'object' && typeof (v as GrantRecord).role === 'string';
}
function grantText(g: GrantRecord, words: DetailWords): string {
  const role = words.role ? words.role(g.role) : g.role;
  const place = g.division_code ?? (g.department_id != null ? `${words.key?.('department_id') ?? 'department_id'} ${g.department_id}` : null);
  return place ? `${role} · ${place}` : role;
}

/** A recorded name in the reader's words where they know it (username → 用户名); the dotted paths of settings stay as recorded. */
function label(path: string, words: DetailWords): string {
  return words.key?.(path) ?? path;
}

/**
 * The audit detail column holds JSON; show it as "key: value" pairs people can read, with the
 * reader's words for the names and roles when given. A change recorded as its values before and
 * after (a setting) shows only what changed: "grades.A: 90 → 85".
 */
export function describeDetail(detail: string | null, words: DetailWords = {}): string {
  if (!detail) return '';
  try {
    const value = JSON.parse(detail) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return String(value);
    const { before, after, ...rest } = value as Record<string, unknown>;
    const pairs = [...flatten(rest, '', new Map(), words)].map(([k, v]) => `${label(k, words)}: ${v}`);
    if (before && after && typeof before === 'object' && typeof after === 'object') {
      const was = flatten(before, '', new Map(), words);
      const now = flatten(after, '', new Map(), words);
      for (const k of new Set([...was.keys(), ...now.keys()])) {
        if (was.get(k) !== now.get(k)) pairs.push(`${label(k, words)}: ${was.get(k) ?? '—'} → ${now.get(k) ?? '—'}`);
      }
    } else {
      pairs.push(...[...flatten({ before, after }, '', new Map(), words)].map(([k, v]) => `${label(k, words)}: ${v}`));
    }
    return pairs.join('; ');
  } catch {
    return detail;
  }
}

/** Audit action codes (auth.login) as locale keys (auth_login): i18next splits keys on dots. */
export function actionKey(action: string): string {
  return action.replace(/\./g, '_');
}
