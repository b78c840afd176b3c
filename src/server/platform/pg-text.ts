import type { CompiledQuery, QueryResult } from 'kysely';
import pg from 'pg';

/**
 * Statements sent together in one message of PostgreSQL's simple protocol, which takes no
 * parameters: their values are written into the text as quoted literals, exactly as the extended
 * protocol would have sent them (text of unknown type, which the server reads by the column's or
 * the operator's type). Used by write transactions (platform/write-behind).
 */

/** A statement's text cut at its parameters: text, parameter number, text, … (null: it cannot travel as text). */
type Cut = { texts: string[]; params: number[] } | null;
const cuts = new Map<string, Cut>();

/**
 * A statement's text can travel in the simple protocol when every `$n` in it is a parameter and it
 * is one statement: `$n` is looked for outside quoted strings and quoted names; a text with a
 * semicolon, a comment, a dollar-quoted string or an escape string (E'…') outside them is sent
 * with its parameters instead. Cut once per text.
 */
function cutOf(sql: string): Cut {
  let cut = cuts.get(sql);
  if (cut !== undefined) return cut;
  cut = scan(sql);
  if (cuts.size >= 1000) cuts.clear();
  cuts.set(sql, cut);
  return cut;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Past the quoted string or name opening at `i` (doubled quotes inside), or -1 if it does not close. */
function pastQuoted(sql: string, i: number): number {
  const q = sql[i];
  for (let j = i + 1; j < sql.length; j++) {
    if (sql[j] !== q) continue;
    if (sql[j + 1] === q) j++;
    else return j + 1;
  }
  return -1;
}

function scan(sql: string): Cut {
  const texts: string[] = [];
  const params: number[] = [];
  let from = 0;
  for (let i = 0; i < sql.length;) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // E'…' takes backslash escapes: not ours to read
      if (c === "'" && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isWordChar(sql[i - 2])) return null;
      i = pastQuoted(sql, i);
      if (i < 0) return null;
    } else if (c === '$') {
      const m = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      // a dollar quote, or a dollar inside a name
      if (!m || isWordChar(sql[i - 1])) return null;
      texts.push(sql.slice(from, i));
      params.push(Number(m[1]) - 1);
      i += m[0].length;
      from = i;
    } else if (c === ';' || (c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) {
      return null;
    } else {
      i++;
    }
  }
  texts.push(sql.slice(from));
  return { texts, params };
}

function scalar(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && !v.includes('\0')) || (typeof v === 'number' && Number.isFinite(v))
    || typeof v === 'bigint' || typeof v === 'boolean';
}

/** Values the simple protocol carries as the extended one would: strings, numbers, booleans, nulls, bytes and lists of the first four (not dates, objects). */
function plain(v: unknown): boolean {
  return scalar(v) || Buffer.isBuffer(v) || (Array.isArray(v) && v.every(scalar));
}

export function inlinable(q: CompiledQuery): boolean {
  return cutOf(q.sql) !== null && q.parameters.every(plain);
}

/** A value as the extended protocol sends it (text of unknown type), as a quoted literal; a list as node-postgres writes an array. */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Buffer.isBuffer(v)) return pg.escapeLiteral(`\\x${v.toString('hex')}`);
  if (Array.isArray(v)) {
    const items = v.map((e) => (e === null || e === undefined ? 'NULL' : `"${String(e).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
    return pg.escapeLiteral(`{${items.join(',')}}`);
  }
  return pg.escapeLiteral(String(v));
}

/** The statement's text with its values written in (for a statement `inlinable` accepted). */
export function inlined(q: CompiledQuery): string {
  const cut = cutOf(q.sql);
  if (!cut) throw new Error('this statement cannot be written as text');
  let out = cut.texts[0]!;
  for (let i = 0; i < cut.params.length; i++) {
    const n = cut.params[i]!;
    if (n < 0 || n >= q.parameters.length) throw new Error(`statement refers to parameter $${n + 1} of ${q.parameters.length}`);
    out += literal(q.parameters[n]) + cut.texts[i + 1]!;
  }
  return out;
}

export function resultOf(r: pg.QueryResult): QueryResult<unknown> {
  const { command, rowCount, rows } = r;
  if (command === 'ROLLBACK' || command === 'COMMIT') return { rows: [{ command }] };
  return {
    numAffectedRows: command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' ? BigInt(rowCount ?? 0) : undefined,
    rows: rows ?? [],
  };
}

/** What a simple query of several statements answered for its last one. */
export function last(r: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
  return Array.isArray(r) ? r[r.length - 1]! : r;
}

const plainInserts = new Map<string, boolean>();

/** An INSERT given as text that answers nothing: no RETURNING, no DO NOTHING (whose count would matter). */
export function plainInsertText(sql: string): boolean {
  let yes = plainInserts.get(sql);
  if (yes === undefined) {
    yes = /^\s*insert\s+into\s/i.test(sql) && !/\breturning\b|\bdo\s+nothing\b/i.test(sql);
    if (plainInserts.size >= 1000) plainInserts.clear();
    plainInserts.set(sql, yes);
  }
  return yes;
}
