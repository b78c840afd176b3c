import { sql, type Kysely } from 'kysely';

/**
 * A district brings in several old systems (the old 12345 hotline's, the old 数字城管's), and each
 * numbered its cases on its own: the same 原系统编号 can name two different cases in two systems.
 * So a number is now kept with the name of the system it comes from (`source_system`, given to the
 * import: `onegrid import cases --system`, the upload's `system`), and is unique per (system,
 * number). Numbers imported without a system name share one namespace, '' (not null: a key's
 * columns cannot be null on PostgreSQL, and SQLite would let two nulls through), which is where the
 * numbers kept before this migration go, so they keep their meaning. Each import also records its
 * system (`eval_imports.source_system`, null for none), so the list of imports says it for an import
 * still running in another process too.
 *
 * SQLite cannot change a table's primary key in place: the table is built again under its own name
 * on both databases (one way for both; a copy of short rows, seconds for a million numbers).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('import_source_ids_023')
    .addColumn('source_system', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('import_id', 'bigint', (c) => c.references('eval_imports.id'))
    // the system first: an import looks its numbers up within its own system
    .addPrimaryKeyConstraint('import_source_ids_system_number', ['source_system', 'source_id'])
    .execute();
  await sql`insert into import_source_ids_023 (source_system, source_id, case_id, import_id)
    select '', source_id, case_id, import_id from import_source_ids`.execute(db);
  await db.schema.dropTable('import_source_ids').execute();
  await db.schema.alterTable('import_source_ids_023').renameTo('import_source_ids').execute();
  // undoing an import deletes its cases, and the databases look up each one's number by it
  await db.schema.createIndex('import_source_ids_case').on('import_source_ids').column('case_id').execute();
  await db.schema.alterTable('eval_imports').addColumn('source_system', 'text').execute();
}

/** Back to one namespace: of a number kept for several systems, the shared namespace's (or else the first system's by name) stays. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('eval_imports').dropColumn('source_system').execute();
  await db.schema.createTable('import_source_ids_022')
    .addColumn('source_id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('import_id', 'bigint', (c) => c.references('eval_imports.id'))
    .execute();
  await sql`insert into import_source_ids_022 (source_id, case_id, import_id)
    select source_id, case_id, import_id from import_source_ids o
    where not exists (select 1 from import_source_ids p where p.source_id = o.source_id and p.source_system < o.source_system)`.execute(db);
  await db.schema.dropTable('import_source_ids').execute();
  await db.schema.alterTable('import_source_ids_022').renameTo('import_source_ids').execute();
  await db.schema.createIndex('import_source_ids_case').on('import_source_ids').column('case_id').execute();
}
