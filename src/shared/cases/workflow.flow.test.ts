import { describe, expect, it } from 'vitest';
import type { GuardName } from './guards.js';
import { GUARD_NAMES } from './guards.js';
import type { ActionInput, CaseActor, CaseEventDraft, CaseSnapshot, TransitionResult } from './model.js';
import { actorFor, caseSnapshot, MANHOLE_MISSING, publicActor, SYSTEM_ACTOR, testEnv } from './testing.js';
import { allowedActions, applyTransition, replay } from './transition.js';
import type { Action } from './workflow.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2013, 9, 8, 1, 0); // 2013-10-08 09:00 Shanghai
const env = testEnv();

const grid = actorFor('grid_worker');
const grid2 = actorFor('grid_worker', { id: 'grid_worker-2' });
const street = actorFor('street_dispatcher');
const district = actorFor('district_dispatcher');
const dept = actorFor('department_staff');
const community = actorFor('community_staff');
const leader = actorFor('leader');

/** Applies actions in turn, failing loudly on a refusal, and keeps the events for replay. */
function run(steps: [Action, CaseActor, ActionInput?, number?][], start: CaseSnapshot | null = null) {
  let c = start;
  let t = T0;
  const events: CaseEventDraft[] = [];
  const results: TransitionResult[] = [];
  for (const [action, actor, input = {}, dt = HOUR] of steps) {
    t += dt;
    const r = applyTransition(c, action, input, actor, t, env);
    if (!r.ok) throw new Error(`${action} by ${actor.id} refused: ${r.refusal}`);
    results.push(r);
    events.push(r.event);
    c = r.case;
  }
  return { c: c!, t, events, results };
}

function refusal(c: CaseSnapshot | null, action: Action, actor: CaseActor, input: ActionInput = {}, now = T0) {
  const r = applyTransition(c, action, input, actor, now, env);
  return r.ok ? 'ok' : r.refusal;
}

