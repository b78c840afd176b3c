import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * Historical imports write in short transactions, a chunk of cases each, so the server goes on
 * answering while one runs (evaluation/import). Each chunk's case ids are kept until the import
 * ends, so an import that fails, or a process that stops during one, can be undone whole; and the
 * import's row says when it last moved (`beat_at`), so an import nobody is running any more can be
 * told from one still running on another process.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('eval_imports').addColumn('beat_at', 'bigint').execute();
  await withId(db, db.schema.createTable('eval_import_cases'))
    .addColumn('import_id', 'bigint', (c) => c.notNull().references('eval_imports.id'))
    .addColumn('case_ids', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eval_import_cases_import').on('eval_import_cases').column('import_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('eval_import_cases').execute();
  await db.schema.alterTable('eval_imports').dropColumn('beat_at').execute();
}
