import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialect, type TestDatabase } from '../../../test/support/db.js';
import { migrateToLatest } from '../db/migrator.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { openDatabase } from './db.js';
import { databaseHolder, holdDatabase, pidFileOf } from './holder.js';

/** Restores that cannot be done change nothing; what a restore replaces is not lost; secrets stay out of messages. */
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
  const h = openDatabase(tdb.database);
  await migrateToLatest(h.db);
  await h.db.insertInto('divisions').values({ code: '110112', level: 30, name: '通州区', parent_code: null, sort: 0, updated_at: 1 }).execute();
  await h.db.insertInto('departments').values({ code: 'KEEP', name: '留存部门', name_en: 'Kept', area_code: '110112', phone: null, created_at: 1 }).execute();
  await h.close();
});
afterAll(() => tdb?.drop());

const departments = async () => {
  const h = openDatabase(tdb.database);
  try {
    return (await h.db.selectFrom('departments').select('code').orderBy('code').execute()).map((d) => d.code);
  } finally {
    await h.close();
  }
};

describe('restoring a backup', () => {
  it('refuses a file that is not a backup of this database, and leaves the database as it was', async () => {
    const junk = join(tdb.dataDir, 'not-a-backup.bin');
    writeFileSync(junk, '{"type":"FeatureCollection","features":[]}');
    const quiet: string[] = [];
    await expect(restoreDatabase(tdb.database, junk, (m) => quiet.push(m))).rejects.toThrow(/not a OneGrid SQLite backup|cannot be restored/);
    expect(await departments()).toContain('KEEP');
  });

  it('round-trips, and keeps what it replaced beside it (SQLite)', async () => {
    const file = join(tdb.dataDir, 'good.bin');
    await backupDatabase(tdb.database, file);
    expect(statSync(file).mode & 0o077).toBe(0); // only its owner reads a backup
    const h = openDatabase(tdb.database);
    await h.db.insertInto('departments').values({ code: 'LATER', name: '后建部门', name_en: 'Later', area_code: '110112', phone: null, created_at: 2 }).execute();
    await h.close();
    const said: string[] = [];
    await restoreDatabase(tdb.database, file, (m) => said.push(m));
    expect(await departments()).not.toContain('LATER');
    expect(await departments()).toContain('KEEP');
    if (tdb.database.kind === 'sqlite') {
      const main = tdb.database.file;
      const kept = readdirSync(dirname(main)).filter((f) => f.startsWith(`${basename(main)}.pre-restore-`));
      expect(kept.length).toBeGreaterThan(0);
      expect(said.join('\n')).toMatch(/kept as .*pre-restore-/);
    }
  });

  it.skipIf(testDialect() !== 'sqlite')('refuses to replace a database a server is serving, until that server has ended', async () => {
    if (tdb.database.kind !== 'sqlite') return;
    const main = tdb.database.file;
    const file = join(tdb.dataDir, 'served.bin');
    await backupDatabase(tdb.database, file);
    // another process serving the database: its pid beside the file
    const server = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(pidFileOf(main), `${server.pid}\n`);
      expect(databaseHolder(main)).toBe(server.pid);
      await expect(restoreDatabase(tdb.database, file, () => undefined)).rejects.toThrow(new RegExp(`pid ${server.pid}`));
      expect(() => holdDatabase(main)).toThrow(/Another OneGrid/);
    } finally {
      server.kill();
      await new Promise((done) => server.once('exit', done));
    }
    // ended: the pid file it left is ignored, as is one naming a program that is not Node (a pid reused after a reboot)
    expect(databaseHolder(main)).toBeNull();
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(pidFileOf(main), `${other.pid}\n`);
    try {
      expect(databaseHolder(main)).toBeNull();
    } finally {
      other.kill();
    }
    await restoreDatabase(tdb.database, file, () => undefined);
    const release = holdDatabase(main);
    expect(readdirSync(dirname(main))).toContain(basename(pidFileOf(main)));
    release();
    expect(existsSync(pidFileOf(main))).toBe(false);
  });

  it.skipIf(testDialect() !== 'postgres')('says why PostgreSQL\'s tools failed without the password of the address', async () => {
    const url = new URL(tdb.database.kind === 'postgres' ? tdb.database.url : 'postgres://x@127.0.0.1/x');
    url.password = 'S3cretPw';
    url.port = '1'; // nobody listens there
    const target = { kind: 'postgres' as const, url: url.toString() };
    const failure = await backupDatabase(target, join(tdb.dataDir, 'nowhere.bin')).then(() => null, (e: Error) => e);
    expect(failure?.message).toMatch(/pg_dump failed/);
    expect(failure?.message).not.toContain('S3cretPw');
    const good = join(tdb.dataDir, 'pg-good.bin');
    await backupDatabase(tdb.database, good);
    const refused = await restoreDatabase(target, good).then(() => null, (e: Error) => e);
    expect(refused?.message).not.toContain('S3cretPw');
  });
});
