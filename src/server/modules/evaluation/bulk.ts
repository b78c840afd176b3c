import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Executor } from '../../platform/db.js';

/**
 * Multi-row INSERTs for the evaluation's bulk writers (rollups, marks, the demo year, imports),
 * compiled here rather than by the query builder: building a node per value for hundreds of
 * thousands of rows cost more than the database's own work. Numbers and plain codes (letters,
 * digits, `_ : . -`) are written as literals; any other text is a bound parameter, so no value
 * from outside is ever spliced into the SQL.
 */
const PLAIN = /^[\w:.\-]*$/;
const MAX_PARAMS = 30_000;

export type Cell = string | number | null | undefined;

export interface InsertOptions {
  /** Text after the VALUES list: `on conflict … do update …`, `returning …`. */
  suffix?: string;
  rowsPerStatement?: number;
}

function compile(postgres: boolean, table: string, columns: readonly string[], rows: readonly (readonly Cell[])[], suffix: string): CompiledQuery {
  const params: unknown[] = [];
  const parts: string[] = [];
  for (const row of rows) {
    const cells: string[] = [];
    for (const v of row) {
      if (v === null || v === undefined) cells.push('null');
      else if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new Error(`${table}: not a finite number: ${v}`);
        cells.push(String(v));
      } else if (PLAIN.test(v)) cells.push(`'${v}'`);
      else {
        params.push(v);
        cells.push(postgres ? `$${params.length}` : '?');
      }
    }
    parts.push(`(${cells.join(',')})`);
  }
  const sql = `insert into ${table} (${columns.join(',')}) values ${parts.join(',')}${suffix ? ` ${suffix}` : ''}`;
  return CompiledQuery.raw(sql, params);
}

export async function insertRows<R = unknown>(
  db: Executor, table: string, columns: readonly string[], rows: readonly (readonly Cell[])[], opts: InsertOptions = {},
): Promise<R[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const per = Math.max(1, Math.min(opts.rowsPerStatement ?? 1000, Math.floor(MAX_PARAMS / Math.max(1, columns.length))));
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const res = await db.executeQuery<R>(compile(postgres, table, columns, rows.slice(i, i + per), opts.suffix ?? ''));
    out.push(...res.rows);
  }
  return out;
}

/** `on conflict (keys) do update set c = table.c + excluded.c` for counters. */
export function addOnConflict(table: string, keys: readonly string[], counters: readonly string[]): string {
  return `on conflict (${keys.join(',')}) do update set ${counters.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(',')}`;
}
