import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { EVALUATION_SCHEMA, EVALUATION_TABLES, onPostgres, type Db } from '../platform/db.js';
import { getSetting, setSetting } from '../platform/settings.js';
import { migrations } from './migrations/index.js';

/** Numbered migrations, one set for both dialects, recorded in the `onegrid_migrations` table. */
class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export function createMigrator(db: Db) {
  return new Migrator({
    db: db as never,
    provider: new StaticProvider(),
    migrationTableName: 'onegrid_migrations',
    migrationLockTableName: 'onegrid_migrations_lock',
  });
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  await moveEvaluationTables(db);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * SQLite: the evaluation's tables into the evaluation's own file (see EVALUATION_SCHEMA in
 * platform/db.ts), with their indexes, the same columns and rows. The migrations create them in
 * the main file; here each still there is copied over in one transaction (which writes only the
 * evaluation's file), then dropped from the main file in another. Either can be cut short: the next
 * start copies again from the main file, which still holds everything until its copy is dropped.
 * A reference from the evaluation's file to a case cannot be kept (SQLite's foreign keys stay
 * within a file); the cases are never deleted.
 *
 * The tables' definitions are kept in the main file's settings as well. If the evaluation's file
 * is lost (a main file restored without it), it is made again from them, empty, and every case is
 * marked for counting: the catch-up counts them all again from their histories.
 */
export async function moveEvaluationTables(db: Db): Promise<void> {
  if (onPostgres(db)) return;
  for (const table of EVALUATION_TABLES) {
    const { rows } = await sql<{ type: string; sql: string }>`select type, sql from main.sqlite_master where tbl_name = ${table} and sql is not null order by type = 'table' desc`.execute(db);
    if (rows.length === 0) continue; // moved already
    const quoted = `"${table}"`;
    await db.transaction().execute(async (tx) => {
      await sql.raw(`drop table if exists ${EVALUATION_SCHEMA}.${quoted}`).execute(tx);
      for (const r of rows) await sql.raw(inEvaluationFile(r.sql)).execute(tx);
      await sql.raw(`insert into ${EVALUATION_SCHEMA}.${quoted} select * from main.${quoted}`).execute(tx);
    });
    await db.transaction().execute((tx) => sql.raw(`drop table main.${quoted}`).execute(tx));
  }
  const { rows: present } = await sql<{ name: string; tbl_name: string; sql: string }>`select name, tbl_name, sql from ${sql.raw(EVALUATION_SCHEMA)}.sqlite_master where sql is not null order by type = 'table' desc, name`.execute(db);
  const have = new Set(present.map((r) => r.tbl_name));
  if (EVALUATION_TABLES.every((t) => have.has(t))) {
    const schema = JSON.stringify(present.filter((r) => (EVALUATION_TABLES as readonly string[]).includes(r.tbl_name)).map((r) => inEvaluationFile(r.sql)));
    if ((await getSetting(db, EVALUATION_SCHEMA_KEY)) !== schema) await setSetting(db, EVALUATION_SCHEMA_KEY, schema, Date.now());
    return;
  }
  const schema = await getSetting(db, EVALUATION_SCHEMA_KEY);
  if (!schema) throw new Error(`The evaluation's file lacks its tables (${EVALUATION_TABLES.filter((t) => !have.has(t)).join(', ')}), and their definitions are unknown`);
  await db.transaction().execute(async (tx) => {
    for (const table of EVALUATION_TABLES) await sql.raw(`drop table if exists ${EVALUATION_SCHEMA}."${table}"`).execute(tx);
    for (const create of JSON.parse(schema) as string[]) await sql.raw(create).execute(tx);
    await sql`insert into eval_catchup (id, turn) values (1, 0)`.execute(tx);
  });
  // every case to count again, as of its latest event
  await db.transaction().execute((tx) => sql`insert into eval_pending (case_id, event_id)
    select case_id, max(id) from case_events group by case_id
    on conflict (case_id) do update set event_id = excluded.event_id`.execute(tx));
}

/** Setting (main file): the evaluation's tables and indexes as created in its file, to make it again if it is lost. */
const EVALUATION_SCHEMA_KEY = 'evaluation.file_schema';

/** A table's or index's CREATE statement (as SQLite stores it) for the evaluation's file, without references to the main file. */
function inEvaluationFile(create: string): string {
  if (create.match(new RegExp(`^CREATE (?:UNIQUE )?(?:TABLE|INDEX) ${EVALUATION_SCHEMA}\\.`, 'i'))) return create;
  const moved = create.replace(/^(CREATE (?:UNIQUE )?(?:TABLE|INDEX) )("[^"]+")/i, `$1${EVALUATION_SCHEMA}.$2`);
  if (moved === create) throw new Error(`Cannot move to the evaluation's file: ${create}`);
  return moved.replace(/ references "[^"]+" \("[^"]+"\)( on (delete|update) (cascade|restrict|set null|no action))*/gi, '');
}
