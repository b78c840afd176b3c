import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * A grid's earlier outlines: when an import gives a grid in use a new polygon, or puts a retired
 * grid back in use, the outline it had until then is kept here with its name and the moment it
 * ended (`ended_at`, ms). With the retired grids they say which grid held a place on a past day
 * (LocatorService.locateManyAt, for historical imports).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('grid_shapes'))
    .addColumn('code', 'text', (c) => c.notNull().references('divisions.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grid_shapes_code').on('grid_shapes').column('code').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grid_shapes').execute();
}
