import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/server/config.js';
import { buildApp } from '../../src/server/app.js';
import { openDatabase, type DbHandle } from '../../src/server/platform/db.js';
import { migrateToLatest } from '../../src/server/db/migrator.js';
import { ManualClock, systemClock } from '../../src/server/platform/clock.js';
import type { App } from '../../src/server/platform/http.js';
import { seedDepartments, seedTongzhouDivisions, TONGZHOU_CODE } from '../../src/server/demo/base.js';
import { createDemoAccounts, demoAccounts, DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { backupDatabase, restoreDatabase } from '../../src/server/platform/backup.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export const TEST_PASSWORD = DEMO_PASSWORD;
export const STREET_A = '110112001'; // 中仓街道
export const STREET_B = '110112002'; // 新华街道
export const COMMUNITY_A = '110112001006'; // 悟仙观社区
export const TEST_DEPARTMENTS = [
  { code: 'CG', name: '区城管执法局', nameEn: 'City management' },
  { code: 'SZ', name: '区市政市容委', nameEn: 'Municipal works' },
  { code: 'GA', name: '区公安分局', nameEn: 'Public security' },
];

export interface TestContext {
  app: App;
  dbh: DbHandle;
  config: Config;
  clock: ManualClock;
  tdb: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real app on a fresh database, seeded with Tongzhou's divisions, three departments and one
 * account per role (usernames admin, district, street, community, gridworker, department, leader).
 */
export async function createTestApp(env: Record<string, string> = {}, opts: { seed?: boolean; realTime?: boolean; demo?: boolean; webRoot?: string } = {}): Promise<TestContext> {
  const tdb = await createTestDatabase();
  const config = loadConfig({ ONEGRID_DATA_DIR: tdb.dataDir, LOG_LEVEL: 'silent', ONEGRID_DEMO: 'off', EVALUATION_THREAD: 'off', ...env });
  config.database = tdb.database;
  // the browser journeys' demo district is built once per run and size of its year, and copied (e2e/support/setup.ts)
  const templates = opts.demo && tdb.database.kind === 'sqlite' ? process.env.ONEGRID_TEST_DEMO_TEMPLATES : undefined;
  const template = templates ? join(templates, `demo-${process.env.ONEGRID_DEMO_CASES ?? 'default'}.db`) : undefined;
  const fromTemplate = !!template && existsSync(template);
  if (fromTemplate) await restoreDatabase(tdb.database, template);
  const dbh = openDatabase(config.database);
  await migrateToLatest(dbh.db);
  // Monday 10:00 in Beijing, or the real time for browser journeys (cookies expire in real time)
  const clock = new ManualClock(opts.realTime ? Date.now() : Date.UTC(2026, 10, 2, 2, 0, 0));
  if (opts.demo) {
    // the whole Tongzhou demo district: 1,809 grids, the team, one account per role (or its copy)
    if (!fromTemplate) {
      const { runDemo } = await import('../../src/server/demo/index.js');
      await import('../../src/server/demo/steps.js');
      await runDemo(dbh.db, { seed: 1, now: clock.now() });
      if (template) await backupDatabase(tdb.database, template);
    }
  } else if (opts.seed !== false) {
    const now = clock.now();
    await seedTongzhouDivisions(dbh.db, now);
    await seedDepartments(dbh.db, TONGZHOU_CODE, TEST_DEPARTMENTS, now);
    await createDemoAccounts(dbh.db, demoAccounts({ district: TONGZHOU_CODE, street: STREET_A, community: COMMUNITY_A, grid: null, department: 'CG' }), now);
  }
  const app = await buildApp(config, { dbh, clock: opts.realTime ? systemClock : clock, migrate: false, logger: false, webRoot: opts.webRoot });
  await app.ready();
  return {
    app, dbh, config, clock, tdb,
    close: async () => {
      await app.close();
      await dbh.close();
      await tdb.drop();
    },
  };
}

/** Signs in through the API and returns the cookie and CSRF headers for later requests. */
export async function signIn(app: App, username: string, password = TEST_PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'og_session')!;
  const csrf = res.json().csrfToken as string;
  return { cookie: `og_session=${cookie.value}`, 'x-csrf-token': csrf };
}
