import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, type Role } from '../permissions.js';
import { GUARD_NAMES, type GuardName } from './guards.js';
import { PLATFORM_LEVELS } from './limits.js';
import type { ActionInput, CaseActor, CaseSnapshot, PendingRequest } from './model.js';
import { actorFor, caseSnapshot, MANHOLE_MISSING, SYSTEM_ACTOR, testEnv } from './testing.js';
import { applyTransition, possibleTargets } from './transition.js';
import {
  ACTIONS, NEW, STATES, STEP_OF_STATE, TERMINAL_STATES, TRANSITIONS, type Action, type FromState, type TransitionRow,
} from './workflow.js';

const NOW = Date.UTC(2013, 9, 8, 2, 0); // 2013-10-08 10:00 in Shanghai
const HOUR = 3_600_000;
const env = testEnv();
const FROM_STATES: FromState[] = [NEW, ...STATES];

/** The row the table gives for (action, state), read straight from the table. */
function rowFor(action: Action, state: FromState): TransitionRow | undefined {
  const rows = TRANSITIONS.filter((r) => r.action === action && r.from.includes(state));
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}

function pendingFor(row: TransitionRow, actor: CaseActor): PendingRequest | null {
  const guards = row.guards ?? [];
  const other = { requested_by: 'someone-else', requested_at: NOW - HOUR, reason: 'r', due_at: null };
  if (guards.includes('postpone_pending')) return { ...other, kind: 'postpone', due_at: NOW + 48 * HOUR };
  if (guards.includes('suspend_pending')) return { ...other, kind: 'suspend' };
  if (guards.includes('cancel_pending')) return { ...other, kind: 'cancel' };
  if (guards.includes('requester_is_actor')) return { ...other, kind: 'cancel', requested_by: actor.id };
  return null;
}

/** A case in `state` arranged so that every guard of `row` that can pass for `actor` does. */
function happyCase(state: FromState, row: TransitionRow, actor: CaseActor): CaseSnapshot | null {
  if (state === NEW) return null;
  const level = PLATFORM_LEVELS.find((l) => l === actor.level) ?? 'district';
  return caseSnapshot({
    state,
    level,
    reported_by: actor.id,
    holder: actor.department_code
      ? { kind: 'department', code: actor.department_code }
      : { kind: 'community', code: actor.division_code ?? '110112001001' },
    returned_from: { kind: 'department', code: 'SZ' },
    self_resolved_by: 'someone-else',
    pending_request: pendingFor(row, actor),
    step: state === 'suspended' ? 'handle' : STEP_OF_STATE[state],
    step_started_at: NOW - HOUR,
    due_at: NOW + HOUR,
    suspended_at: state === 'suspended' ? NOW - HOUR : null,
    suspended_from: state === 'suspended' ? 'handling' : null,
    closed_at: state === 'closed' ? NOW - 24 * HOUR : null,
  });
}

function fullInput(row: TransitionRow): ActionInput {
  return {
    source: 'grid_worker',
    level: row.action === 'assign' ? 'community' : 'street',
    category_code: '01001',
    filing: MANHOLE_MISSING,
    reason: 'reason',
    comment: 'comment',
    department: 'SZ',
    division: '110112001002',
    photos: ['p1'],
    photos_before: ['b1'],
    photos_after: ['a1'],
    due_at: NOW + 10 * 24 * HOUR,
    original_case_id: 'case-0',
  };
}

/** Guards no actor of the role can pass, whatever the case: the refusal the table implies. */
const UNSATISFIABLE: Partial<Record<Action, Partial<Record<Role, GuardName>>>> = {
  // only the system archives
  archive: Object.fromEntries(ROLES.map((r) => [r, 'actor_is_system'])) as Record<Role, GuardName>,
  // a district dispatcher's cases are at the top level already
  escalate: { district_dispatcher: 'below_district_level' },
};

