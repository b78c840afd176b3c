import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import type { DbHandle } from '../server/platform/db.js';

/**
 * Exit code of a command line or setting that cannot be read (commander's own errors exit with it
 * too, see index.ts). 1 is a command that ran and failed, or found problems (`grids check`).
 */
export const USAGE_EXIT = 2;

/**
 * Exit code of `import cases --skip-invalid` that imported the valid rows and left others out: the
 * import ran (0 would say every row went in, 1 that nothing did), so a script can tell the three apart.
 */
export const SKIPPED_EXIT = 3;

export function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(USAGE_EXIT);
    }
    throw e;
  }
}

/**
 * Opens the configured database (loaded when a command first needs it), migrated, for `fn`. Only a
 * command that builds a database passes `create` (the demo): any other, run in the wrong directory
 * or with the wrong settings, would otherwise make a new empty database there and find nothing in it.
 */
export async function withDb<T>(fn: (h: DbHandle, cfg: Config) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
  const cfg = config();
  if (!opts.create) assertDatabaseExists(cfg);
  const { openDatabase } = await import('../server/platform/db.js');
  const h = openDatabase(cfg.database);
  try {
    await migrate(h, cfg);
    return await fn(h, cfg);
  } finally {
    await h.close();
  }
}

/**
 * SQLite: refuses when the database file is missing, naming the path and the setting it came from
 * (opening it would create it). A PostgreSQL database exists by definition: reaching it is `migrate`'s.
 */
export function assertDatabaseExists(cfg: Config): void {
  const { database } = cfg;
  if (database.kind !== 'sqlite' || database.file === ':memory:' || existsSync(database.file)) return;
  const url = process.env.DATABASE_URL;
  const from = url ? `DATABASE_URL=${url}` : `ONEGRID_DATA_DIR=${cfg.dataDir}${process.env.ONEGRID_DATA_DIR ? '' : ', the default'}`;
  throw new Error(`No database at ${resolve(database.file)} (${from}); run "onegrid migrate" to create one, or set ${url ? 'DATABASE_URL' : 'ONEGRID_DATA_DIR'}.`);
}

/**
 * Brings an open database to this version's migrations; returns the ones applied. The migrator
 * reports every failure as a failed migration (an unreachable server reads "Migration  failed:
 * connect ECONNREFUSED"), so the two an operator meets (no server, a database of a newer version)
 * are looked for first and told in their words.
 */
export async function migrate(h: DbHandle, cfg: Config): Promise<string[]> {
  await assertReachable(h, cfg.database);
  await assertNotNewer(h);
  const { migrateToLatest } = await import('../server/db/migrator.js');
  return migrateToLatest(h.db);
}

/** Network errors that mean nothing answers at the address (the server down, a wrong host or port). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** PostgreSQL: one query, so that a connection that fails says where it tried (never with the URL's password). */
async function assertReachable(h: DbHandle, database: Config['database']): Promise<void> {
  if (database.kind !== 'postgres') return;
  const { pingDatabase } = await import('../server/platform/db.js');
  try {
    await pingDatabase(h.db);
  } catch (e) {
    // Node gives an AggregateError (no message) when every address of a name refused
    const err = e as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
    const code = err.code ?? err.errors?.[0]?.code;
    const where = `Cannot connect to the database at ${serverOf(database.url)}`;
    if (code && UNREACHABLE.has(code)) {
      const hint = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'is the host name right?' : 'is PostgreSQL running?';
      throw new Error(`${where} (${err.syscall ?? err.errors?.[0]?.syscall ?? 'connect'} ${code}); ${hint}`);
    }
    // the server answered and refused: a wrong user, password or database name (its message names no password)
    throw new Error(`${where}: ${err.message || code || String(e)}.`);
  }
}

/** host:port of a PostgreSQL URL, without the user and password (the host may be a socket's folder, given as ?host=). */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || u.searchParams.get('port') || '5432'}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

/**
 * Refuses a database that has migrations this version does not know: a newer OneGrid migrated it,
 * and this one would run against tables it does not understand.
 */
async function assertNotNewer(h: DbHandle): Promise<void> {
  const [{ sql }, { migrations }] = await Promise.all([import('kysely'), import('../server/db/migrations/index.js')]);
  // the table the migrator keeps (db/migrator.ts); a new database has none yet
  if (!(await h.db.introspection.getTables()).some((t) => t.name === 'onegrid_migrations')) return;
  const { rows } = await sql<{ name: string }>`select name from onegrid_migrations order by name`.execute(h.db);
  const unknown = rows.map((r) => r.name).filter((name) => !Object.hasOwn(migrations, name));
  if (unknown.length === 0) return;
  const which = unknown.length === 1 ? `migration ${unknown[0]}, which this version does not know` : `migrations ${unknown.join(', ')}, which this version does not know`;
  throw new Error(`This database was migrated by a newer OneGrid (it has ${which}); run the newer version, or restore a backup made for this one.`);
}