describe('the loop', () => {
  it('takes a resident report through verification, dispatch, handling, check, close and archive', () => {
    const resident = publicActor('TRK1');
    const { c, events } = run([
      ['report', resident, { source: 'resident', level: 'street', category_code: '01001' }],
      ['verify', grid, { comment: 'on site: cover missing' }],
      ['accept', street, { filing: MANHOLE_MISSING }],
      ['dispatch', street, { department: 'SZ' }],
      ['claim', dept],
      ['feedback', dept, { comment: 'replaced', photos: ['after.jpg'] }],
      ['check_pass', grid],
      ['close', street],
      ['archive', SYSTEM_ACTOR, {}, 31 * DAY],
    ]);
    expect(events.map((e) => e.to)).toEqual([
      'pending_verification', 'pending_acceptance', 'accepted', 'dispatched', 'handling', 'pending_check', 'checked', 'closed', 'archived',
    ]);
    expect(c).toMatchObject({ state: 'archived', reported_by: 'public:TRK1', step: null, due_at: null });
    expect(replay(events, env)).toEqual(c);
  });

  it('sends staff reports straight to acceptance, and lets staff who may accept file directly', () => {
    expect(run([['report', grid, { source: 'grid_worker', level: 'street' }]]).c.state).toBe('pending_acceptance');
    expect(run([['report', grid, { source: 'hotline', level: 'district' }]]).c.state).toBe('pending_verification');
    expect(run([['accept', community, { source: 'staff', level: 'street', filing: MANHOLE_MISSING }]]).c.state).toBe('accepted');
    expect(refusal(null, 'accept', community, { source: 'resident', level: 'street', filing: MANHOLE_MISSING })).toBe('guard_failed:source_is_staff');
  });

  it('times each step: the handling limit comes from the filing condition', () => {
    const { results } = run([
      ['report', grid, { source: 'grid_worker', level: 'street' }],
      ['accept', street, { filing: MANHOLE_MISSING }],
      ['dispatch', street, { department: 'SZ' }],
    ]);
    const [reported, accepted, dispatched] = results.map((r) => (r.ok ? r.case : null));
    expect(reported).toMatchObject({ step: 'accept', step_limit: env.settings.stepLimits.accept, due_at: T0 + 2 * HOUR });
    expect(accepted).toMatchObject({ step: 'dispatch', due_at: T0 + 3 * HOUR });
    expect(dispatched).toMatchObject({ step: 'handle', step_limit: MANHOLE_MISSING.limit, step_started_at: T0 + 3 * HOUR, due_at: T0 + 5 * HOUR });
  });

  it('returns to the dispatcher, who re-routes or refuses the return', () => {
    const { c: returned } = run([['return', dept, { reason: 'not ours: power cover' }]],
      caseSnapshot({ state: 'dispatched', holder: { kind: 'department', code: 'SZ' } }));
    expect(returned).toMatchObject({ state: 'returned', holder: null, returned_from: { kind: 'department', code: 'SZ' }, step: 'dispatch' });
    const rerouted = run([['dispatch', district, { department: 'GA' }]], returned).c;
    expect(rerouted).toMatchObject({ state: 'dispatched', holder: { kind: 'department', code: 'GA' }, returned_from: null });
    const refused = run([['refuse_return', district, { reason: 'it is yours' }]], returned).c;
    expect(refused).toMatchObject({ state: 'dispatched', holder: { kind: 'department', code: 'SZ' } });
  });

  it('sends a failed check back to the same department as rework, keeping count', () => {
    const start = caseSnapshot({ state: 'pending_check', holder: { kind: 'department', code: 'SZ' }, step: 'check' });
    const { c, events } = run([
      ['check_fail', grid, { reason: 'cover still rocking' }],
      ['feedback', dept, { comment: 'refitted', photos: ['p'] }],
      ['check_pass', grid],
    ], start);
    expect(events.map((e) => e.to)).toEqual(['rework', 'pending_check', 'checked']);
    expect(c).toMatchObject({ holder: { kind: 'department', code: 'SZ' }, rework_count: 1 });
  });

  it('has a self-resolved case checked by someone else', () => {
    const { c } = run([['self_resolve', grid, { level: 'street', filing: MANHOLE_MISSING, photos_before: ['b'], photos_after: ['a'] }]]);
    expect(c).toMatchObject({ state: 'pending_check', self_resolved_by: grid.id, source: 'grid_worker', step: 'check' });
    expect(refusal(c, 'check_pass', grid)).toBe('guard_failed:different_checker_than_self_resolver');
    expect(run([['check_pass', grid2]], c).c.state).toBe('checked');
    // failing it sends it to dispatch: nobody held it
    expect(run([['check_fail', grid2, { reason: 'not fixed' }]], c).c.state).toBe('accepted');
  });

  it('escalates community → street → district and then no further', () => {
    const held = caseSnapshot({ state: 'handling', level: 'community', holder: { kind: 'community', code: community.division_code! }, step: 'handle' });
    const { c: atStreet } = run([['escalate', community, { reason: 'needs the street' }]], held);
    expect(atStreet).toMatchObject({ state: 'accepted', level: 'street', holder: null, step: 'dispatch' });
    expect(refusal(atStreet, 'escalate', community, { reason: 'x' })).toBe('guard_failed:actor_at_case_level');
    const { c: atDistrict } = run([['escalate', street, { reason: 'needs the district' }]], atStreet);
    expect(atDistrict.level).toBe('district');
    expect(refusal(atDistrict, 'dispatch', street, { department: 'SZ' })).toBe('guard_failed:actor_at_or_above_case_level');
    expect(refusal(atDistrict, 'escalate', district, { reason: 'x' })).toBe('guard_failed:below_district_level');
  });

  it('assigns down to a community workstation, which handles it as holder', () => {
    const { c } = run([
      ['assign', district, { level: 'community', division: community.division_code! }],
      ['claim', community],
    ], caseSnapshot());
    expect(c).toMatchObject({ state: 'handling', level: 'community', holder: { kind: 'community', code: community.division_code } });
    const toStreet = run([['assign', district, { level: 'street', division: '110112001' }]], caseSnapshot()).c;
    expect(toStreet).toMatchObject({ state: 'accepted', level: 'street' });
    expect(refusal(toStreet, 'assign', street, { level: 'street', division: '110112001' })).toBe('guard_failed:assign_below_case_level');
  });
});

