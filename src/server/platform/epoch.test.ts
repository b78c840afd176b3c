import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/support/app.js';
import { TONGZHOU_CODE } from '../demo/base.js';
import { findUserByUsername } from '../modules/people/people.repo.js';
import { addGrant, createApiKey, revokeApiKey } from '../modules/people/users.service.js';
import { openDatabase, type DbHandle } from './db.js';
import { EpochMemo, type AccessEpoch } from './epoch.js';

const system = (now: number) => ({ actor: null, now });

/** Waits until `ok()` holds (PostgreSQL's notices arrive after the commit, a moment later). */
async function until(ok: () => boolean | Promise<boolean>, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return ok();
}

describe('EpochMemo', () => {
  const epochAt = (box: { n: number | null }): AccessEpoch => ({ current: () => box.n, moved: () => {} });

  it('loads once while the epoch stands still, again when it moves', async () => {
    const box = { n: 1 as number | null };
    const memo = new EpochMemo<number>(epochAt(box));
    let loads = 0;
    const load = async () => ++loads;
    expect(await memo.get('k', load)).toBe(1);
    expect(await memo.get('k', load)).toBe(1);
    box.n = 2;
    expect(await memo.get('k', load)).toBe(2);
    expect(await memo.get('k', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('keeps nothing while the epoch is unknown, nor a value loaded while it moved', async () => {
    const box = { n: null as number | null };
    const memo = new EpochMemo<number>(epochAt(box));
    let loads = 0;
    await memo.get('k', async () => ++loads);
    await memo.get('k', async () => ++loads);
    expect(loads).toBe(2);
    box.n = 5;
    // the epoch moves during the load: the value answers this call only
    await memo.get('k', async () => { box.n = 6; return ++loads; });
    expect(await memo.get('k', async () => ++loads)).toBe(4);
    expect(await memo.get('k', async () => ++loads)).toBe(4);
  });
});

describe('access epoch', () => {
  let t: TestContext;
  let other: DbHandle;
  beforeAll(async () => {
    t = await createTestApp();
    // another process's connection, as the command line's
    other = openDatabase(t.config.database);
    await until(() => t.app.ctx.access.current() !== null);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('moves when another process changes grants, not when it writes other tables', async () => {
    const before = t.app.ctx.access.current();
    expect(before).not.toBeNull();
    await other.db.updateTable('users').set({ last_login_at: 1 }).execute();
    await other.db.insertInto('settings').values({ key: 'epoch.test', value: '1', updated_at: 1 }).execute();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.app.ctx.access.current()).toBe(before);
    const user = await findUserByUsername(other.db, 'gridworker');
    await addGrant(other.db, system(t.clock.now()), user!.id, { role: 'leader', divisionCode: '110112001006' });
    expect(await until(() => t.app.ctx.access.current() !== before)).toBe(true);
  });

  it('a key revoked by another process is refused as soon as the epoch moves', async () => {
    const { id, key } = await createApiKey(t.dbh.db, system(t.clock.now()), { name: 'epoch', role: 'district_dispatcher', divisionCode: TONGZHOU_CODE, departmentCode: null });
    const get = () => t.app.inject({ method: 'GET', url: '/api/cases', headers: { authorization: `Bearer ${key}` } });
    expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
    const before = t.app.ctx.access.current();
    await revokeApiKey(other.db, system(t.clock.now()), id);
    expect(await until(() => t.app.ctx.access.current() !== before)).toBe(true);
    const res = await get();
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_api_key');
  });
});
