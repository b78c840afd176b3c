import type { Kysely } from 'kysely';

/**
 * The cases whose evaluation counts have yet to take in their latest events. Every case event
 * marks its case here in its own transaction; the evaluation's catch-up job recounts the marked
 * cases in batches and unmarks them in the same transaction, so no event is missed or counted twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('eval_pending')
    .addColumn('case_id', 'bigint', (c) => c.primaryKey())
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('eval_pending').execute();
}
