import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../permissions.js';
import { CASE_SOURCES, PLATFORM_LEVELS, type WorkflowEnv } from './index.js';
import type { ActionInput, CaseActor, CaseSnapshot } from './model.js';
import { actorFor, MANHOLE_MISSING, publicActor, SYSTEM_ACTOR, testEnv } from './testing.js';
import { allowedActions, applyTransition, possibleTargets, replay, type ReplayEvent } from './transition.js';
import { ACTIONS, NEW, STATES, STEP_OF_STATE, TRANSITIONS, findRow, type Action, type State } from './workflow.js';

/**
 * Random sequences of actions by random actors. Each command either picks among the actions the
 * actor is offered (to get deep into the loop) or any action at all (to hit refusals), with input
 * fields randomly left out. Whatever happens, the case stays inside the table, a refusal changes
 * nothing, and replaying the accepted events rebuilds the final case exactly, due times included.
 */

const HOUR = 3_600_000;
const START = Date.UTC(2013, 8, 27, 1, 0); // 2013-09-27 09:00 Shanghai

export const ACTORS: CaseActor[] = [
  ...ROLES.map((r) => actorFor(r)),
  actorFor('grid_worker', { id: 'grid_worker-2' }),
  actorFor('department_staff', { id: 'department_staff-2', department_code: 'GA' }),
  actorFor('community_staff', { id: 'community_staff-2', division_code: '110112001002' }),
  actorFor('street_dispatcher', { id: 'street_dispatcher-2' }),
  SYSTEM_ACTOR,
  publicActor('TRK1'),
];

export const commandArb = fc.record({
  actor: fc.nat(ACTORS.length - 1),
  mode: fc.constantFrom('progress', 'progress', 'progress', 'offered', 'offered', 'any'),
  pick: fc.nat(1000),
  advance: fc.oneof(fc.integer({ min: 0, max: 8 * HOUR }), fc.integer({ min: 0, max: 40 * 24 * HOUR })),
  omit: fc.subarray(['source', 'level', 'filing', 'reason', 'comment', 'department', 'division', 'photos', 'due_at'] as const, { maxLength: 2 }),
  source: fc.constantFrom(...CASE_SOURCES),
  level: fc.constantFrom(...PLATFORM_LEVELS),
  department: fc.constantFrom('SZ', 'GA'),
  division: fc.constantFrom('110112001001', '110112001002', '110112001'),
  dueIn: fc.integer({ min: -10, max: 400 }),
  original: fc.constantFrom('case-0', 'case-1'),
});
export type Command = typeof commandArb extends fc.Arbitrary<infer T> ? T : never;

export function inputFor(cmd: Command, now: number): ActionInput {
  const input: ActionInput = {
    source: cmd.source,
    level: cmd.level,
    filing: MANHOLE_MISSING,
    reason: 'reason',
    comment: 'comment',
    department: cmd.department,
    division: cmd.division,
    photos: ['p'],
    photos_before: ['b'],
    photos_after: ['a'],
    due_at: now + cmd.dueIn * HOUR,
    original_case_id: cmd.original,
  };
  for (const f of cmd.omit) delete input[f];
  return input;
}

/** Actions that move a case along the loop rather than aside (supervision, requests, dead ends). */
const PROGRESS = new Set<Action>([
  'report', 'self_resolve', 'verify', 'accept', 'dispatch', 'assign', 'claim', 'return', 'refuse_return', 'feedback',
  'check_pass', 'check_fail', 'close', 'reopen', 'escalate', 'request_postpone', 'approve_postpone', 'approve_suspend', 'resume',
]);

/** Run commands from no case; returns the final case, the accepted events and the states seen. */
export function runCommands(commands: Command[], env: WorkflowEnv, start = START) {
  let c: CaseSnapshot | null = null;
  let now = start;
  const events: ReplayEvent[] = [];
  const seen = new Set<State>();
  for (const cmd of commands) {
    now += cmd.advance;
    const state = c ? c.state : NEW;
    const offered = ACTORS.flatMap((a) => allowedActions(state, { case: c, actor: a, now, env }, a.permissions).map((action) => ({ actor: a, action })));
    const forward = offered.filter((o) => PROGRESS.has(o.action));
    const pool = cmd.mode === 'progress' && forward.length > 0 ? forward : cmd.mode !== 'any' ? offered : [];
    const { actor, action } = pool.length > 0
      ? pool[cmd.pick % pool.length]!
      : { actor: ACTORS[cmd.actor]!, action: ACTIONS[cmd.pick % ACTIONS.length]! };
    const before = structuredClone(c);
    const r = applyTransition(c, action, inputFor(cmd, now), actor, now, env);
    expect(c, 'applyTransition must not mutate the case').toEqual(before);
    if (!r.ok) continue;
    const row = findRow(action, state)!;
    expect(possibleTargets(row, state)).toContain(r.case.state);
    checkInvariants(r.case);
    events.push(r.event);
    seen.add(r.case.state);
    c = r.case;
  }
  return { c, events, seen };
}

const REQUEST_STATES = new Set(TRANSITIONS.filter((r) => r.action.startsWith('request_')).flatMap((r) => r.from));

export function checkInvariants(c: CaseSnapshot): void {
  expect(STATES).toContain(c.state);
  if (c.state === 'suspended') {
    expect(c.suspended_at).not.toBeNull();
    expect(c.suspended_from).not.toBeNull();
  } else {
    expect(c.suspended_at).toBeNull();
    expect(c.step).toBe(STEP_OF_STATE[c.state]);
  }
  if (c.step === null) expect(c.due_at).toBeNull();
  else expect(c.due_at!).toBeGreaterThanOrEqual(c.step_started_at!);
  if (c.pending_request) expect(REQUEST_STATES.has(c.state)).toBe(true);
  if (['dispatched', 'handling', 'rework'].includes(c.state)) expect(c.holder).not.toBeNull();
  if (c.state === 'merged') expect(c.merged_into).not.toBeNull();
  if (c.state === 'closed') expect(c.closed_at).not.toBeNull();
}

describe('random action sequences (fast-check)', () => {
  const env = testEnv();

  it('stay inside the table, and replaying the events rebuilds the case and its due times', () => {
    const reached = new Set<State>();
    const actions = new Set<Action>();
    let applied = 0;
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 80 }), (commands) => {
        const { c, events, seen } = runCommands(commands, env);
        seen.forEach((s) => reached.add(s));
        events.forEach((e) => actions.add(e.action));
        applied += events.length;
        expect(replay(events, env)).toEqual(c);
        // replay is also stable through JSON, as the events are stored
        expect(replay(JSON.parse(JSON.stringify(events)) as ReplayEvent[], env)).toEqual(c);
      }),
      { numRuns: 1500, seed: 20130927 },
    );
    // the walk must actually explore the loop, or the property says little
    expect([...STATES].filter((s) => !reached.has(s))).toEqual([]);
    expect([...ACTIONS].filter((a) => !actions.has(a))).toEqual([]);
    expect(applied).toBeGreaterThan(2000);
  });
});
