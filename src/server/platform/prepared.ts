import { CompiledQuery, type Compilable } from 'kysely';
import { heldConnection, onPostgres, type Executor } from './db.js';

/**
 * A query the builder makes and compiles once, then runs with new values: for the few reads of every
 * report where building and compiling took longer than the database took to answer (see
 * platform/insert.ts for the writes). `build` receives stand-ins for the values and must only place
 * them (no arithmetic on them, no lists of varying length); every stand-in becomes a bound parameter.
 */
export function prepared<P extends Record<string, unknown>, R>(build: (db: Executor, values: P) => Compilable<R>) {
  const made = new Map<boolean, { sql: string; slots: ({ name: string } | { value: unknown })[] }>();
  const MARK = '\u0000prepared:';
  return async (db: Executor, values: P): Promise<R[]> => {
    const postgres = onPostgres(db);
    let query = made.get(postgres);
    if (!query) {
      const standIns = new Proxy({}, { get: (_, key) => `${MARK}${String(key)}` }) as P;
      const compiled = build(db, standIns).compile();
      query = {
        sql: compiled.sql,
        slots: compiled.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { value: v })),
      };
      made.set(postgres, query);
    }
    const params = query.slots.map((s) => ('name' in s ? values[s.name] : s.value));
    const held = heldConnection(db);
    if (held) return held(query.sql).all(params) as R[];
    return (await db.executeQuery<R>(CompiledQuery.raw(query.sql, params))).rows;
  };
}
