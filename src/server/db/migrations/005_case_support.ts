import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * What keeps the case loop moving around the workflow itself: dispatch rules (category × area →
 * department or platform level), the in-app inbox, the yellow and red cards given per step (so the
 * scheduler never gives one twice, across restarts and nodes) and job leases (so only one node runs
 * a scheduled job at a time).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A rule names exactly one target: a department, or a platform level (三级平台) to assign to.
  await withId(db, db.schema.createTable('dispatch_rules'))
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text', (c) => c.notNull().references('divisions.code'))
    .addColumn('department_code', 'text', (c) => c.references('departments.code'))
    .addColumn('level', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('auto', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'bigint', (c) => c.references('users.id'))
    .addCheckConstraint('dispatch_rules_one_target', sql`(department_code is null) <> (level is null)`)
    .execute();
  await db.schema.createIndex('dispatch_rules_match').on('dispatch_rules').columns(['category_code', 'area_code']).execute();
  await db.schema.createIndex('dispatch_rules_area').on('dispatch_rules').column('area_code').execute();

  await withId(db, db.schema.createTable('notifications'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    // the case_events row that caused it, when there is one
    .addColumn('event_id', 'bigint', (c) => c.references('case_events.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'read_at']).execute();

  // One card of each colour per step: a step is one run of a case's clock, named by when it started.
  await db.schema
    .createTable('case_cards')
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('step_started_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'bigint', (c) => c.references('case_events.id'))
    .addPrimaryKeyConstraint('case_cards_pk', ['case_id', 'kind', 'step_started_at'])
    .execute();
  await db.schema.createIndex('case_cards_at').on('case_cards').column('at').execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_run_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['job_leases', 'case_cards', 'notifications', 'dispatch_rules']) await db.schema.dropTable(t).execute();
}
