import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * PostgreSQL: each rollup table keeps one unique index, the one its upserts name (by area, by
 * person). Each had two over the same columns in two orders (its primary key and the upserts'
 * index). An upsert guards only the index it names: two transactions creating the same new row at
 * once could then fail on the other one ("duplicate key … eval_stats_pk") instead of one adding to
 * the other's row, and every write of counts ran inside a savepoint to be taken back and tried
 * again. Now the upserts' index is the primary key; the old key's order stays as a plain index where
 * reads use it (a level's areas over a range), and goes where a covering index has the same order
 * already (the people's rollups, migration 008). One unique check less per row written, and no
 * savepoint. SQLite, with one writer at a time and the rows stored in the old key's order (WITHOUT
 * ROWID), keeps its tables as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table eval_stats drop constraint eval_stats_pk`.execute(db);
  await sql`create index eval_stats_level on eval_stats (dim, level, grain, period, area, key)`.execute(db);
  await sql`alter table eval_stats add constraint eval_stats_area primary key using index eval_stats_area`.execute(db);

  await sql`alter table eval_durations drop constraint eval_durations_pk`.execute(db);
  await sql`create index eval_durations_level on eval_durations (dim, level, grain, period, area, key, bucket)`.execute(db);
  await sql`alter table eval_durations add constraint eval_durations_area primary key using index eval_durations_area`.execute(db);

  // eval_actor_stats_period (grain, period, actor_id, covering the measures) reads in the old key's order
  await sql`alter table eval_actor_stats drop constraint eval_actor_stats_pk`.execute(db);
  await sql`alter table eval_actor_stats add constraint eval_actor_stats_actor primary key using index eval_actor_stats_actor`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table eval_actor_stats drop constraint eval_actor_stats_actor`.execute(db);
  await sql`create unique index eval_actor_stats_actor on eval_actor_stats (actor_id, grain, period)`.execute(db);
  await sql`alter table eval_actor_stats add constraint eval_actor_stats_pk primary key (grain, period, actor_id)`.execute(db);

  await sql`alter table eval_durations drop constraint eval_durations_area`.execute(db);
  await sql`drop index eval_durations_level`.execute(db);
  await sql`create unique index eval_durations_area on eval_durations (area, dim, grain, period, key, bucket)`.execute(db);
  await sql`alter table eval_durations add constraint eval_durations_pk primary key (dim, level, grain, period, area, key, bucket)`.execute(db);

  await sql`alter table eval_stats drop constraint eval_stats_area`.execute(db);
  await sql`drop index eval_stats_level`.execute(db);
  await sql`create unique index eval_stats_area on eval_stats (area, dim, grain, period, key)`.execute(db);
  await sql`alter table eval_stats add constraint eval_stats_pk primary key (dim, level, grain, period, area, key)`.execute(db);
}
