import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './support/app.js';
import { databaseIsEmpty, demoSteps, runDemo, unfinishedDemo, type DemoStep } from '../src/server/demo/index.js';

/** A demo build that stops half-way says so, instead of leaving a database no one can sign in to, unexplained. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({}, { seed: false });
});
afterAll(() => t?.close());

describe('a demo build that did not finish', () => {
  it('leaves its mark, and a second build is refused with what to do', async () => {
    expect(await databaseIsEmpty(t.dbh.db)).toBe(true);
    const failing: DemoStep = { name: 'a step that fails', run: async () => { throw new Error('disk full'); } };
    demoSteps.unshift(failing);
    try {
      await expect(runDemo(t.dbh.db, { seed: 1, now: t.clock.now() })).rejects.toThrow('disk full');
    } finally {
      demoSteps.splice(demoSteps.indexOf(failing), 1);
    }
    // the divisions went in, the accounts did not
    expect(await databaseIsEmpty(t.dbh.db)).toBe(false);
    expect(await t.dbh.db.selectFrom('users').select('id').execute()).toEqual([]);
    expect(await unfinishedDemo(t.dbh.db)).toBe(t.clock.now());
    await expect(runDemo(t.dbh.db, { seed: 1, now: t.clock.now() })).rejects.toThrow(/did not finish: .*start again/);
  });
});
