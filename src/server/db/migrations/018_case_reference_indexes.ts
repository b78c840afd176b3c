import type { Kysely } from 'kysely';

/**
 * Every column that refers to a case gets an index, so deleting cases (undoing a historical import)
 * does not scan a whole table per case: both databases check each deleted case's references, and
 * `cases.merged_into` and `notifications.case_id` had none. Removing 20,000 imported cases took
 * minutes on SQLite, growing with the square of their number. `merged_into` is set on few cases
 * (duplicates merged into another), so its index holds only those.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_merged_into').on('cases').column('merged_into').where('merged_into', 'is not', null).execute();
  await db.schema.createIndex('notifications_case').on('notifications').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_case').execute();
  await db.schema.dropIndex('cases_merged_into').execute();
}
