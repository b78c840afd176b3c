import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { openDatabase } from './db.js';

const run = promisify(execFile);

/**
 * A consistent online copy: SQLite's backup API (the server may keep running), or pg_dump's
 * custom format for PostgreSQL.
 */
export async function backupDatabase(database: Config['database'], file: string): Promise<void> {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  if (database.kind === 'sqlite') {
    if (!existsSync(database.file)) throw new Error(`No database at ${database.file}`);
    const src = new SQLite(database.file, { readonly: true, fileMustExist: true });
    try {
      await src.backup(file);
    } finally {
      src.close();
    }
    return;
  }
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, database.url]);
}

/** Replaces the database with a backup. Stop the server first. */
export async function restoreDatabase(database: Config['database'], file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`No backup at ${file}`);
  if (database.kind === 'sqlite') {
    // check it is a OneGrid database before replacing anything
    const probe = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      probe.prepare("select count(*) from onegrid_migrations").get();
    } catch {
      throw new Error(`${file} is not a OneGrid SQLite backup`);
    } finally {
      probe.close();
    }
    mkdirSync(dirname(resolve(database.file)), { recursive: true });
    for (const suffix of ['-wal', '-shm']) rmSync(database.file + suffix, { force: true });
    copyFileSync(file, database.file);
    return;
  }
  // empty the schema first so the restore is exact, then load the dump
  const { db, close } = openDatabase(database);
  try {
    const { sql } = await import('kysely');
    await sql`drop schema public cascade`.execute(db);
    await sql`create schema public`.execute(db);
  } finally {
    await close();
  }
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', database.url, file]);
}