describe('approvals', () => {
  const handling = caseSnapshot({ state: 'handling', holder: { kind: 'department', code: 'SZ' }, step: 'handle', step_started_at: T0, due_at: T0 + 2 * HOUR });

  it('postpones to the approved due time', () => {
    const newDue = T0 + 5 * DAY;
    const { c } = run([['request_postpone', dept, { reason: 'parts on order', due_at: newDue }], ['approve_postpone', street]], handling);
    expect(c).toMatchObject({ state: 'handling', due_at: newDue, pending_request: null });
    expect(refusal(handling, 'request_postpone', dept, { reason: 'x', due_at: T0 + HOUR })).toBe('guard_failed:postpone_extends_due');
  });

  it('refuses a postponement and keeps the due time', () => {
    const { c } = run([['request_postpone', dept, { reason: 'x', due_at: T0 + DAY }], ['refuse_postpone', street, { reason: 'no' }]], handling);
    expect(c).toMatchObject({ due_at: T0 + 2 * HOUR, pending_request: null });
  });

  it('suspends with the clock stopped, and resumes with the due time moved by the pause', () => {
    const { c: suspended } = run([['request_suspend', dept, { reason: 'needs a new main' }], ['approve_suspend', district]], handling);
    expect(suspended).toMatchObject({ state: 'suspended', suspended_from: 'handling', due_at: T0 + 2 * HOUR, step: 'handle' });
    const { c: resumed, t: resumedAt } = run([['resume', district, { comment: 'main laid' }, 10 * DAY]], suspended);
    expect(resumed).toMatchObject({ state: 'handling', suspended_at: null, suspended_from: null });
    expect(resumed.due_at).toBe(T0 + 2 * HOUR + (resumedAt - suspended.suspended_at!));
  });

  it('cancels, even a suspended case', () => {
    expect(run([['request_cancel', street, { reason: 'duplicate of a closed case' }], ['approve_cancel', district]], handling).c.state).toBe('cancelled');
    const suspended = caseSnapshot({ state: 'suspended', suspended_from: 'handling', suspended_at: T0 });
    const { c } = run([['request_cancel', street, { reason: 'cannot be solved' }], ['approve_cancel', district]], suspended);
    expect(c).toMatchObject({ state: 'cancelled', suspended_at: null, step: null, due_at: null });
  });

  it('needs a second person to decide, lets the requester withdraw, and allows one request at a time', () => {
    const { c } = run([['request_cancel', street, { reason: 'x' }]], handling);
    expect(refusal(c, 'approve_cancel', street)).toBe('guard_failed:approver_is_not_requester');
    expect(refusal(c, 'request_suspend', dept, { reason: 'y' })).toBe('guard_failed:no_pending_request');
    expect(refusal(c, 'approve_suspend', district)).toBe('guard_failed:suspend_pending');
    expect(refusal(c, 'withdraw_request', district)).toBe('guard_failed:requester_is_actor');
    expect(run([['withdraw_request', street]], c).c.pending_request).toBeNull();
  });

  it('drops an undecided request when the case moves on, and says so', () => {
    const { results } = run([['request_suspend', dept, { reason: 'x' }], ['feedback', dept, { comment: 'done after all', photos: ['p'] }]], handling);
    const last = results[1]!;
    expect(last.ok && last.case.pending_request).toBeNull();
    expect(last.ok && last.event.withdrawn_request).toBe('suspend');
  });
});

describe('after closing', () => {
  const closed = caseSnapshot({ state: 'closed', holder: { kind: 'department', code: 'SZ' }, reported_by: 'public:TRK9', closed_at: T0, step: null, due_at: null });

  it('lets the reporter reopen within the window, as rework', () => {
    const { c } = run([['reopen', publicActor('TRK9'), { reason: 'cover missing again' }, 6 * DAY]], closed);
    expect(c).toMatchObject({ state: 'rework', rework_count: 1, closed_at: null, step: 'handle' });
    expect(refusal(closed, 'reopen', publicActor('TRK9'), { reason: 'x' }, T0 + 8 * DAY)).toBe('guard_failed:within_reopen_window');
    expect(refusal(closed, 'reopen', publicActor('OTHER'), { reason: 'x' }, T0 + DAY)).toBe('guard_failed:reporter_is_actor');
  });

  it('archives only by the system, only after the delay', () => {
    expect(refusal(closed, 'archive', SYSTEM_ACTOR, {}, T0 + 29 * DAY)).toBe('guard_failed:archive_delay_elapsed');
    expect(refusal(closed, 'archive', street, {}, T0 + 31 * DAY)).toBe('guard_failed:actor_is_system');
  });
});

