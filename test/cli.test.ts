import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/platform/db.js';
import { createTestApp, signIn } from './support/app.js';
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

/** The command and its TypeScript loader by absolute paths, so that it runs from any directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = join(process.cwd(), 'src', 'cli', 'index.ts');

/** Runs the real onegrid command in the directory `cwd` with these settings (a server that should not have started is stopped). */
async function onegridIn(cwd: string, settings: Record<string, string>, ...args: string[]) {
  const r = await run(process.execPath, ['--import', TSX, CLI, ...args], { env: { ...process.env, ...settings }, cwd, timeout: 50_000 });
  return r.stdout;
}

/** Runs the real onegrid command with these settings. */
const onegridWith = (settings: Record<string, string>, ...args: string[]) => onegridIn(process.cwd(), settings, ...args);

/** A run that must fail: its exit code and what it said on stderr. */
async function failure(running: Promise<string>): Promise<{ code: number; stderr: string }> {
  const outcome = await running.catch((e: { code: number; stderr: string }) => e);
  if (typeof outcome === 'string') throw new Error(`the command succeeded:\n${outcome}`);
  return { code: outcome.code, stderr: outcome.stderr };
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

  it('refuses a username or display name the API refuses, naming the field (exit code 1)', async () => {
    const api = await createTestApp();
    try {
      const headers = await signIn(api.app, 'admin');
      const named = { username: /Username ".*" is not allowed: give 3 to 64 letters/, displayName: /Display name \(--name\) must have 1 to 64 characters/ };
      const samples: [username: string, displayName: string, refused: keyof typeof named | null][] = [
        ['a b', '张三', 'username'], ['x', '张三', 'username'], ['ab', '张三', 'username'], ['a'.repeat(200), '张三', 'username'],
        ['a'.repeat(65), '张三', 'username'], ['zhāng', '张三', 'username'], ['a/b', '张三', 'username'],
        ['abc', '张三', null], ['a'.repeat(64), '张三', null], ['ops.team-1_b', '张三', null],
        ['okname', '', 'displayName'], ['okname2', '名'.repeat(64), null], ['okname3', '名'.repeat(65), 'displayName'],
      ];
      // the API with a good password; the command with a weak one, so that a name it lets through is
      // stopped by the password rule (checked by the service, as for the API) and nothing is created
      for (const [username, displayName, refused] of samples) {
        const res = await api.app.inject({ method: 'POST', url: '/api/users', headers, payload: { username, displayName, password: 'sample-user-2026' } });
        expect(res.statusCode, `API: ${username} / ${displayName}: ${res.body}`).toBe(refused ? 400 : 201);
      }
      await Promise.all(samples.map(async ([username, displayName, refused]) => {
        const cli = await failure(onegrid('user', 'add', username, '--name', displayName, '--password', 'short'));
        expect(cli.code).toBe(1);
        expect(cli.stderr, `${username} / ${displayName}`).toMatch(refused ? named[refused] : /Password needs at least 10 characters/);
      }));
      expect((await counts()).users).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('refuses to open a database that does not exist instead of creating an empty one; migrate creates it', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'onegrid-elsewhere-')));
    // run from another directory, with neither setting: the database would be ./var/onegrid.db there
    const elsewhere = { ONEGRID_DATA_DIR: '', DATABASE_URL: '', LOG_LEVEL: 'silent' };
    try {
      const missing = `No database at ${join(dir, 'var', 'onegrid.db')} (ONEGRID_DATA_DIR=var, the default); run "onegrid migrate" to create one, or set ONEGRID_DATA_DIR.\n`;
      const commands = [['user', 'list'], ['user', 'passwd', 'ops', '--password', 'operator-2026'], ['grids', 'check'], ['backup', 'copy.bin']];
      for (const r of await Promise.all(commands.map((args) => failure(onegridIn(dir, elsewhere, ...args))))) expect(r).toEqual({ code: 1, stderr: missing });
      expect(existsSync(join(dir, 'var'))).toBe(false);
      // the message names the setting the path came from
      expect((await failure(onegridIn(dir, { ...elsewhere, ONEGRID_DATA_DIR: 'data' }, 'user', 'list'))).stderr)
        .toBe(`No database at ${join(dir, 'data', 'onegrid.db')} (ONEGRID_DATA_DIR=data); run "onegrid migrate" to create one, or set ONEGRID_DATA_DIR.\n`);
      expect((await failure(onegridIn(dir, { ...elsewhere, DATABASE_URL: 'sqlite:x.db' }, 'user', 'list'))).stderr)
        .toBe(`No database at ${join(dir, 'x.db')} (DATABASE_URL=sqlite:x.db); run "onegrid migrate" to create one, or set DATABASE_URL.\n`);
      expect(await onegridIn(dir, elsewhere, 'migrate')).toMatch(/Applied: 001_core/);
      expect(await onegridIn(dir, elsewhere, 'user', 'list')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads numbers in digits only, refusing anything else as a bad argument (exit code 2) that it names', async () => {
    const id = /API key (\d+)/.exec(await onegrid('apikey', 'create', 'gis sync', '--role', 'street_dispatcher', '--division', '110112001'))![1];
    const refusals = await Promise.all([`${id}e0`, `${id}.0`, `0x${id}`, 'abc', ''].map((bad) => failure(onegrid('apikey', 'revoke', bad))));
    for (const r of refusals) expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/is invalid for argument 'id'\. Give a whole number in digits\./) });
    expect(await onegrid('apikey', 'list')).toMatch(new RegExp(`^ +${id} .*gis sync.*110112001[^\\[]*$`, 'm')); // not revoked
    expect(await failure(onegrid('apikey', 'revoke', '42'))).toMatchObject({ code: 1, stderr: expect.stringContaining('No API key with id 42.') });
    expect(await onegrid('apikey', 'revoke', id)).toMatch(new RegExp(`API key ${id} \\(gis sync\\) revoked`));
    expect(await failure(onegrid('apikey', 'revoke', id))).toMatchObject({ code: 1, stderr: expect.stringContaining(`API key ${id} (gis sync) was revoked already.`) });
    const [sliver, sliverExp, seed, seedDecimal, cases] = await Promise.all([
      failure(onegrid('grids', 'check', '--sliver', 'abc')), failure(onegrid('grids', 'check', '--sliver', '1e3')),
      failure(onegrid('demo', '--seed', 'abc')), failure(onegrid('demo', '--seed', '1.5')), failure(onegrid('demo', '--cases', '1e3')),
    ]);
    expect(sliver).toMatchObject({ code: 2, stderr: expect.stringContaining("option '--sliver <m2>' argument 'abc' is invalid") });
    expect(sliverExp).toMatchObject({ code: 2, stderr: expect.stringContaining("option '--sliver <m2>' argument '1e3' is invalid") });
    expect(seed).toMatchObject({ code: 2, stderr: expect.stringContaining("option '--seed <n>' argument 'abc' is invalid") });
    expect(seedDecimal).toMatchObject({ code: 2, stderr: expect.stringContaining("option '--seed <n>' argument '1.5' is invalid") });
    expect(cases).toMatchObject({ code: 2, stderr: expect.stringContaining('--cases must be full, quick, off or a number of reports, not 1e3') });
    // a decimal --sliver is read (the check then fails, exit code 1: this database has no district boundary to check against)
    const decimal = await failure(onegrid('grids', 'check', '--sliver', '0.5'));
    expect(decimal.code).toBe(1);
    expect(decimal.stderr).not.toMatch(/--sliver/);
  });

  it('shows a department\'s API key with the department\'s code and name', async () => {
    const h = openDatabase(tdb.database);
    try {
      await h.db.insertInto('departments').values({ code: 'CG', name: '城管执法', name_en: 'City management', area_code: '110112', phone: null, created_at: Date.now() }).execute();
    } finally {
      await h.close();
    }
    await onegrid('apikey', 'create', 'cg sync', '--role', 'department_staff', '--department', 'CG');
    const list = await onegrid('apikey', 'list');
    expect(list).toMatch(/cg sync +department_staff@CG \(城管执法\)$/m);
    expect(list).toMatch(/12345 hotline +street_dispatcher@110112001 \(中仓街道/);
  });

  it('disables, enables and unlocks an account, as the API does, audited without an actor', async () => {
    const h = openDatabase(tdb.database);
    const ops = () => h.db.selectFrom('users').selectAll().where('username', '=', 'ops').executeTakeFirstOrThrow();
    try {
      expect(await onegrid('user', 'disable', 'ops')).toMatch(/^Disabled ops; their sessions ended\.$/m);
      expect(await onegrid('user', 'list')).toMatch(/ops .*\[disabled\] admin@110112/);
      expect(await onegrid('user', 'enable', 'ops')).toMatch(/^Enabled ops\.$/m);
      expect(await ops()).toMatchObject({ disabled: 0 });
      // locked after failed sign-ins: unlocked, the password kept
      await h.db.updateTable('users').set({ failed_logins: 5, locked_until: Date.now() + 900_000 }).where('username', '=', 'ops').execute();
      const { password_hash: hash } = await ops();
      expect(await onegrid('user', 'list')).toMatch(/ops .*\[locked\] admin@110112/);
      expect(await onegrid('user', 'unlock', 'ops')).toMatch(/^Unlocked ops\.$/m);
      expect(await ops()).toMatchObject({ failed_logins: 0, locked_until: null, password_hash: hash });
      expect(await failure(onegrid('user', 'disable', 'nobody'))).toMatchObject({ code: 1, stderr: expect.stringContaining('No user nobody.') });
      const audited = await h.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'actor_api_key_id', 'ip'])
        .where('action', 'in', ['user.disable', 'user.enable', 'user.unlock']).orderBy('id').execute();
      expect(audited.map((a) => a.action)).toEqual(['user.disable', 'user.enable', 'user.unlock']);
      for (const a of audited) expect(a).toMatchObject({ actor_user_id: null, actor_api_key_id: null, ip: 'cli' });
    } finally {
      await h.close();
    }
  });

  it('takes back a grant by role and division or department code, as the API does, audited without an actor', async () => {
    const h = openDatabase(tdb.database);
    const grants = async () => (await h.db.selectFrom('grants').innerJoin('users', 'users.id', 'grants.user_id').select(['grants.role', 'grants.division_code', 'grants.department_id'])
      .where('users.username', '=', 'ops').orderBy('grants.id').execute()).map((g) => `${g.role}@${g.division_code ?? 'department'}`);
    try {
      expect(await onegrid('user', 'revoke', 'ops', 'leader', '110112001')).toMatch(/^Revoked leader on 110112001 from ops\.$/m);
      await onegrid('user', 'grant', 'ops', '--role', 'department_staff', '--department', 'CG');
      expect(await grants()).toEqual(['admin@110112', 'department_staff@department']);
      expect(await onegrid('user', 'revoke', 'ops', 'department_staff', 'CG')).toMatch(/^Revoked department_staff on CG from ops\.$/m);
      expect(await grants()).toEqual(['admin@110112']);
      const [again, badRole] = await Promise.all([failure(onegrid('user', 'revoke', 'ops', 'leader', '110112001')), failure(onegrid('user', 'revoke', 'ops', 'boss', '110112'))]);
      expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('ops holds no role leader on 110112001 (their grants: admin@110112).') });
      expect(badRole).toMatchObject({ code: 2, stderr: expect.stringContaining("invalid for argument 'role'") });
      const audited = await h.db.selectFrom('audit_log').select(['actor_user_id', 'actor_api_key_id', 'ip']).where('action', '=', 'grant.remove').execute();
      expect(audited).toEqual([{ actor_user_id: null, actor_api_key_id: null, ip: 'cli' }, { actor_user_id: null, actor_api_key_id: null, ip: 'cli' }]);
    } finally {
      await h.close();
    }
  });

  it('says in plain words why the database cannot be used: no PostgreSQL there, or migrated by a newer version', async () => {
    // never the URL's password
    const down = { ...env, DATABASE_URL: 'postgres://onegrid:s3cret-pw@127.0.0.1:1/onegrid', PORT: '0' };
    for (const r of await Promise.all([['user', 'list'], ['migrate'], ['serve']].map((args) => failure(onegridWith(down, ...args))))) {
      expect(r).toEqual({ code: 1, stderr: 'Cannot connect to the database at 127.0.0.1:1 (connect ECONNREFUSED); is PostgreSQL running?\n' });
    }
    const h = openDatabase(tdb.database);
    try {
      await sql`insert into onegrid_migrations (name, timestamp) values ('099_future', ${new Date().toISOString()})`.execute(h.db);
      const newer = 'This database was migrated by a newer OneGrid (it has migration 099_future, which this version does not know); run the newer version, or restore a backup made for this one.\n';
      for (const args of [['user', 'list'], ['migrate'], ['serve']]) expect(await failure(onegridWith({ ...env, PORT: '0' }, ...args))).toEqual({ code: 1, stderr: newer });
    } finally {
      await sql`delete from onegrid_migrations where name = '099_future'`.execute(h.db);
      await h.close();
    }
  });

  it('sets the district\'s boundary from a city\'s file of districts, then checks the grids against it', async () => {
    // before: the check says how to set one
    expect((await failure(onegrid('grids', 'check'))).stderr).toMatch(/onegrid divisions boundary/);
    expect((await failure(onegrid('divisions', 'boundary', join(tdb.dataDir, 'missing.geojson')))).stderr).toMatch(/is not a JSON file/);
    expect(await onegrid('divisions', 'boundary', 'data/beijing-districts.geojson')).toMatch(/Boundary of 通州区 \(110112\) set: \d+\.\d km²/);
    const h = openDatabase(tdb.database);
    try {
      expect(await h.db.selectFrom('audit_log').select(['action', 'ip']).where('action', '=', 'division.boundary').execute()).toEqual([{ action: 'division.boundary', ip: 'cli' }]);
    } finally {
      await h.close();
    }
    // the few grids of the tests above do not tile the district: the check now runs and finds the gaps (exit code 1)
    const check = await onegrid('grids', 'check').catch((e: { code: number; stdout: string }) => e);
    expect(check).toMatchObject({ code: 1, stdout: expect.stringMatching(/gap/i) });
  });

  it('prints help for every command', async () => {
    for (const cmd of [[], ['user'], ['apikey'], ['divisions'], ['backup'], ['restore'], ['serve'], ['migrate'], ['demo'], ['user', 'revoke'], ['user', 'disable'], ['user', 'enable'], ['user', 'unlock']]) {
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
