import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { ACTIONS, findRow, isCardAction, OPEN_STATES, possibleTargets, STATES, type Action, type FromState, type State } from '../../../shared/cases/index.js';
import type { Actor } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { loadUserActor } from '../people/people.repo.js';
import type { CaseCaller } from './actors.js';
import { actOnCase, fileReport, getCase, replayCase, reportCase, snapshotOf } from './cases.service.js';
import { COMMUNITY_A, IN_A1, jpeg, ROLE_USERS, withCaseDistrict, type CasesTestContext } from './cases.testing.js';
import { runSchedulerTick } from './scheduler/scheduler.js';

/**
 * Random sequences of actions by random callers, straight through the service on a real database:
 * every answer is a success or a 4xx refusal, every case_events row is a transition the table
 * allows, and replaying a case's events rebuilds exactly the stored case (state, clock, due times).
 * Whenever time passes the scheduler runs, so yellow and red cards land in the histories between
 * the actions: they take event numbers but never a version, and replay passes over them.
 */
let t: CasesTestContext;
const actors = {} as Record<(typeof ROLE_USERS)[number], Actor>;
let photo: Buffer;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  for (const u of ROLE_USERS) {
    const id = Number((await t.dbh.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id);
    actors[u] = (await loadUserActor(t.dbh.db, id))!;
  }
  photo = await jpeg(8);
});
afterAll(() => t?.close());

const MINUTE = 60_000;
const ENDINGS = new Set<Action>(['reject', 'merge', 'approve_cancel']);
const START = Date.UTC(2026, 10, 2, 2, 0); // Monday 10:00 in Beijing

function inputFor(action: Action, due: number | null, photoSha: string, otherCase: number): Record<string, unknown> {
  const base = due ?? t.clock.now();
  const all: Partial<Record<Action, Record<string, unknown>>> = {
    verify: { comment: '核实' }, accept: { condition_code: '06010-01' }, reject: { reason: '不属实' },
    merge: { original_case_id: String(otherCase) }, dispatch: { department: 'CG' }, assign: { level: 'community', division: COMMUNITY_A },
    refuse_return: { reason: '退回' }, return: { reason: '非本部门' }, feedback: { comment: '已处理', photos: [photoSha] },
    check_fail: { reason: '不合格' }, reopen: { reason: '又坏了' }, escalate: { reason: '协调' },
    request_postpone: { reason: '延期', due_at: base + 3 * 86_400_000 }, refuse_postpone: { reason: '否' },
    request_suspend: { reason: '挂账' }, refuse_suspend: { reason: '否' }, resume: { comment: '恢复' },
    request_cancel: { reason: '作废' }, refuse_cancel: { reason: '否' }, urge: { comment: '督办' }, instruct: { comment: '批示' }, comment: { comment: '补充' },
  };
  return all[action] ?? {};
}

const step = fc.record({
  who: fc.nat({ max: ROLE_USERS.length + 1 }), // the users, then the resident, then the system
  pick: fc.nat({ max: 10_000 }),
  anyAction: fc.integer({ min: 0, max: 99 }).map((n) => n < 15),
  minutes: fc.oneof(fc.constant(0), fc.nat({ max: 600 }), fc.nat({ max: 60 * 24 * 40 })),
});

let other = 0;
const reached = new Set<string>();
let eventCount = 0;
let cardCount = 0;

describe('random action sequences through the service', () => {
  it('only ever make transitions the table allows, and replaying case_events rebuilds the stored case', async () => {
    await fc.assert(fc.asyncProperty(fc.boolean(), fc.array(step, { minLength: 6, maxLength: 30, size: 'large' }), async (byResident, steps) => {
      t.clock.set(START);
      const report = { ...IN_A1, description: '随机序列', category_code: '06010', action: 'report' as const };
      const photos = [{ field: 'photos' as const, buffer: photo }];
      const id = byResident
        ? (await fileReport(t.app.ctx, 'resident', report, photos, { idempotencyKey: null, idempotencyCaller: 'test' }, async (f) => Number(f.row.id))).body
        : (await reportCase(t.app.ctx, actors.gridworker, report, photos)).body.case.id;
      const tracking = (await t.dbh.db.selectFrom('cases').select('tracking_code').where('id', '=', id).executeTakeFirstOrThrow()).tracking_code;
      const sha = (await t.dbh.db.selectFrom('case_photos').select('sha256').where('case_id', '=', id).executeTakeFirstOrThrow()).sha256;
      other ||= id;

      for (const s of steps) {
        t.clock.advance(s.minutes * MINUTE);
        if (s.minutes > 0) await runSchedulerTick(t.app.ctx);
        const row = await t.dbh.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        let caller: CaseCaller;
        let action: Action;
        if (s.who === ROLE_USERS.length) [caller, action] = [{ kind: 'public', trackingCode: tracking }, 'reopen'];
        else if (s.who > ROLE_USERS.length) [caller, action] = [{ kind: 'system' }, 'archive'];
        else if (s.anyAction) [caller, action] = [actors[ROLE_USERS[s.who]!], ACTIONS[s.pick % ACTIONS.length]!];
        else {
          // mostly what someone may do now (as the server offers it), so the sequences walk the loop
          const offered: [Actor, Action][] = [];
          for (const u of ROLE_USERS) {
            const allowed = await getCase(t.app.ctx, actors[u], id).then((c) => c.allowedActions, () => [] as Action[]);
            // actions that end the case are offered now and then, or few sequences would get far;
            // and actions that move the case on are preferred to those that leave it where it is
            for (const a of allowed) {
              const moves = findRow(a, row.state as State)?.to !== 'same';
              if ((!ENDINGS.has(a) || s.pick % 8 === 0) && (moves || s.pick % 3 === 0)) offered.push([actors[u], a]);
            }
          }
          [caller, action] = offered.length ? offered[s.pick % offered.length]! : [actors[ROLE_USERS[s.who]!], ACTIONS[s.pick % ACTIONS.length]!];
        }
        try {
          await actOnCase(t.app.ctx, caller, id, action, inputFor(action, row.due_at, sha, other) as never, row.version);
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
        }
      }

      const events = await t.dbh.db.selectFrom('case_events').selectAll().where('case_id', '=', id).orderBy('seq').execute();
      const stored = await t.dbh.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const cards = events.filter((e) => isCardAction(e.action));
      const workflow = events.filter((e) => !isCardAction(e.action));
      expect(stored.version).toBe(workflow.length);
      for (const e of cards) {
        expect(e.from_state).toBe(e.to_state);
        expect(OPEN_STATES).toContain(e.to_state as State);
        expect(e.actor_kind).toBe('system');
      }
      cardCount += cards.length;
      for (const e of workflow) {
        expect(STATES).toContain(e.to_state as State);
        const row = findRow(e.action as Action, e.from_state as FromState);
        expect(row, `${e.action} from ${e.from_state}`).toBeDefined();
        expect(possibleTargets(row!, e.from_state as FromState)).toContain(e.to_state);
      }
      expect(await replayCase(t.app.ctx, id)).toEqual(snapshotOf(stored));
      for (const e of events) reached.add(e.to_state);
      eventCount += events.length;
    }), { numRuns: 60 });
    // the sequences went somewhere: most of the loop was walked, not just refused
    console.info(`property: ${eventCount} events (${cardCount} cards), states reached: ${[...reached].join(' ')}`);
    expect(reached.size).toBeGreaterThanOrEqual(12);
    expect(cardCount).toBeGreaterThan(0);
  });
});
