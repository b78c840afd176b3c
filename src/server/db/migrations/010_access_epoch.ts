import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * The access epoch (platform/epoch.ts): triggers on the tables that say who may do what move it on
 * every write that can change that, whoever writes. Timestamps of use (last login, a key's last use,
 * failed logins) do not move it.
 *
 * With them, indexes for the grants read when the epoch has moved: the holders of grants on a
 * grid's divisions or in given departments (before, every account was scanned).
 */
const WATCHED: { table: string; columns?: string[] }[] = [
  { table: 'grants' },
  { table: 'departments' },
  { table: 'users', columns: ['disabled', 'display_name'] },
  { table: 'api_keys', columns: ['revoked_at', 'key_hash', 'prefix', 'role', 'division_code', 'department_id', 'name'] },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('grants_division').on('grants').column('division_code').execute();
  await db.schema.createIndex('grants_department').on('grants').column('department_id').execute();
  if (isPostgres(db)) {
    await sql`create function onegrid_access_changed() returns trigger language plpgsql as $$
      begin perform pg_notify('onegrid_access', tg_table_name); return null; end $$`.execute(db);
    for (const { table, columns } of WATCHED) {
      const update = columns ? `update of ${columns.join(', ')}` : 'update';
      await sql.raw(`create trigger ${table}_access_epoch after insert or ${update} or delete on ${table}
        for each statement execute function onegrid_access_changed()`).execute(db);
    }
    return;
  }
  await sql`create table access_epoch (id integer primary key check (id = 1), n integer not null)`.execute(db);
  await sql`insert into access_epoch (id, n) values (1, 0)`.execute(db);
  for (const { table, columns } of WATCHED) {
    for (const op of ['insert', columns ? `update of ${columns.join(', ')}` : 'update', 'delete']) {
      const name = `${table}_access_epoch_${op.split(' ')[0]}`;
      await sql.raw(`create trigger ${name} after ${op} on ${table} begin update access_epoch set n = n + 1 where id = 1; end`).execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('grants_department').execute();
  await db.schema.dropIndex('grants_division').execute();
  if (isPostgres(db)) {
    for (const { table } of WATCHED) await sql.raw(`drop trigger ${table}_access_epoch on ${table}`).execute(db);
    await sql`drop function onegrid_access_changed()`.execute(db);
    return;
  }
  for (const { table } of WATCHED) {
    for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger ${table}_access_epoch_${op}`).execute(db);
  }
  await sql`drop table access_epoch`.execute(db);
}
