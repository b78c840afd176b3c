import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

/**
 * Evaluation (综合评价): the marks of each case (what every figure counts, kept per case so a figure
 * lists the cases behind it and an event replaces only its own case's marks), rollups of them per
 * day and per month (by area, and by category class, source and department inside an area; per
 * person), a histogram of handling times for percentiles, the people named in the figures, and
 * the historical imports with their progress and row-level report.
 */
function measureColumns<T extends string>(t: CreateTableBuilder<T, any>, keys: readonly string[]): CreateTableBuilder<T, any> {
  let out = t;
  for (const k of keys) out = out.addColumn(k, 'bigint', (c) => c.notNull().defaultTo(0));
  return out;
}

// the measures as they were when this migration shipped (shared/evaluation/measures.ts), written out
// so a later change there cannot change what this migration creates
const MEASURE_COLUMNS = [
  'reported', 'valid', 'rejected', 'merged', 'verified', 'verified_on_time', 'accepted', 'missed',
  'dispatched', 'dispatched_on_time', 'dispatch_accurate', 'due', 'handled', 'handled_on_time', 'handling_ms',
  'returned', 'rework', 'postponed', 'suspended', 'cancelled', 'closed', 'closed_on_time', 'checked', 'checked_on_time',
];
const ACTOR_MEASURE_COLUMNS = [
  'reported', 'valid', 'rejected', 'verified', 'verified_on_time', 'accepted',
  'dispatched', 'dispatched_on_time', 'dispatch_accurate', 'checked', 'checked_on_time',
];

/** SQLite stores the rows in primary-key order (WITHOUT ROWID); PostgreSQL keeps its heap and the key's index. */
function clustered<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, any>): CreateTableBuilder<T, any> {
  return isPostgres(db) ? t : t.modifyEnd(sql`without rowid`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('eval_marks'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    // Beijing day number (days since 1970-01-01 in UTC+8)
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('grid_code', 'text', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dept', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('flags', 'integer', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eval_marks_case').on('eval_marks').column('case_id').execute();
  // the case lists behind a figure, newest first: district-wide, inside an area, per department, per person
  await db.schema.createIndex('eval_marks_kind_at').on('eval_marks').columns(['kind', 'at']).execute();
  await db.schema.createIndex('eval_marks_kind_grid_at').on('eval_marks').columns(['kind', 'grid_code', 'at']).execute();
  await db.schema.createIndex('eval_marks_kind_dept_at').on('eval_marks').columns(['kind', 'dept', 'at']).execute();
  await db.schema.createIndex('eval_marks_kind_actor_at').on('eval_marks').columns(['kind', 'actor_id', 'at']).execute();

  // grain 'd' (period = day number), 't' (dekad, 旬: month × 3 + 0–2), 'm' (month number) or 'y' (calendar
  // year); dim '' (the area itself),
  // 'class', 'source' or 'dept' with its key; area codes of every level, the level beside them.
  // The rows are stored in the order the dashboard reads them (level, then period, then area), so
  // "every community, this year" is a few adjacent pages; on SQLite the table is that index itself
  // (WITHOUT ROWID). The unique index by area serves one area's figures and the upserts.
  await clustered(db, measureColumns(
    db.schema.createTable('eval_stats')
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('grain', 'text', (c) => c.notNull())
      .addColumn('period', 'integer', (c) => c.notNull()),
    MEASURE_COLUMNS,
  ).addPrimaryKeyConstraint('eval_stats_pk', ['dim', 'level', 'grain', 'period', 'area', 'key'])).execute();
  await db.schema.createIndex('eval_stats_area').unique().on('eval_stats').columns(['area', 'dim', 'grain', 'period', 'key']).execute();

  await clustered(db, measureColumns(
    db.schema.createTable('eval_actor_stats')
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('grain', 'text', (c) => c.notNull())
      .addColumn('period', 'integer', (c) => c.notNull()),
    ACTOR_MEASURE_COLUMNS,
  ).addPrimaryKeyConstraint('eval_actor_stats_pk', ['grain', 'period', 'actor_id'])).execute();
  await db.schema.createIndex('eval_actor_stats_actor').unique().on('eval_actor_stats').columns(['actor_id', 'grain', 'period']).execute();

  await clustered(db, db.schema
    .createTable('eval_durations')
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'integer', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('eval_durations_pk', ['dim', 'level', 'grain', 'period', 'area', 'key', 'bucket'])).execute();
  await db.schema.createIndex('eval_durations_area').unique().on('eval_durations').columns(['area', 'dim', 'grain', 'period', 'key', 'bucket']).execute();

  // who the people in the figures are: as of the last event they acted in
  await db.schema
    .createTable('eval_actors')
    .addColumn('actor_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint')
    .addColumn('name', 'text')
    .addColumn('level', 'text')
    .addColumn('division_code', 'text')
    .addColumn('department_code', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eval_actors_division').on('eval_actors').columns(['division_code']).execute();

  await withId(db, db.schema.createTable('eval_imports'))
    .addColumn('created_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report', 'text')
    .addColumn('finished_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['eval_imports', 'eval_actors', 'eval_durations', 'eval_actor_stats', 'eval_stats', 'eval_marks']) {
    await db.schema.dropTable(t).execute();
  }
}
