import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import type { App } from '../../../platform/http.js';
import { createTestApp, signIn } from '../../../../../test/support/app.js';
import { ROLE_USERS, jpeg, must, mustWithPhotos, report, type CaseOut, type CasesTestContext, withCaseDistrict } from '../cases.testing.js';
import { replayCase, snapshotOf } from '../cases.service.js';
import { cardsOfCase } from './cards.js';
import { leaseOf } from './lease.js';
import { runSchedulerTick, SCHEDULER_LEASE, startScheduler, stopScheduler } from './scheduler.js';

/**
 * The scheduler through the real app and database: cards once per step across ticks, restarts and
 * concurrent nodes; the lease; archiving after the set days; a suspended clock gets no cards.
 */
let t: CasesTestContext;
let second: App | null = null;
const MIN = 60_000;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

/** Accepted under 01001-01 (cover missing: 2 urgent hours) and dispatched: the handling clock runs. */
async function dispatchedCase(): Promise<CaseOut> {
  let c = await report(t, 'gridworker');
  c = await must(t, 'district', c, 'accept', { condition_code: '01001-01' });
  return must(t, 'district', c, 'dispatch', { department: 'CG' });
}

/** Sessions end after hours without use; after the clock jumps days ahead everyone signs in again. */
async function signInAgain() {
  for (const u of ROLE_USERS) t.as[u] = await signIn(t.app, u);
}

const storedCase = (id: number) => t.dbh.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const tick = (app: App = t.app) => runSchedulerTick(app.ctx, t.clock.now());
const cardsFor = async (id: number) => (await cardsOfCase(t.dbh.db, id)).map((c) => `${c.step}:${c.kind}`);
const inboxKinds = async (caseId: number) =>
  (await t.dbh.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['users.username', 'kind'])
    .where('case_id', '=', caseId).where('kind', 'in', ['due_soon', 'overdue']).orderBy('notifications.id').execute()).map((r) => `${r.username}:${r.kind}`);

describe('yellow and red cards', () => {
  let c: CaseOut;
  beforeAll(async () => {
    c = await dispatchedCase();
  });

  it('gives nothing while the step is green', async () => {
    t.clock.advance(90 * MIN); // 75% of 2 hours
    expect((await tick()).cards.filter((k) => k.caseId === c.id)).toEqual([]);
    expect(await cardsFor(c.id)).toEqual([]);
  });

  it('gives the yellow card at 80% of the limit, once, and tells the holder', async () => {
    t.clock.advance(10 * MIN); // 100 of 120 minutes
    const first = await tick();
    expect(first.ran).toBe(true);
    expect(first.cards.filter((k) => k.caseId === c.id).map((k) => k.kind)).toEqual(['yellow']);
    expect((await tick()).cards.filter((k) => k.caseId === c.id)).toEqual([]);
    expect(await cardsFor(c.id)).toEqual(['handle:yellow']);
    expect(await inboxKinds(c.id)).toEqual(['department:due_soon']);
  });

  it('gives the red card once past due, once', async () => {
    t.clock.advance(21 * MIN);
    expect((await tick()).cards.filter((k) => k.caseId === c.id).map((k) => k.kind)).toEqual(['red']);
    expect((await tick()).cards.filter((k) => k.caseId === c.id)).toEqual([]);
    expect(await cardsFor(c.id)).toEqual(['handle:yellow', 'handle:red']);
    expect(await inboxKinds(c.id)).toEqual(['department:due_soon', 'department:overdue']);
  });

  it('records each card in the history as the system, and leaves the state and version as they were', async () => {
    const detail = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.district })).json();
    expect(detail).toMatchObject({ state: 'dispatched', version: c.version, light: 'red' });
    const timeline = detail.timeline as { seq: number; action: string; from: string; to: string; step: string | null; dueAt: number | null; actor: { kind: string } }[];
    expect(timeline.map((e) => [e.seq, e.action])).toEqual([[1, 'report'], [2, 'accept'], [3, 'dispatch'], [4, 'yellow_card'], [5, 'red_card']]);
    for (const card of timeline.slice(3)) {
      expect(card).toMatchObject({ from: 'dispatched', to: 'dispatched', step: 'handle', dueAt: timeline[2]!.dueAt, actor: { kind: 'system' } });
    }
    const kept = await t.dbh.db.selectFrom('case_cards').innerJoin('case_events', 'case_events.id', 'case_cards.event_id')
      .select(['case_cards.kind', 'case_events.action']).where('case_cards.case_id', '=', c.id).orderBy('case_events.seq').execute();
    expect(kept).toEqual([{ kind: 'yellow', action: 'yellow_card' }, { kind: 'red', action: 'red_card' }]);
    // a resident's progress shows only what moved the case
    const track = (await t.app.inject({ method: 'GET', url: `/api/public/cases/${c.trackingCode}` })).json();
    expect(track.timeline.map((e: { action: string }) => e.action)).toEqual(['report', 'accept', 'dispatch']);
  });

  it('the holder acts on the version they read before the cards: no conflict, the history goes on, replay still gives the case', async () => {
    const claimed = await must(t, 'department', c, 'claim');
    expect(claimed.version).toBe(c.version + 1);
    const timeline = claimed.timeline as { seq: number; action: string }[];
    expect(timeline.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'yellow_card', 'red_card', 'claim']);
    expect(timeline.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await replayCase(t.app.ctx, claimed.id)).toEqual(snapshotOf(await storedCase(claimed.id)));
  });

  it('a new step starts a fresh pair; a step already past due gets both at once but only the red is announced', async () => {
    const late = await dispatchedCase();
    t.clock.advance(3 * 60 * MIN);
    const r = await tick();
    expect(r.cards.filter((k) => k.caseId === late.id).map((k) => k.kind)).toEqual(['yellow', 'red']);
    expect(await inboxKinds(late.id)).toEqual(['department:overdue']);
    // the department returns it: the dispatch step's clock starts, with cards of its own later
    const returned = await must(t, 'department', late, 'return', { reason: '不属于本部门' });
    t.clock.advance(2 * 60 * MIN);
    await tick();
    expect(await cardsFor(returned.id)).toEqual(['handle:yellow', 'handle:red', 'dispatch:yellow', 'dispatch:red']);
  });

  it('a suspended case gets no cards while its clock stands', async () => {
    let s = await dispatchedCase();
    s = await must(t, 'department', s, 'claim');
    s = await must(t, 'department', s, 'request_suspend', { reason: '需市政规划调整' });
    s = await must(t, 'district', s, 'approve_suspend');
    expect(s.state).toBe('suspended');
    t.clock.advance(5 * 60 * MIN);
    await tick();
    expect(await cardsFor(s.id)).toEqual([]);
  });
});

