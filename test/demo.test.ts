import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestContext } from './support/app.js';
import { runDemo, unfinishedDemo, type DemoResult } from '../src/server/demo/index.js';
import '../src/server/demo/steps.js';
import { DEMO_TEAM_TOTAL } from '../src/server/demo/geo.step.js';
import { coverageOf } from '../src/server/modules/geo/grids.service.js';

/** `onegrid demo` builds Tongzhou: real divisions, 1,809 grids that tile it, a team of 15,082. */
let t: TestContext;
let demo: DemoResult;
let ms = 0;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }, { seed: false });
  const t0 = performance.now();
  demo = await runDemo(t.dbh.db, { seed: 1, now: t.clock.now() });
  ms = performance.now() - t0;
  await t.app.ctx.services.locator && (t.app.ctx.services.locator as { reload(): Promise<void> }).reload();
}, 180_000);
afterAll(() => t?.close());

const count = async (level: number) => Number((await t.dbh.db.selectFrom('divisions').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', level).executeTakeFirstOrThrow()).n);

describe('the Tongzhou demo district', () => {
  it('has the real 22 streets and 656 communities and exactly 1,809 grids', async () => {
    expect(await count(20)).toBe(22);
    expect(await count(10)).toBe(656);
    expect(await count(0)).toBe(1809);
    expect(await unfinishedDemo(t.dbh.db)).toBeNull(); // finished: its mark is gone
    const noGrid = await t.dbh.db.selectFrom('divisions as c').select('c.code').where('c.level', '=', 10)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('divisions as g').select('g.code').whereRef('g.parent_code', '=', 'c.code')))).execute();
    expect(noGrid).toEqual([]);
  });

  it('passes its own coverage check', async () => {
    const report = await coverageOf(t.dbh.db, 1);
    expect(report.verdict).toBe('ok');
    expect(report.gridCount).toBe(1809);
    expect(report.overlaps.filter((o) => !o.sliver)).toEqual([]);
    expect(report.gaps.filter((g) => !g.sliver)).toEqual([]);
    expect(Math.abs(report.gridsAreaM2 - report.boundaryAreaM2) / report.boundaryAreaM2).toBeLessThan(1e-6);
  });

  it('has a team of exactly 15,082 with the 2013 composition', async () => {
    const admin = await signIn(t.app, 'admin');
    const [district] = (await t.app.inject({ method: 'GET', url: '/api/team/counts?by=district', headers: admin })).json().items;
    expect(district.total).toBe(DEMO_TEAM_TOTAL);
    expect(district.total).toBe(15082);
    expect(district).toMatchObject({ fulltime: 1809 + 7309, professional: 2422, social: 3542 });
    const heads = await t.dbh.db.selectFrom('team_members as m').innerJoin('team_assignments as a', 'a.member_id', 'm.id')
      .select((eb) => eb.fn.count<number>('a.grid_code').distinct().as('n')).where('m.role', '=', 'grid_head').executeTakeFirstOrThrow();
    expect(Number(heads.n)).toBe(1809);
    expect(district.heads).toBe(1809); // the team page's card reads them from the counts, not from a list of people
  });

  it('locates a point of the district into a grid, and signs in every role', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/geo/locate?lon=116.66&lat=39.90', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json().gridCode).toMatch(/^110112\d{9}$/);
    for (const a of demo.accounts) await signIn(t.app, a.username, demo.password);
    const gw = demo.accounts.find((a) => a.role === 'grid_worker')!;
    expect(gw.divisionCode).toMatch(/^110112001006\d{3}$/);
  });

  it('builds in under 30 s', () => {
    console.log(`demo built in ${(ms / 1000).toFixed(1)} s`, demo.timings);
    expect(ms).toBeLessThan(30_000);
  });
});