describe('other guards and supervision', () => {
  it('merges a duplicate into another case only', () => {
    const c = caseSnapshot({ id: 'case-7', state: 'pending_acceptance', step: 'accept' });
    expect(refusal(c, 'merge', street, { original_case_id: 'case-7' })).toBe('guard_failed:original_is_other_case');
    expect(run([['merge', street, { original_case_id: 'case-3' }]], c).c).toMatchObject({ state: 'merged', merged_into: 'case-3', due_at: null });
  });

  it('lets only the holder act on a dispatched case', () => {
    const c = caseSnapshot({ state: 'dispatched', holder: { kind: 'department', code: 'GA' }, step: 'handle' });
    expect(refusal(c, 'claim', dept)).toBe('guard_failed:actor_is_holder');
    expect(refusal(caseSnapshot({ state: 'handling', level: 'street', holder: { kind: 'department', code: 'SZ' } }), 'escalate', street, { reason: 'x' }))
      .toBe('guard_failed:holder_not_department');
    expect(refusal(caseSnapshot({ state: 'returned' }), 'refuse_return', district, { reason: 'x' })).toBe('guard_failed:has_returned_from');
  });

  it('records urging and instructions without changing the state or the clock', () => {
    const c = caseSnapshot({ state: 'handling', holder: { kind: 'department', code: 'SZ' }, step: 'handle' });
    const r = applyTransition(c, 'instruct', { comment: '尽快处置' }, leader, T0, env);
    expect(r.ok && r.changes).toEqual({});
    expect(r.ok && r.event).toMatchObject({ action: 'instruct', from: 'handling', to: 'handling' });
    expect(refusal(c, 'instruct', street, { comment: 'x' })).toBe('forbidden');
    expect(refusal(caseSnapshot({ state: 'closed' }), 'urge', leader, { comment: 'x' })).toBe('not_allowed_in_state');
  });

  it('records a note from someone working the case, with words, and nothing else', () => {
    const c = caseSnapshot({ state: 'handling', holder: { kind: 'department', code: 'SZ' }, step: 'handle' });
    const r = applyTransition(c, 'comment', { comment: '现场已设置围挡' }, street, T0, env);
    expect(r.ok && r.changes).toEqual({});
    expect(r.ok && r.event).toMatchObject({ action: 'comment', from: 'handling', to: 'handling' });
    expect(refusal(c, 'comment', street, {})).toBe('missing_field:comment');
    expect(refusal(c, 'comment', leader, { comment: 'x' })).toBe('forbidden');
    expect(refusal(caseSnapshot({ state: 'archived' }), 'comment', street, { comment: 'x' })).toBe('not_allowed_in_state');
  });

  it('every guard is exercised failing somewhere in these tests', () => {
    const failing: GuardName[] = [
      'source_is_staff', 'different_checker_than_self_resolver', 'actor_at_case_level', 'actor_at_or_above_case_level',
      'below_district_level', 'assign_below_case_level', 'postpone_extends_due', 'approver_is_not_requester',
      'no_pending_request', 'suspend_pending', 'requester_is_actor', 'within_reopen_window', 'reporter_is_actor',
      'archive_delay_elapsed', 'actor_is_system', 'original_is_other_case', 'actor_is_holder', 'holder_not_department',
      'has_returned_from', 'postpone_pending', 'cancel_pending',
    ];
    const c = caseSnapshot({ state: 'handling', holder: { kind: 'department', code: 'SZ' } });
    expect(refusal(c, 'approve_postpone', street)).toBe('guard_failed:postpone_pending');
    expect(refusal(c, 'approve_cancel', street)).toBe('guard_failed:cancel_pending');
    expect([...failing].sort()).toEqual([...GUARD_NAMES].sort());
  });
});

describe('allowedActions', () => {
  it('offers by state and permission, and with a context by guards too', () => {
    expect(allowedActions('handling', null, leader.permissions)).toEqual(['urge', 'instruct']);
    expect(allowedActions('new', null, grid.permissions)).toEqual(['report', 'self_resolve']);
    const c = caseSnapshot({ state: 'accepted', level: 'street' });
    const ctx = { case: c, actor: street, now: T0, env };
    expect(allowedActions('accepted', ctx, street.permissions)).toEqual([
      'merge', 'dispatch', 'assign', 'escalate', 'request_suspend', 'request_cancel', 'urge', 'comment',
    ]);
    expect(allowedActions('accepted', { ...ctx, actor: district }, district.permissions)).not.toContain('escalate');
  });
});
