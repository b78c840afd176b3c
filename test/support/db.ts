import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/server/config.js';

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
  const dataDir = mkdtempSync(join(tmpdir(), 'onegrid-test-'));
  if (testDialect() === 'sqlite') {
    return { database: { kind: 'sqlite', file: join(dataDir, 'test.db') }, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const base = process.env.ONEGRID_TEST_PG;
  if (!base) throw new Error('ONEGRID_TEST_DB=postgres needs ONEGRID_TEST_PG=postgres://…');
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
