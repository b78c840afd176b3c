import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/server/config.js';
import { openDatabase, type Db, type DbHandle } from '../../src/server/platform/db.js';

/**
 * A fresh database per test file: a temporary SQLite file, or — when ONEGRID_TEST_DB=postgres —
 * a new PostgreSQL database created on ONEGRID_TEST_PG's server and dropped afterwards, so runs
 * never collide.
 */
export interface TestDatabase {
  database: Config['database'];
  dataDir: string;
  drop(): Promise<void>;
}

export const testDialect = (): 'sqlite' | 'postgres' => (process.env.ONEGRID_TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

export async function createTestDatabase(): Promise<TestDatabase> {
  // checked before the temporary folder is made, so a run without a server leaves none behind
  const base = testDialect() === 'postgres' ? process.env.ONEGRID_TEST_PG : undefined;
  if (testDialect() === 'postgres' && !base) throw new Error('ONEGRID_TEST_DB=postgres needs ONEGRID_TEST_PG=postgres://…');
  const dataDir = mkdtempSync(join(tmpdir(), 'onegrid-test-'));
  if (!base) {
    return { database: { kind: 'sqlite', file: join(dataDir, 'test.db') }, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `onegrid_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database opened for a test file (before its tests, then `setup` on it) and closed and
 * dropped after them; read `.db` and `.dbh` inside the tests.
 */
export function useTestDatabase(setup?: (db: Db) => Promise<unknown>): { readonly db: Db; readonly dbh: DbHandle } {
  const opened = {} as { db: Db; dbh: DbHandle };
  let tdb: TestDatabase | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    opened.dbh = openDatabase(tdb.database);
    opened.db = opened.dbh.db;
    await setup?.(opened.db);
  });
  afterAll(async () => {
    await opened.dbh?.close();
    await tdb?.drop();
  });
  return opened;
}
