import { PostgresAdapter } from 'kysely';
import { runText, type Executor } from './db.js';

/**
 * INSERTs compiled here rather than by the query builder, for the two places where building them
 * cost more than the database's own work: the evaluation's bulk writers (rollups, marks, the demo
 * year, imports: a node per value for hundreds of thousands of rows) and the rows every report and
 * action writes (a case has forty columns; building its INSERT took longer than SQLite took to run
 * it). Every value is a bound parameter.
 * Statements come in a few sizes only (powers of two), so a driver that keeps prepared statements
 * by their text reuses them instead of collecting one per batch size.
 */
const MAX_PARAMS = 30_000;

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
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const most = floorPow2(Math.min(opts.rowsPerStatement ?? 1024, Math.floor(MAX_PARAMS / Math.max(1, columns.length))));
  const out: R[] = [];
  for (let i = 0; i < rows.length; ) {
    const size = Math.min(most, floorPow2(rows.length - i));
    const params: unknown[] = [];
    for (const row of rows.slice(i, i + size)) {
      if (row.length !== columns.length) throw new Error(`${table}: a row has ${row.length} values for ${columns.length} columns`);
      for (const v of row) params.push(v ?? null);
    }
    out.push(...(await runText<R>(db, statement(postgres, table, columns, size, opts.suffix ?? ''), params)));
    i += size;
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