describe('one tick at a time', () => {
  it('of two concurrent ticks exactly one acts, and nothing is given twice', async () => {
    const c = await dispatchedCase();
    t.clock.advance(3 * 60 * MIN);
    second = await buildApp(t.config, { dbh: t.dbh, clock: t.clock, migrate: false, logger: false });
    await second.ready();
    const [a, b] = await Promise.all([tick(t.app), tick(second)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect([...a.cards, ...b.cards].filter((k) => k.caseId === c.id).map((k) => k.kind)).toEqual(['yellow', 'red']);
    expect(await cardsFor(c.id)).toEqual(['handle:yellow', 'handle:red']);
  });

  it('a lease held by a live node blocks the tick until it expires', async () => {
    const c = await dispatchedCase();
    t.clock.advance(3 * 60 * MIN);
    const now = t.clock.now();
    await t.dbh.db.updateTable('job_leases').set({ owner: 'another-node', expires_at: now + 60_000 }).where('name', '=', SCHEDULER_LEASE).execute();
    expect(await tick()).toEqual({ ran: false, cards: [], archived: [] });
    expect(await cardsFor(c.id)).toEqual([]);
    t.clock.advance(61_000);
    expect((await tick()).ran).toBe(true);
    expect(await cardsFor(c.id)).toEqual(['handle:yellow', 'handle:red']);
    expect(await leaseOf(t.dbh.db, SCHEDULER_LEASE)).toMatchObject({ last_run_at: t.clock.now(), expires_at: t.clock.now() });
  });
});

describe('the yellow share is a setting', () => {
  it('a higher share gives the yellow card later', async () => {
    await signInAgain();
    const set = (yellowShare: number) => t.app.inject({ method: 'PUT', url: '/api/admin/workflow-settings', headers: t.as.admin, payload: { yellowShare } });
    expect((await set(0.9)).statusCode).toBe(200);
    const c = await dispatchedCase();
    t.clock.advance(102 * MIN); // 85% of 2 hours
    await tick();
    expect(await cardsFor(c.id)).toEqual([]);
    t.clock.advance(10 * MIN); // 93%
    await tick();
    expect(await cardsFor(c.id)).toEqual(['handle:yellow']);
    expect((await set(0.8)).statusCode).toBe(200);
  });
});

describe('archiving', () => {
  it('archives a closed case once the set days have passed, as the system', async () => {
    await signInAgain();
    let c = await dispatchedCase();
    c = await must(t, 'department', c, 'claim');
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '已补齐井盖' }, [await jpeg(7)]);
    c = await must(t, 'gridworker', c, 'check_pass');
    c = await must(t, 'community', c, 'close');
    expect(c.state).toBe('closed');
    t.clock.advance(29 * DAY);
    expect((await tick()).archived).not.toContain(c.id);
    t.clock.advance(DAY + MIN);
    expect((await tick()).archived).toContain(c.id);
    expect((await tick()).archived).toEqual([]);
    await signInAgain();
    const detail = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.district })).json();
    expect(detail.state).toBe('archived');
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'archive', from: 'closed', to: 'archived', actor: { kind: 'system', name: '系统定时归档' } });
  });
});

