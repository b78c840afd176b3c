import type { Kysely } from 'kysely';

/**
 * One row counting the evaluation's catch-up runs (evaluation/catchup.ts): a catch-up that counted
 * outside the write lock writes only if no other one wrote since it started counting.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('eval_catchup')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('turn', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('eval_catchup').values({ id: 1, turn: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('eval_catchup').execute();
}
