import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { EVALUATION_SCHEMA, evaluationFileOf, openDatabase } from './db.js';

const run = promisify(execFile);

/**
 * A consistent online copy: SQLite's backup API (the server may keep running), or pg_dump's
 * custom format for PostgreSQL.
 *
 * SQLite keeps the evaluation's counts in a file of their own (EVALUATION_SCHEMA in platform/db.ts):
 * the backup is two files, `file` and `evaluationFileOf(file)`, copied from one read transaction
 * that holds a snapshot of each. The two snapshots begin a moment apart; the catch-up writes its
 * counts before it removes its marks from the main file, so the pair is consistent when no catch-up
 * wrote between the two (its turn has not moved; bulk writers move it too), and is taken again otherwise.
 */
export async function backupDatabase(database: Config['database'], file: string): Promise<void> {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  if (database.kind === 'sqlite') {
    if (!existsSync(database.file)) throw new Error(`No database at ${database.file}`);
    const evaluation = evaluationFileOf(database.file);
    const src = new SQLite(database.file, { readonly: true, fileMustExist: true });
    try {
      // a database not yet migrated by this version still holds its counts in the main file (its
      // evaluation file, if a connection made one, is empty)
      let split = existsSync(evaluation);
      if (split) {
        src.prepare(`attach database ? as ${EVALUATION_SCHEMA}`).run(evaluation);
        split = src.prepare(`select 1 from ${EVALUATION_SCHEMA}.sqlite_master where name = 'eval_catchup'`).get() !== undefined;
      }
      const turnOf = (db: SQLite.Database, schema: string) => db.prepare(`select turn from ${schema}.eval_catchup where id = 1`).pluck().get();
      // the turn as it stands now, read on a connection of its own (outside the snapshot)
      const turnNow = () => {
        const now = new SQLite(evaluation, { readonly: true, fileMustExist: true });
        try {
          return turnOf(now, 'main');
        } finally {
          now.close();
        }
      };
      for (let attempt = 1; ; attempt++) {
        src.exec('begin');
        try {
          const turn = split ? turnOf(src, EVALUATION_SCHEMA) : null; // the evaluation's snapshot
          src.prepare('select count(*) from main.sqlite_master').get(); // then the main file's
          // the two snapshots begin microseconds apart: counts written in between are rare
          if (split && turnNow() !== turn) {
            if (attempt < 50) continue;
            throw new Error("The evaluation's counts kept changing between the two files' snapshots; run the backup again");
          }
          await src.backup(file);
          // (better-sqlite3's option `attached` is missing from its type definitions)
          if (split) await src.backup(evaluationFileOf(file), { attached: EVALUATION_SCHEMA } as unknown as SQLite.BackupOptions);
          return;
        } finally {
          src.exec('rollback');
        }
      }
    } finally {
      src.close();
    }
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
    const evaluation = evaluationFileOf(database.file);
    for (const suffix of ['-wal', '-shm']) rmSync(database.file + suffix, { force: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(evaluation + suffix, { force: true });
    copyFileSync(file, database.file);
    // a backup made before the counts had a file of their own holds them in its main file: the next start moves them
    if (existsSync(evaluationFileOf(file))) copyFileSync(evaluationFileOf(file), evaluation);
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
