import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Covering indexes for the evaluation dashboard's wide reads on PostgreSQL: every grid or community
 * of an area (reports and closures for the maps, missed and accepted for the grid workers' homes)
 * and every grid worker's figures over a range. PostgreSQL keeps a table's rows in a heap apart from
 * its indexes, so reading thousands of rollup rows through the primary key visits as many scattered
 * pages; from these indexes the same rows are read alone and in key order. SQLite stores the rollups
 * in their key order already (WITHOUT ROWID), so it needs none.
 */
const ACTOR_MEASURES = [
  'reported', 'valid', 'rejected', 'verified', 'verified_on_time', 'accepted',
  'dispatched', 'dispatched_on_time', 'dispatch_accurate', 'checked', 'checked_on_time',
];

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create index eval_stats_below on eval_stats (dim, level, grain, period, area) include (reported, closed, missed, accepted)`.execute(db);
  await sql`create index eval_actor_stats_period on eval_actor_stats (grain, period, actor_id) include (${sql.raw(ACTOR_MEASURES.join(', '))})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop index eval_actor_stats_period`.execute(db);
  await sql`drop index eval_stats_below`.execute(db);
}