describe('transition table, generated: every action × every state × every role', () => {
  const combos: { action: Action; state: FromState; role: Role }[] = [];
  for (const action of ACTIONS) for (const state of FROM_STATES) for (const role of ROLES) combos.push({ action, state, role });

  it('covers a non-trivial number of combinations', () => {
    expect(combos.length).toBe(ACTIONS.length * (STATES.length + 1) * ROLES.length);
    expect(combos.length).toBeGreaterThan(3000);
  });

  it('allows or refuses each exactly as the table says', () => {
    const tally = { allowed: 0, not_allowed_in_state: 0, forbidden: 0, guard_failed: 0 };
    for (const { action, state, role } of combos) {
      const actor = actorFor(role);
      const row = rowFor(action, state);
      const c = row ? happyCase(state, row, actor) : state === NEW ? null : caseSnapshot({ state });
      const r = applyTransition(c, action, row ? fullInput(row) : {}, actor, NOW, env);
      const where = `${action} from ${state} by ${role}`;
      if (!row) {
        expect(r, where).toEqual({ ok: false, refusal: 'not_allowed_in_state' });
        tally.not_allowed_in_state++;
      } else if (!ROLE_PERMISSIONS[role].includes(row.permission)) {
        expect(r, where).toEqual({ ok: false, refusal: 'forbidden' });
        tally.forbidden++;
      } else if (UNSATISFIABLE[action]?.[role]) {
        expect(r, where).toEqual({ ok: false, refusal: `guard_failed:${UNSATISFIABLE[action]![role]}` });
        tally.guard_failed++;
      } else {
        if (!r.ok) throw new Error(`${where} refused: ${r.refusal}`);
        expect(possibleTargets(row, state), where).toContain(r.case.state);
        expect(r.event).toMatchObject({ action, from: state, to: r.case.state, at: NOW });
        tally.allowed++;
      }
    }
    // the figures move only when the table or the roles change; update them knowingly
    expect(tally).toEqual({ allowed: 314, not_allowed_in_state: 2793, forbidden: 469, guard_failed: 8 });
  });

  it('the system actor archives a case closed long enough ago', () => {
    const c = caseSnapshot({ state: 'closed', step: null, due_at: null, closed_at: NOW - 31 * 24 * HOUR });
    const r = applyTransition(c, 'archive', {}, SYSTEM_ACTOR, NOW, env);
    expect(r.ok && r.case.state).toBe('archived');
  });
});

describe('required fields', () => {
  it('refuses each action without each of its required fields, naming the field', () => {
    let checked = 0;
    for (const row of TRANSITIONS) {
      for (const field of row.requires ?? []) {
        for (const state of row.from) {
          const role = ROLES.find((r) => ROLE_PERMISSIONS[r].includes(row.permission) && !UNSATISFIABLE[row.action]?.[r]);
          const actor = role ? actorFor(role) : SYSTEM_ACTOR;
          const input = { ...fullInput(row), [field]: field === 'photos' ? [] : undefined };
          const r = applyTransition(happyCase(state, row, actor), row.action, input, actor, NOW, env);
          expect(r, `${row.action} from ${state} without ${field}`).toEqual({ ok: false, refusal: `missing_field:${field}` });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('counts blank text as missing', () => {
    const actor = actorFor('department_staff');
    const row = rowFor('return', 'dispatched')!;
    const r = applyTransition(happyCase('dispatched', row, actor), 'return', { reason: '   ' }, actor, NOW, env);
    expect(r).toEqual({ ok: false, refusal: 'missing_field:reason' });
  });
});

describe('the table itself', () => {
  it('has at most one row per action and state, and a row for every action', () => {
    for (const action of ACTIONS) {
      const rows = TRANSITIONS.filter((r) => r.action === action);
      expect(rows.length, action).toBeGreaterThan(0);
      const froms = rows.flatMap((r) => r.from);
      expect(new Set(froms).size, action).toBe(froms.length);
    }
  });

  it('uses only known permissions and guards', () => {
    const keys = PERMISSIONS.map((p) => p.key) as string[];
    for (const row of TRANSITIONS) {
      expect(keys).toContain(row.permission);
      for (const g of row.guards ?? []) expect(GUARD_NAMES).toContain(g);
    }
  });

  it('lets nothing leave a terminal state, and something leave every other state', () => {
    for (const state of STATES) {
      const out = TRANSITIONS.filter((r) => r.from.includes(state) && r.to !== 'same');
      if ((TERMINAL_STATES as readonly string[]).includes(state)) expect(TRANSITIONS.filter((r) => r.from.includes(state)), state).toEqual([]);
      else expect(out.length, state).toBeGreaterThan(0);
    }
  });

  it('reaches every state from a new report', () => {
    const seen = new Set<FromState>([NEW]);
    const queue: FromState[] = [NEW];
    while (queue.length) {
      const s = queue.shift()!;
      for (const row of TRANSITIONS.filter((r) => r.from.includes(s))) {
        for (const t of possibleTargets(row, s)) if (!seen.has(t)) (seen.add(t), queue.push(t));
      }
    }
    expect([...seen].sort()).toEqual([...FROM_STATES].sort());
  });

  it('gives every guard a use', () => {
    const used = new Set(TRANSITIONS.flatMap((r) => r.guards ?? []));
    expect([...used].sort()).toEqual([...GUARD_NAMES].sort());
  });
});
