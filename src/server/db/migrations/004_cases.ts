import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * Cases: the category tree (versioned), the working calendar, the case record with every field the
 * workflow reads as a real column, its append-only events, photos and the departments that held it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Every published category tree, whole, as validated JSON: a case keeps the version it was filed under.
  await db.schema
    .createTable('category_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The current tree as rows (classes and sub-categories) so rules and statistics can join on codes.
  await db.schema
    .createTable('categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('parent_code', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('default_department', 'text')
    .addColumn('platform_level', 'text')
    .addColumn('duplicate_radius_m', 'integer')
    .addColumn('duplicate_window_h', 'integer')
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().references('category_versions.version'))
    .execute();
  await db.schema.createIndex('categories_parent').on('categories').columns(['parent_code', 'sort']).execute();

  // Filing (立案) and closing (结案) conditions of the current tree; filing ones carry the time limit.
  await db.schema
    .createTable('category_conditions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('category_code', 'text', (c) => c.notNull().references('categories.code').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text_zh', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('limit_amount', 'double precision')
    .addColumn('limit_unit', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('category_conditions_category').on('category_conditions').columns(['category_code', 'sort']).execute();

  // Days that differ from the weekday rule: holidays (放假) and weekend working days (调休上班).
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .execute();

  // One row per Beijing day: the last case sequence number handed out that day.
  await db.schema
    .createTable('case_counters')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('cases'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('reporter_user_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('category_code', 'text')
    // the frozen filing (立案) condition: all null until accepted
    .addColumn('filing_category_code', 'text')
    .addColumn('filing_category_version', 'integer')
    .addColumn('filing_condition_code', 'text')
    .addColumn('filing_limit_amount', 'double precision')
    .addColumn('filing_limit_unit', 'text')
    .addColumn('holder_kind', 'text')
    .addColumn('holder_code', 'text')
    .addColumn('returned_from_kind', 'text')
    .addColumn('returned_from_code', 'text')
    .addColumn('self_resolved_by', 'text')
    .addColumn('rework_count', 'integer', (c) => c.notNull().defaultTo(0))
    // the approval waiting on the case (延期 / 挂账 / 作废), if any
    .addColumn('request_kind', 'text')
    .addColumn('request_by', 'text')
    .addColumn('request_at', 'bigint')
    .addColumn('request_reason', 'text')
    .addColumn('request_due_at', 'bigint')
    .addColumn('step', 'text')
    .addColumn('step_started_at', 'bigint')
    .addColumn('step_limit_amount', 'double precision')
    .addColumn('step_limit_unit', 'text')
    .addColumn('due_at', 'bigint')
    // when the step turns yellow (share of the limit used, in the limit's own unit): lets lists filter by light
    .addColumn('warn_at', 'bigint')
    .addColumn('suspended_at', 'bigint')
    .addColumn('suspended_from', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('merged_into', 'bigint', (c) => c.references('cases.id'))
    .addColumn('grid_code', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    // the department holding the case now, for the scope filter
    .addColumn('department_id', 'bigint', (c) => c.references('departments.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_state_grid').on('cases').columns(['state', 'grid_code']).execute();
  await db.schema.createIndex('cases_grid').on('cases').column('grid_code').execute();
  await db.schema.createIndex('cases_department_state').on('cases').columns(['department_id', 'state']).execute();
  await db.schema.createIndex('cases_due').on('cases').column('due_at').execute();
  await db.schema.createIndex('cases_created').on('cases').column('created_at').execute();
  await db.schema.createIndex('cases_category_created').on('cases').columns(['category_code', 'created_at']).execute();

  // Append-only history: replaying the rows of a case in `seq` order rebuilds it.
  await withId(db, db.schema.createTable('case_events'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text')
    .addColumn('actor_level', 'text')
    .addColumn('actor_division_code', 'text')
    .addColumn('actor_department_code', 'text')
    // the action's input as the workflow received it (filing resolved): the event payload
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('step', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('withdrawn_request', 'text')
    .addColumn('comment', 'text')
    .addUniqueConstraint('case_events_case_seq', ['case_id', 'seq'])
    .execute();
  await db.schema.createIndex('case_events_at').on('case_events').column('at').execute();
  await db.schema.createIndex('case_events_actor').on('case_events').columns(['actor_user_id', 'at']).execute();

  await withId(db, db.schema.createTable('case_photos'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('event_id', 'bigint', (c) => c.notNull().references('case_events.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().references('files.sha256'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_photos_case').on('case_photos').columns(['case_id', 'event_id']).execute();
  await db.schema.createIndex('case_photos_sha').on('case_photos').column('sha256').execute();

  // Every department that ever held a case keeps seeing it.
  await db.schema
    .createTable('case_departments')
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('department_id', 'bigint', (c) => c.notNull().references('departments.id'))
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_departments_pk', ['case_id', 'department_id'])
    .execute();
  await db.schema.createIndex('case_departments_department').on('case_departments').column('department_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'case_departments', 'case_photos', 'case_events', 'cases', 'case_counters', 'calendar_days',
    'category_conditions', 'categories', 'category_versions',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
