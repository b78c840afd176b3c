import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * The grid team (网格工作团队): full-time, social and professional forces, each member assigned to
 * one or more grids. Grids themselves are rows of `divisions` at level 0 with their polygons.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('team_members'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // the member's home area (a community or grid code): the jurisdiction the member belongs to
    .addColumn('division_code', 'text', (c) => c.notNull().references('divisions.code'))
    .addColumn('department_id', 'bigint', (c) => c.references('departments.id'))
    .addColumn('user_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_members_division').on('team_members').columns(['division_code', 'force']).execute();
  await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();

  await db.schema
    .createTable('team_assignments')
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('team_members.id').onDelete('cascade'))
    .addColumn('grid_code', 'text', (c) => c.notNull().references('divisions.code'))
    .addPrimaryKeyConstraint('team_assignments_pk', ['member_id', 'grid_code'])
    .execute();
  await db.schema.createIndex('team_assignments_grid').on('team_assignments').column('grid_code').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_assignments').execute();
  await db.schema.dropTable('team_members').execute();
}
