import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/app.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../../../test/support/db.js';
import { BACKSTOP_PAGES, checkpointInThread } from './checkpoint.js';
import { EVALUATION_SCHEMA, openDatabase, WAL_SIZE_LIMIT, type DbHandle } from './db.js';

/** SQLite: the main file's log checkpointed by a thread of its own (platform/checkpoint.ts). */
describe.skipIf(testDialect() !== 'sqlite')('checkpoints in a thread of their own', () => {
  let tdb: TestDatabase;
  let file: string;
  let h: DbHandle;
  beforeEach(async () => {
    tdb = await createTestDatabase();
    file = (tdb.database as { file: string }).file;
    h = openDatabase(tdb.database);
    h.sqlite!.exec('create table filler (id integer primary key, body blob not null)');
  });
  afterEach(async () => {
    await h.close();
    await tdb.drop();
  });

  const autocheckpoint = () => h.sqlite!.pragma('wal_autocheckpoint', { simple: true });
  /** In WAL mode only a checkpoint writes the database file itself; a commit writes the log. */
  const fileBytes = () => statSync(file).size;
  /** Writes about `pages` pages of 4 KB in one commit. */
  const fill = (pages: number) => {
    const insert = h.sqlite!.prepare('insert into filler (body) values (randomblob(4000))');
    h.sqlite!.transaction(() => {
      for (let i = 0; i < pages; i++) insert.run();
    })();
  };
  const until = async (what: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  };

  it('copies committed pages into the database beside the writes, and gives the checkpoints back when stopped', async () => {
    const warnings: string[] = [];
    expect(autocheckpoint()).toBe(1000);
    const checkpoints = checkpointInThread(h.sqlite!, (m) => warnings.push(m), 20)!;
    try {
      expect(autocheckpoint()).toBe(BACKSTOP_PAGES);
      const before = fileBytes();
      // 1,500 pages: past SQLite's default of 1,000, below the backstop, so the writing connection
      // does not checkpoint them; the thread copies them into the database
      fill(1500);
      expect(await until(() => fileBytes() >= before + 1500 * 4000)).toBe(true);
    } finally {
      await checkpoints.stop();
    }
    expect(autocheckpoint()).toBe(1000);
    expect(warnings).toEqual([]);
    expect(h.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(h.sqlite!.prepare('select count(*) from filler').pluck().get()).toBe(1500);
  });

  it('restarts the log once the writing connection reaches the backstop, so the log does not grow without end', async () => {
    const checkpoints = checkpointInThread(h.sqlite!, () => {}, 20)!;
    try {
      // commits one after another, never leaving the thread a moment with every page copied: three
      // times the backstop in all
      const perCommit = Math.ceil((BACKSTOP_PAGES * 3) / 60);
      for (let i = 0; i < 60; i++) fill(perCommit);
      const walBytes = statSync(`${file}-wal`).size;
      // the log restarted: it holds at most about the backstop's pages and a few commits more (a
      // checkpoint finding the thread's at work tries again at the next commit), not all 30,000
      expect(walBytes).toBeLessThan(2 * BACKSTOP_PAGES * 4200);
      expect(h.sqlite!.prepare('select count(*) from filler').pluck().get()).toBe(60 * perCommit);
    } finally {
      await checkpoints.stop();
    }
  });

  it('when the thread fails, says so and the writing connection checkpoints again', async () => {
    const warnings: string[] = [];
    const checkpoints = checkpointInThread(h.sqlite!, (m) => warnings.push(m), 20, join(tdb.dataDir, 'no-such-file.db'))!;
    expect(await until(() => warnings.length > 0)).toBe(true);
    expect(warnings[0]).toMatch(/checkpoint thread stopped/);
    expect(autocheckpoint()).toBe(1000);
    await checkpoints.stop();
  });

  it('cuts a log grown large by one long transaction back to its limit when the log starts again', () => {
    const walBytes = () => statSync(`${file}-wal`).size;
    // about 80 MB in one commit: the log must hold it all until it is checkpointed
    fill(20_000);
    expect(walBytes()).toBeGreaterThan(WAL_SIZE_LIMIT);
    const [done] = h.sqlite!.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(done!.busy).toBe(0);
    expect(done!.checkpointed).toBe(done!.log);
    // every page copied: the next commit starts the log again from its beginning, and cuts the file
    fill(1);
    expect(walBytes()).toBeLessThanOrEqual(WAL_SIZE_LIMIT);
    expect(h.sqlite!.pragma(`${EVALUATION_SCHEMA}.journal_size_limit`, { simple: true })).toBe(WAL_SIZE_LIMIT);
    expect(h.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe.skipIf(testDialect() !== 'sqlite')('an in-memory database', () => {
  it('gets no checkpoint thread: no other connection can reach it', () => {
    const h = openDatabase({ kind: 'sqlite', file: ':memory:' });
    try {
      expect(checkpointInThread(h.sqlite!, () => {})).toBeNull();
      expect(h.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      void h.close();
    }
  });
});

describe.skipIf(testDialect() !== 'sqlite')('the server and its checkpoint thread', () => {
  it('runs one while it serves, and ends it when it closes', async () => {
    const t = await createTestApp({ CHECKPOINT_THREAD: 'on' });
    const pragma = () => t.dbh.sqlite!.pragma('wal_autocheckpoint', { simple: true });
    expect(pragma()).toBe(BACKSTOP_PAGES);
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    await t.app.close();
    expect(pragma()).toBe(1000);
    await t.close();
  });

  it('a process with nothing else to do closes the app to its end: the database closed, its log gone', () => {
    // only a process of its own shows it: here the test runner keeps the event loop busy
    const dir = mkdtempSync(join(tmpdir(), 'onegrid-close-'));
    try {
      const program = `
        import { existsSync } from 'node:fs';
        import { loadConfig } from './src/server/config.ts';
        import { buildApp } from './src/server/app.ts';
        const config = loadConfig({ ONEGRID_DATA_DIR: ${JSON.stringify(dir)}, LOG_LEVEL: 'silent', ONEGRID_DEMO: 'off', CHECKPOINT_THREAD: 'on', EVALUATION_THREAD: 'on' });
        const app = await buildApp(config);
        await app.close();
        console.log('closed; log left: ' + existsSync(config.database.file + '-wal'));`;
      const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
      expect(out.stderr).toBe('');
      expect(out.stdout.trim()).toBe('closed; log left: false');
      expect(out.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can be switched off', async () => {
    const t = await createTestApp({ CHECKPOINT_THREAD: 'off' });
    expect(t.dbh.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await t.close();
  });
});
