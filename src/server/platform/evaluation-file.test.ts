import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/app.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../../../test/support/db.js';
import { must, report, withCaseDistrict } from '../modules/cases/cases.testing.js';
import { catchUpAll, statsUpToDate } from '../modules/evaluation/catchup.js';
import { rebuildStats } from '../modules/evaluation/stats.js';
import { evaluationRows } from '../modules/evaluation/evaluation.testing.js';
import { createMigrator, migrateToLatest } from '../db/migrator.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { EVALUATION_SCHEMA, evaluationFileOf, openDatabase, type DbHandle } from './db.js';

/** SQLite keeps the evaluation's counts in a file of their own (EVALUATION_SCHEMA, platform/db.ts). */
describe.skipIf(testDialect() !== 'sqlite')("the evaluation's own SQLite file", () => {
  let tdb: TestDatabase;
  let file: string;
  beforeEach(async () => {
    tdb = await createTestDatabase();
    file = (tdb.database as { file: string }).file;
  });
  afterEach(() => tdb.drop());

  const tablesIn = async (h: DbHandle, schema: string) =>
    (await sql<{ name: string }>`select name from ${sql.raw(schema)}.sqlite_master where type = 'table' and name like 'eval%' order by name`.execute(h.db)).rows.map((r) => r.name);
  const statRow = { area: '110112', level: 0, dim: '', key: '', grain: 'y', period: 2026 };
  const reportedOf = async (h: DbHandle) =>
    Number((await h.db.selectFrom('eval_stats').select('reported').where('area', '=', '110112').executeTakeFirstOrThrow()).reported);

  it('holds the counts beside the main file; the cases and the marks stay in the main file', async () => {
    const h = openDatabase(tdb.database);
    try {
      await migrateToLatest(h.db);
      expect(await tablesIn(h, EVALUATION_SCHEMA)).toEqual(['eval_actor_stats', 'eval_actors', 'eval_catchup', 'eval_durations', 'eval_marks', 'eval_stats']);
      expect(await tablesIn(h, 'main')).toEqual(['eval_import_cases', 'eval_imports', 'eval_pending']);
      expect(existsSync(evaluationFileOf(file))).toBe(true);
      // named without the schema, as every query does
      await h.db.insertInto('eval_stats').values({ ...statRow, reported: 3 }).execute();
      expect(await reportedOf(h)).toBe(3);
    } finally {
      await h.close();
    }
  });

  it('syncs both files on every commit, so nothing answered is lost to a power cut', async () => {
    const h = openDatabase(tdb.database);
    try {
      // 2 = FULL: in WAL mode the log is synced at each commit (NORMAL, 1, syncs only at checkpoints)
      expect(h.sqlite!.pragma('main.synchronous', { simple: true })).toBe(2);
      expect(h.sqlite!.pragma(`${EVALUATION_SCHEMA}.synchronous`, { simple: true })).toBe(2);
      expect(h.sqlite!.pragma(`${EVALUATION_SCHEMA}.journal_mode`, { simple: true })).toBe('wal');
    } finally {
      await h.close();
    }
  });

  it('moves the counts of a database from before, rows and indexes, and only once', async () => {
    // the layout before: every table in the main file
    const raw = new SQLite(file);
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    const result = await createMigrator(old as never).migrateToLatest();
    expect(result.error).toBeUndefined();
    await old.insertInto('eval_stats').values({ ...statRow, reported: 7 }).execute();
    await old.updateTable('eval_catchup').set({ turn: 41 }).execute();
    const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name like 'eval%' and sql is not null and tbl_name not in ('eval_pending', 'eval_imports', 'eval_import_cases') order by name`.execute(old)).rows.map((r) => r.name);
    await old.destroy();

    // a backup taken now (the counts still in the main file; the evaluation's file empty) holds them
    const early = join(tdb.dataDir, 'early.bin');
    await openDatabase(tdb.database).close();
    await backupDatabase(tdb.database, early);
    expect(existsSync(evaluationFileOf(early))).toBe(false);

    const h = openDatabase(tdb.database);
    try {
      expect(await migrateToLatest(h.db)).toEqual([]);
      expect(await tablesIn(h, 'main')).toEqual(['eval_import_cases', 'eval_imports', 'eval_pending']);
      expect(await reportedOf(h)).toBe(7);
      expect(Number((await h.db.selectFrom('eval_catchup').select('turn').executeTakeFirstOrThrow()).turn)).toBe(41);
      const moved = (await sql<{ name: string }>`select name from ${sql.raw(EVALUATION_SCHEMA)}.sqlite_master where type = 'index' and sql is not null order by name`.execute(h.db)).rows.map((r) => r.name);
      expect(moved).toEqual(indexes);
      // a rollup row is still unique by its area's key
      await expect(h.db.insertInto('eval_stats').values({ ...statRow, reported: 1 }).execute()).rejects.toThrow(/UNIQUE/);
      await migrateToLatest(h.db);
      expect(await reportedOf(h)).toBe(7);
      await h.db.updateTable('eval_stats').set({ reported: 8 }).execute();
    } finally {
      await h.close();
    }
    // restored, the early backup's counts are moved again by the next start
    await restoreDatabase(tdb.database, early);
    const r = openDatabase(tdb.database);
    try {
      await migrateToLatest(r.db);
      expect(await tablesIn(r, 'main')).toEqual(['eval_import_cases', 'eval_imports', 'eval_pending']);
      expect(await reportedOf(r)).toBe(7);
    } finally {
      await r.close();
    }
  });

  it('backs up and restores both files together', async () => {
    const h = openDatabase(tdb.database);
    await migrateToLatest(h.db);
    await h.db.insertInto('eval_stats').values({ ...statRow, reported: 5 }).execute();
    await h.db.insertInto('eval_pending').values({ case_id: 1, event_id: 1 }).execute();
    const backup = join(tdb.dataDir, 'backup.bin');
    await backupDatabase(tdb.database, backup); // the server's connection stays open meanwhile
    expect(existsSync(evaluationFileOf(backup))).toBe(true);
    await h.db.updateTable('eval_stats').set({ reported: 9 }).execute();
    await h.db.deleteFrom('eval_pending').execute();
    await h.close();

    await restoreDatabase(tdb.database, backup);
    const r = openDatabase(tdb.database);
    try {
      await migrateToLatest(r.db);
      expect(await reportedOf(r)).toBe(5);
      expect(await r.db.selectFrom('eval_pending').selectAll().execute()).toEqual([{ case_id: 1, event_id: 1 }]);
    } finally {
      await r.close();
    }
  });

  it('makes a lost evaluation file again and counts every case again into it', async () => {
    const t = await withCaseDistrict(await createTestApp());
    try {
      const a = await report(t, 'gridworker', { address: '新华西街 1 号' });
      await must(t, 'district', a, 'accept', { condition_code: '01001-02' });
      await report(t, 'gridworker', { address: '新华西街 2 号' });
      await statsUpToDate(t.app.ctx);
      const counted = await evaluationRows(t.dbh.db);
      const objects = async (db: DbHandle['db']) => (await sql<{ name: string }>`select type || ' ' || name as name from ${sql.raw(EVALUATION_SCHEMA)}.sqlite_master order by name`.execute(db)).rows.map((r) => r.name);
      const made = await objects(t.dbh.db);
      await t.app.close();
      await t.dbh.close();
      // the main file restored alone, say
      const lost = evaluationFileOf((t.config.database as { file: string }).file);
      for (const suffix of ['', '-wal', '-shm']) rmSync(lost + suffix, { force: true });

      const h = openDatabase(t.config.database);
      try {
        await migrateToLatest(h.db);
        expect(await objects(h.db)).toEqual(made); // every table and index
        expect((await h.db.selectFrom('eval_pending').select('case_id').execute()).length).toBe(2);
        expect(await catchUpAll(h.db)).toBe(2);
        expect(await evaluationRows(h.db)).toEqual(counted);
        // or `onegrid evaluation recount --all`, which takes the marks as it goes
        await h.db.insertInto('eval_pending').values({ case_id: a.id, event_id: 1 }).onConflict((oc) => oc.column('case_id').doNothing()).execute();
        await rebuildStats(h.db);
        expect(await h.db.selectFrom('eval_pending').selectAll().execute()).toEqual([]);
        expect(await evaluationRows(h.db)).toEqual(counted);
      } finally {
        await h.close();
      }
    } finally {
      await t.tdb.drop();
    }
  });
});
