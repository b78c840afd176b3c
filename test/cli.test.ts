import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/platform/db.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

const run = promisify(execFile);
let tdb: TestDatabase;
let env: Record<string, string>;

/** The settings that point the onegrid command at a test database. */
const envOf = (t: TestDatabase): Record<string, string> => ({
  ONEGRID_DATA_DIR: t.dataDir,
  DATABASE_URL: t.database.kind === 'postgres' ? t.database.url : `sqlite:${t.database.file}`,
  LOG_LEVEL: 'silent',
});

/** Runs the real onegrid command with these settings. */
async function onegridWith(settings: Record<string, string>, ...args: string[]) {
  const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env: { ...process.env, ...settings }, cwd: process.cwd() });
  return r.stdout;
}

/** Runs the real onegrid command against this file's database. */
const onegrid = (...args: string[]) => onegridWith(env, ...args);

beforeAll(async () => {
  tdb = await createTestDatabase();
  env = envOf(tdb);
});
afterAll(() => tdb?.drop());

async function counts() {
  const h = openDatabase(tdb.database);
  try {
    const n = async (t: 'users' | 'divisions' | 'api_keys' | 'grants') => Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await n('users'), divisions: await n('divisions'), apiKeys: await n('api_keys'), grants: await n('grants') };
  } finally {
    await h.close();
  }
}

describe('onegrid CLI', () => {
  it('migrates an empty database, then reports it up to date', async () => {
    expect(await onegrid('migrate')).toMatch(/Applied: 001_core/);
    expect(await onegrid('migrate')).toMatch(/up to date/);
  });

  it('imports divisions, adds users and grants, manages API keys', async () => {
    expect(await onegrid('divisions', 'import', 'data/tongzhou-divisions.csv')).toMatch(/Imported 679 divisions: 679 new/);
    expect(await onegrid('user', 'add', 'ops', '--name', '运维', '--password', 'operator-2026', '--role', 'admin', '--division', '110112')).toMatch(/Created user ops/);
    expect(await onegrid('user', 'grant', 'ops', '--role', 'leader', '--division', '110112001')).toMatch(/Granted leader/);
    expect(await onegrid('user', 'list')).toMatch(/ops .*admin@110112, leader@110112001/);
    const created = await onegrid('apikey', 'create', '12345 hotline', '--role', 'street_dispatcher', '--division', '110112001');
    expect(created).toMatch(/og_[A-Za-z0-9_-]{30,}/);
    expect(await onegrid('apikey', 'list')).toMatch(/12345 hotline/);
    expect(await onegrid('apikey', 'revoke', '1')).toMatch(/revoked/);
    expect(await onegrid('apikey', 'list')).toMatch(/\[revoked\]/);
    await expect(onegrid('user', 'add', 'weak', '--name', 'x', '--password', 'short')).rejects.toThrow(/Password needs/);
  });

  it('imports grids, then redraws a street\'s corner merging one community into another (--retire-missing --merge)', async () => {
    const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
    const file = (name: string, grids: [string, number[][][]][]) => {
      const path = join(tdb.dataDir, name);
      writeFileSync(path, JSON.stringify({
        type: 'FeatureCollection',
        features: grids.map(([code, poly]) => ({ type: 'Feature', properties: { code, name: `网格${code.slice(-3)}`, community_code: code.slice(0, 12) }, geometry: { type: 'Polygon', coordinates: poly } })),
      }));
      return path;
    };
    const A = '110112001006', C = '110112001011';
    expect(await onegrid('grids', 'import', file('a.geojson', [[`${A}001`, square(116.6, 39.8, 116.61, 39.81)], [`${A}002`, square(116.61, 39.8, 116.62, 39.81)]])))
      .toMatch(/Imported 2 grids \(2 new, 0 updated\)/);
    await expect(onegrid('grids', 'import', file('c.geojson', [[`${C}001`, square(116.6, 39.8, 116.62, 39.81)]]), '--merge', A)).rejects.toThrow(/retireMissing/);
    const out = await onegrid('grids', 'import', file('c.geojson', [[`${C}001`, square(116.6, 39.8, 116.62, 39.81)]]), '--retire-missing', '--merge', A);
    expect(out).toMatch(/Retired 2 grids the file leaves out:\n  110112001006001 网格001\n  110112001006002 网格002/);
    expect(out).toMatch(/Merged and retired 1 communities:\n  110112001006 悟仙观社区居委会/);
  });

  it('builds a smaller demo year with --quick or --cases, whatever the environment says, and refuses a size it does not know', async () => {
    const fresh = await createTestDatabase();
    const demo = (t: TestDatabase, ...args: string[]) => onegridWith({ ...envOf(t), ONEGRID_DEMO_CASES: 'full' }, 'demo', ...args);
    try {
      expect(await demo(fresh, '--quick')).toMatch(/demo year: 1409 reports/);
      await expect(demo(fresh, '--quick')).rejects.toThrow(/not empty/);
    } finally {
      await fresh.drop();
    }
    const small = await createTestDatabase();
    try {
      await expect(demo(small, '--cases', 'lots')).rejects.toThrow(/--cases must be full, quick, off or a number of reports, not lots/);
      expect(await demo(small, '--cases', '300')).toMatch(/demo year: 300 reports/);
    } finally {
      await small.drop();
    }
  });

  it('prints help for every command', async () => {
    for (const cmd of [[], ['user'], ['apikey'], ['divisions'], ['backup'], ['restore'], ['serve'], ['migrate'], ['demo']]) {
      expect(await onegrid(...cmd, '--help')).toMatch(/Usage: onegrid/);
    }
  });

  it('backup then restore round-trips the data', async () => {
    const file = join(tdb.dataDir, 'backup.bin');
    const before = await counts();
    expect(before.users).toBe(1);
    await onegrid('backup', file);
    await onegrid('user', 'add', 'later', '--name', '后来的用户', '--password', 'later-user-2026');
    expect((await counts()).users).toBe(2);
    await onegrid('restore', file);
    expect(await counts()).toEqual(before);
    // the restored database is usable: migrations are recorded, sign-in data intact
    expect(await onegrid('migrate')).toMatch(/up to date/);
    expect(await onegrid('user', 'list')).toMatch(/ops/);
  });
});
