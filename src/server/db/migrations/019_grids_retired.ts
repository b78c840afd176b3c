import type { Kysely } from 'kysely';

/**
 * Grids can be retired: when a district redraws its grids, the old ones leave the map, the
 * point-to-grid lookup and the coverage check, but stay in the tree for the cases and figures that
 * refer to them. `retired_at` is when (ms); null for a grid in use. Streets and communities are
 * never retired.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('divisions').addColumn('retired_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('divisions').dropColumn('retired_at').execute();
}
