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
export function formatTime(ms: number | null, _lang?: string): string | null {
  if (ms === null) return null;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** File sizes for the upload: 1.2 MB, 830 KB. */
export function formatBytes(bytes: number, lang: string): string {
  const nf = (v: number, digits: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(v);
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024, 0)} KB`;
  return `${nf(bytes / 1024 / 1024, 1)} MB`;
}

/** A JSON value as dotted "path" → plain value pairs (arrays keep their place: grants.0.role). */
function flatten(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value === null || value === undefined) return out;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, path ? `${path}.${k}` : k, out);
    return out;
  }
  out.set(path, String(value));
  return out;
}

/**
 * The audit detail column holds JSON; show it as "key: value" pairs people can read. A change
 * recorded as its values before and after (a setting) shows only what changed: "grades.A: 90 → 85".
 */
export function describeDetail(detail: string | null): string {
  if (!detail) return '';
  try {
    const value = JSON.parse(detail) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return String(value);
    const { before, after, ...rest } = value as Record<string, unknown>;
    const pairs = [...flatten(rest, '', new Map())].map(([k, v]) => `${k}: ${v}`);
    if (before && after && typeof before === 'object' && typeof after === 'object') {
      const was = flatten(before, '', new Map());
      const now = flatten(after, '', new Map());
      for (const k of new Set([...was.keys(), ...now.keys()])) {
        if (was.get(k) !== now.get(k)) pairs.push(`${k}: ${was.get(k) ?? '—'} → ${now.get(k) ?? '—'}`);
      }
    } else {
      pairs.push(...[...flatten({ before, after }, '', new Map())].map(([k, v]) => `${k}: ${v}`));
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