describe('cards given before they were events (migration 011)', () => {
  it('each gets its event after the last one, in the state of its time, once', async () => {
    let c = await dispatchedCase();
    const dispatchedAt = t.clock.now();
    t.clock.advance(30 * MIN);
    c = await must(t, 'department', c, 'claim');
    // as an earlier version kept them: a card row without an event, given while the case was dispatched
    await t.dbh.db.insertInto('case_cards').values([
      { case_id: c.id, kind: 'yellow', step: 'handle', step_started_at: dispatchedAt, due_at: dispatchedAt + 120 * MIN, at: dispatchedAt + 10 * MIN, event_id: null },
      { case_id: c.id, kind: 'red', step: 'handle', step_started_at: dispatchedAt, due_at: dispatchedAt + 120 * MIN, at: dispatchedAt + 20 * MIN, event_id: null },
    ]).execute();
    const { up } = await import('../../../db/migrations/011_card_events.js');
    await up(t.dbh.db);
    await up(t.dbh.db);
    const events = await t.dbh.db.selectFrom('case_events').select(['id', 'seq', 'action', 'from_state', 'to_state', 'at', 'due_at', 'step', 'actor_kind'])
      .where('case_id', '=', c.id).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'claim', 'yellow_card', 'red_card']);
    expect(events.slice(4).map((e) => [e.seq, e.from_state, e.to_state, Number(e.at), Number(e.due_at), e.step, e.actor_kind])).toEqual([
      [5, 'dispatched', 'dispatched', dispatchedAt + 10 * MIN, dispatchedAt + 120 * MIN, 'handle', 'system'],
      [6, 'dispatched', 'dispatched', dispatchedAt + 20 * MIN, dispatchedAt + 120 * MIN, 'handle', 'system'],
    ]);
    const linked = await t.dbh.db.selectFrom('case_cards').select(['kind', 'event_id']).where('case_id', '=', c.id).orderBy('at').execute();
    expect(linked.map((k) => Number(k.event_id))).toEqual(events.slice(4).map((e) => Number(e.id)));
    // the case goes on: its version was not touched, and its next action follows the cards
    const next = await must(t, 'department', c, 'request_postpone', { reason: '需协调', due_at: t.clock.now() + DAY });
    expect((next.timeline as { seq: number; action: string }[]).at(-1)).toMatchObject({ seq: 7, action: 'request_postpone' });
    expect(await replayCase(t.app.ctx, c.id)).toEqual(snapshotOf(await storedCase(c.id)));
  });
});

describe('the interval', () => {
  const lastRun = async () => (await leaseOf(t.dbh.db, SCHEDULER_LEASE))?.last_run_at;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('ticks on its own once started, and not after it stops', async () => {
    t.clock.advance(MIN);
    expect(await lastRun()).not.toBe(t.clock.now());
    await startScheduler(t.app.ctx, { force: true, intervalMs: 20 });
    for (let i = 0; i < 50 && (await lastRun()) !== t.clock.now(); i++) await wait(20);
    expect(await lastRun()).toBe(t.clock.now());
    await stopScheduler(t.app.ctx);
    t.clock.advance(MIN);
    await wait(100);
    expect(await lastRun()).toBe(t.clock.now() - MIN);
  });
});

describe('after a restart', () => {
  it('a new app on the same database gives nothing twice', async () => {
    const c = await dispatchedCase();
    t.clock.advance(110 * MIN);
    await tick();
    expect(await cardsFor(c.id)).toEqual(['handle:yellow']);
    await second?.close();
    second = null;
    // the first app stops; a new one starts on the same database and clock
    await t.app.close();
    const restarted = await buildApp(t.config, { dbh: t.dbh, clock: t.clock, migrate: false, logger: false });
    await restarted.ready();
    second = restarted;
    t.app = restarted;
    expect((await tick(restarted)).cards).toEqual([]);
    t.clock.advance(15 * MIN);
    expect((await tick(restarted)).cards.filter((k) => k.caseId === c.id).map((k) => k.kind)).toEqual(['red']);
    expect((await tick(restarted)).cards).toEqual([]);
    expect(await cardsFor(c.id)).toEqual(['handle:yellow', 'handle:red']);
  });
});
