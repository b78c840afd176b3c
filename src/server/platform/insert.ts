import { PostgresAdapter } from 'kysely';
import { runText, type Executor } from './db.js';

/**
 * INSERTs compiled here rather than by the query builder, for the two places where building them
 * cost more than the database's own work: the evaluation's bulk writers (rollups, marks, the demo
 * year, imports: a node per value for hundreds of thousands of rows) and the rows every report and
 * action writes (a case has forty columns; building its INSERT took longer than SQLite took to run
 * it). Every value is a bound parameter.
 *
 * A VALUES list of up to `rowsPerStatement` rows. Statements come in a few sizes only (powers of
 * two), so a driver that keeps prepared statements by their text reuses them instead of collecting
 * one per batch size.
 * PostgreSQL, from ARRAY_MIN_ROWS rows on: one array per column, taken apart by `unnest`
 * (`arrayInsert`), so a statement's text is the same for any number of rows. PostgreSQL parses a
 * VALUES list of thousands of parameters anew for every statement, and that parse and bind took
 * about as long as writing the rows (a chunk of an import's rollups, 17,000 rows: 1.0–1.4 s as
 * VALUES, 0.6–0.7 s as arrays). A few rows (a report's case and event) stay a VALUES list: as
 * arrays they cost the server more than they saved (intake 662–711 against 742–933 reports/s).
 */
const MAX_PARAMS = 30_000;
const ARRAY_MIN_ROWS = 32;
const ARRAY_MAX_ROWS = 10_000;

export type Cell = string | number | null | undefined;

export interface InsertOptions {
  /** Text after the VALUES list: `on conflict … do update …`, `returning …`. */
  suffix?: string;
  rowsPerStatement?: number;
}

interface Made { columns: readonly string[]; text: string }
const texts = new Map<string, Made[]>();
let made = 0;

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The statement's text, made once per table, columns, size and suffix (looked up without joining the columns). */
function statement(postgres: boolean, table: string, columns: readonly string[], rows: number, suffix: string): string {
  const key = `${postgres ? 'p' : 's'}|${table}|${rows}|${suffix}`;
  const list = texts.get(key);
  const hit = list?.find((m) => sameColumns(m.columns, columns));
  if (hit) return hit.text;
  let n = 0;
  const tuple = () => `(${columns.map(() => (postgres ? `$${++n}` : '?')).join(',')})`;
  const text = `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: rows }, tuple).join(',')}${suffix ? ` ${suffix}` : ''}`;
  if (++made > 500) {
    texts.clear();
    made = 1;
  }
  texts.set(key, [...(texts.get(key) ?? []), { columns: [...columns], text }]);
  return text;
}

/** Largest power of two not above n. */
function floorPow2(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

export async function insertRows<R = unknown>(
  db: Executor, table: string, columns: readonly string[], rows: readonly (readonly Cell[])[], opts: InsertOptions = {},
): Promise<R[]> {
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`${table}: a row has ${row.length} values for ${columns.length} columns`);
  }
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres && rows.length >= ARRAY_MIN_ROWS) return arrayInsert<R>(db, table, columns, rows, opts.suffix ?? '');
  const most = floorPow2(Math.min(opts.rowsPerStatement ?? 1024, Math.floor(MAX_PARAMS / Math.max(1, columns.length))));
  const out: R[] = [];
  for (let i = 0; i < rows.length; ) {
    const size = Math.min(most, floorPow2(rows.length - i));
    const params: unknown[] = [];
    for (const row of rows.slice(i, i + size)) for (const v of row) params.push(v ?? null);
    out.push(...(await runText<R>(db, statement(postgres, table, columns, size, opts.suffix ?? ''), params)));
    i += size;
  }
  return out;
}

/**
 * PostgreSQL: each table's column types, read from the catalog once per process (the arrays are
 * cast to them); migrations run before a process writes.
 */
const columnTypes = new Map<string, Promise<Map<string, string>>>();

function typesOf(db: Executor, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = runText<{ name: string; type: string }>(db,
      'select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = cast($1 as regclass) and attnum > 0 and not attisdropped',
      [table]).then((rows) => new Map(rows.map((r) => [r.name, r.type])));
    columnTypes.set(table, types);
    types.catch(() => columnTypes.delete(table));
  }
  return types;
}

/**
 * PostgreSQL: `insert into t (a, b) select * from unnest($1::text[], $2::bigint[]) …`, up to
 * ARRAY_MAX_ROWS rows a statement. unnest gives the rows in the arrays' order, so rows written in key
 * order (the rollups) still take their locks in that order.
 */
async function arrayInsert<R>(db: Executor, table: string, columns: readonly string[], rows: readonly (readonly Cell[])[], suffix: string): Promise<R[]> {
  const types = await typesOf(db, table);
  const casts = columns.map((c, i) => {
    const type = types.get(c);
    if (!type) throw new Error(`${table} has no column ${c}`);
    return `cast($${i + 1} as ${type}[])`;
  });
  const text = `insert into ${table} (${columns.join(',')}) select * from unnest(${casts.join(',')})${suffix ? ` ${suffix}` : ''}`;
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += ARRAY_MAX_ROWS) {
    const part = rows.slice(i, i + ARRAY_MAX_ROWS);
    out.push(...(await runText<R>(db, text, columns.map((_, c) => part.map((row) => row[c] ?? null)))));
  }
  return out;
}

/** `on conflict (keys) do update set c = table.c + excluded.c` for counters. */
export function addOnConflict(table: string, keys: readonly string[], counters: readonly string[]): string {
  return `on conflict (${keys.join(',')}) do update set ${counters.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(',')}`;
}

/** One row from an object whose keys are its columns (e.g. a case, a case event); `suffix` as above. */
export async function insertRow<R = unknown>(db: Executor, table: string, values: object, suffix = ''): Promise<R | undefined> {
  const [row] = await insertRows<R>(db, table, Object.keys(values), [Object.values(values) as Cell[]], { suffix });
  return row;
}
