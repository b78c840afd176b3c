import type { Kysely } from 'kysely';

/**
 * The duplicate check runs with every report: open cases of the same sub-category in a small box
 * around the report. Indexed by category and longitude (then latitude), it reads the cases of a
 * street-wide band rather than every case of the category in the time window.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_category_lon').on('cases').columns(['category_code', 'lon', 'lat']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_category_lon').execute();
}
