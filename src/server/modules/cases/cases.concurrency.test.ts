import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { testDialect } from '../../../../test/support/db.js';
import { messagesDuring } from '../../../../test/support/pg-messages.js';
import { stopCatchUp } from '../evaluation/catchup.js';
import { runSchedulerTick } from './scheduler/scheduler.js';
import { act, withCaseDistrict, IN_A1, IN_A4, must, report, type CasesTestContext } from './cases.testing.js';

/** Optimistic concurrency on actions, cards given amid actions, and case numbers under concurrent reports (run on both databases). */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

describe('concurrency', () => {
  it('two dispatchers dispatch the same case at once: exactly one succeeds, the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      // a street-level category, so both the street and the district dispatcher command it
      let c = await report(t, 'gridworker', { category_code: '06010', description: `同时派遣 ${round}` });
      c = await must(t, 'street', c, 'accept', { condition_code: '06010-01' });
      const [a, b] = await Promise.all([
        act(t, 'district', c, 'dispatch', { department: 'CG' }),
        act(t, 'street', c, 'dispatch', { department: 'SZ' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const loser = a.statusCode === 409 ? a : b;
      expect(loser.json().error).toMatchObject({ code: 'stale_version', details: { state: 'dispatched', version: 3 } });
      const events = await t.dbh.db.selectFrom('case_events').select('action').where('case_id', '=', c.id).where('action', '=', 'dispatch').execute();
      expect(events).toHaveLength(1);
      const row = await t.dbh.db.selectFrom('cases').select(['version', 'holder_code']).where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row.version).toBe(3);
      expect(row.holder_code).toBe(a.statusCode === 200 ? 'CG' : 'SZ');
    }
  });

  it('cards given while the holders act: every action succeeds, every card is kept once, histories stay numbered 1, 2, 3 …', async () => {
    const cases = [];
    for (let i = 0; i < 12; i++) {
      let c = await report(t, 'gridworker', { description: `牌与签收 ${i}` });
      c = await must(t, 'district', c, 'accept', { condition_code: '01001-01' });
      cases.push(await must(t, 'district', c, 'dispatch', { department: 'CG' }));
    }
    t.clock.advance(3 * 3_600_000); // past the 2-hour limit: each is due a yellow and a red card
    // two are claimed before the tick: their step is still overdue, so they get both cards after the claim
    const early = cases.slice(0, 2);
    for (const c of early) expect((await act(t, 'department', c, 'claim')).statusCode).toBe(200);
    const [tick, ...claims] = await Promise.all([
      runSchedulerTick(t.app.ctx),
      ...cases.slice(2).map((c) => act(t, 'department', c, 'claim')),
    ]);
    expect(claims.map((r) => r.statusCode)).toEqual(cases.slice(2).map(() => 200));
    expect(tick.ran).toBe(true);
    for (const c of cases) {
      const events = await t.dbh.db.selectFrom('case_events').select(['seq', 'action', 'from_state', 'to_state', 'step']).where('case_id', '=', c.id).orderBy('seq').execute();
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.action === 'claim')).toHaveLength(1);
      const cards = events.filter((e) => e.action === 'yellow_card' || e.action === 'red_card');
      expect(['', 'yellow_card', 'yellow_card,red_card']).toContain(cards.map((e) => e.action).join());
      // the claim keeps the handling step's clock (签收 starts no new limit), so the scheduler may find
      // a case dispatched or already claimed, and the claim may come between the yellow and the red
      // card; either way a card is given only while the case is in the state it found, so each card
      // records the state the case was in at that point of its history
      const claimSeq = events.find((e) => e.action === 'claim')!.seq;
      for (const card of cards) {
        const stateThen = card.seq < claimSeq ? 'dispatched' : 'handling';
        expect({ from: card.from_state, to: card.to_state, step: card.step }).toEqual({ from: stateThen, to: stateThen, step: 'handle' });
      }
      if (early.includes(c)) expect(cards.map((e) => [e.action, e.seq > claimSeq])).toEqual([['yellow_card', true], ['red_card', true]]);
      const kept = await t.dbh.db.selectFrom('case_cards').select('event_id').where('case_id', '=', c.id).execute();
      expect(kept.every((k) => k.event_id !== null)).toBe(true);
      expect(kept).toHaveLength(cards.length);
      const row = await t.dbh.db.selectFrom('cases').select(['version', 'state']).where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ version: 4, state: 'handling' });
    }
  });

  it('200 concurrent reports get 200 unique, consecutive case numbers', async () => {
    const before = await t.dbh.db.selectFrom('cases').select('number').execute();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/cases', headers: i % 2 ? t.as.gridworker : t.as.community, payload: { ...(i % 3 ? IN_A1 : IN_A4), description: `并发上报 ${i}` } })));
    expect(answers.filter((a) => a.statusCode !== 201).map((a) => a.body)).toEqual([]);
    const numbers = answers.map((a) => a.json().case.number as string);
    expect(new Set(numbers).size).toBe(200);
    const seqs = numbers.map((n) => Number(n.slice(-5))).sort((x, y) => x - y);
    expect(seqs[seqs.length - 1]! - seqs[0]! + 1).toBe(200);
    expect(seqs[0]).toBe(before.length + 1);
    expect(numbers.every((n) => /^11011220261102\d{5}$/.test(n))).toBe(true);
    const tracking = await t.dbh.db.selectFrom('cases').select('tracking_code').execute();
    expect(new Set(tracking.map((r) => r.tracking_code)).size).toBe(tracking.length);
  });
});

describe.skipIf(testDialect() !== 'postgres')('round trips of a report (PostgreSQL)', () => {
  it('a report is three messages to the database: its number and ids, its rows with the duplicate search, the rest with the commit', async () => {
    await report(t, 'gridworker', { description: '热身' });
    // the evaluation's catch-up talks to the database too: it is stopped (this is the file's last
    // test), and whatever else is still under way is waited out
    await stopCatchUp(t.app.ctx);
    const { texts } = await messagesDuring(async (texts) => {
      for (let quiet = 0; quiet < 5;) {
        const before = texts.length;
        await new Promise((r) => setTimeout(r, 100));
        quiet = texts.length === before ? quiet + 1 : 0;
      }
      texts.length = 0;
      await report(t, 'gridworker', { description: '数一数往返' });
    });
    // besides the session's lookup and the live updates' notice (sent once per turn for all reports)
    const own = texts.filter((x) => !/^select \* from "sessions"|pg_notify/.test(x));
    expect(own).toHaveLength(3);
    expect(own[0]).toMatch(/^set local synchronous_commit = off; insert into case_counters .*; select nextval/);
    expect(own[1]).toMatch(/^begin; insert into cases .*; insert into case_events .*; select .* from "cases" where/s);
    expect(own[2]).toMatch(/^insert into notifications .*; insert into eval_pending .*; commit$/s);
  });
});
