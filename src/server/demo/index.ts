import type { Db } from '../platform/db.js';
import { getSetting, setSetting } from '../platform/settings.js';
import { DEPARTMENTS } from '../../shared/cases/departments.js';
import { seedDepartments, seedTongzhouDivisions, TONGZHOU_CODE } from './base.js';
import { createDemoAccounts, demoAccounts, DEMO_PASSWORD, type DemoAccount } from './accounts.js';

export interface DemoOptions {
  seed: number;
  /** The year 2013's size: full, quick, off or a number of reports (default: ONEGRID_DEMO_CASES, else full). */
  cases?: string;
  now?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  accounts: DemoAccount[];
  password: string;
  timings: Record<string, number>;
}

/** Extra demo steps registered by modules (grids and team, cases …), run in order after the base. */
export type DemoStep = { name: string; run(db: Db, opts: DemoOptions & { now: number }): Promise<void> };
export const demoSteps: DemoStep[] = [];

/** Is the database still empty (no division tree yet)? Then `serve` builds the demo. */
export async function databaseIsEmpty(db: Db): Promise<boolean> {
  return !(await db.selectFrom('divisions').select('code').limit(1).executeTakeFirst());
}

/** Settings key marking a demo build under way: left behind, it says the database holds half a demo. */
const BUILDING = 'demo.building';

/**
 * When a demo build began and never ended (the process stopped, or a step failed), or null. Such a
 * database is not empty, so no demo is built on it again, yet it may hold no account to sign in with:
 * start again from an empty database.
 */
export async function unfinishedDemo(db: Db): Promise<number | null> {
  const value = await getSetting(db, BUILDING);
  return value ? (JSON.parse(value) as { startedAt: number }).startedAt : null;
}

/** What to tell an operator about a half-built demo. */
export function unfinishedDemoMessage(startedAt: number): string {
  return `A demo build that began at ${new Date(startedAt).toISOString()} did not finish: this database holds part of a demo district and maybe no account. Remove the database (its files in ONEGRID_DATA_DIR, or the PostgreSQL schema) and start again.`;
}

/**
 * `onegrid demo`: builds the Tongzhou demo district — real divisions, the departments the seed
 * names, one sign-in account per role — then every registered module step (grids, team, cases).
 */
export async function runDemo(db: Db, opts: DemoOptions): Promise<DemoResult> {
  const now = opts.now ?? Date.now();
  const log = opts.log ?? (() => {});
  const timings: Record<string, number> = {};
  const timed = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    timings[name] = Math.round(performance.now() - t0);
    log(`demo: ${name} (${timings[name]} ms)`);
  };
  const unfinished = await unfinishedDemo(db);
  // a build that stopped before it wrote anything leaves only its mark: begin again
  if (unfinished !== null && !(await databaseIsEmpty(db))) throw new Error(unfinishedDemoMessage(unfinished));
  await setSetting(db, BUILDING, JSON.stringify({ startedAt: now }), now);
  await timed('divisions', () => db.transaction().execute((tx) => seedTongzhouDivisions(tx, now)));
  await timed('departments', () =>
    db.transaction().execute((tx) => seedDepartments(tx, TONGZHOU_CODE, DEPARTMENTS.map((d) => ({ code: d.code, name: d.zh, nameEn: d.en })), now)),
  );
  for (const step of demoSteps) await timed(step.name, () => step.run(db, { ...opts, now }));
  // the grid worker's account goes to the first grid of the first community, once grids exist
  const grid = await db.selectFrom('divisions').select('code').where('level', '=', 0).where('code', 'like', '110112001006%').orderBy('code').executeTakeFirst();
  const accounts = demoAccounts({ district: TONGZHOU_CODE, street: '110112001', community: '110112001006', grid: grid?.code ?? null, department: 'CG' });
  await timed('accounts', () => db.transaction().execute((tx) => createDemoAccounts(tx, accounts, now)));
  await db.transaction().execute(async (tx) => {
    await setSetting(tx, 'demo', JSON.stringify({ seed: opts.seed, builtAt: now }), now);
    await tx.deleteFrom('settings').where('key', '=', BUILDING).execute();
  });
  return { accounts, password: DEMO_PASSWORD, timings };
}
