import type { Permission } from '../permissions.js';
import { EFFECTS, TARGETS, isTargetName, type EffectArgs } from './effects.js';
import { GUARDS, guardUsesInput } from './guards.js';
import type {
  ActionInput, CaseActor, CaseEventDraft, CaseSnapshot, InputField, Refusal, TransitionResult, WorkflowEnv,
} from './model.js';
import {
  ACTIONS, NEW, STEP_OF_STATE, TRANSITIONS, findRow, type Action, type FromState, type State, type TransitionRow,
} from './workflow.js';

/**
 * Reading the transition table: the one way a case changes state. Everything here is pure: the
 * same case, action, input, actor, time and environment always give the same answer, which is what
 * lets `replay` rebuild a case from its case_events rows.
 */

const BLANK: Omit<CaseSnapshot, 'state'> = {
  level: 'district',
  source: 'staff',
  reported_by: '',
  category_code: null,
  filing: null,
  holder: null,
  returned_from: null,
  self_resolved_by: null,
  rework_count: 0,
  pending_request: null,
  step: null,
  step_started_at: null,
  step_limit: null,
  due_at: null,
  suspended_at: null,
  suspended_from: null,
  closed_at: null,
  merged_into: null,
};

const NO_EFFECT: Partial<CaseSnapshot> = {};

/**
 * The case after an action: the effect's fields over the case's (or a blank case's), every field
 * written out. A spread here (`{ ...BLANK, ...c, ...effect }`) cost V8 tens of microseconds per
 * action: copying objects of twenty-odd fields goes through its slow path.
 */
function nextSnapshot(c: Omit<CaseSnapshot, 'state'> & { state?: State }, e: Partial<CaseSnapshot>, state: State): CaseSnapshot {
  const next: CaseSnapshot = {
    state,
    level: 'level' in e ? e.level! : c.level,
    source: 'source' in e ? e.source! : c.source,
    reported_by: 'reported_by' in e ? e.reported_by! : c.reported_by,
    category_code: 'category_code' in e ? e.category_code! : c.category_code,
    filing: 'filing' in e ? e.filing! : c.filing,
    holder: 'holder' in e ? e.holder! : c.holder,
    returned_from: 'returned_from' in e ? e.returned_from! : c.returned_from,
    self_resolved_by: 'self_resolved_by' in e ? e.self_resolved_by! : c.self_resolved_by,
    rework_count: 'rework_count' in e ? e.rework_count! : c.rework_count,
    pending_request: 'pending_request' in e ? e.pending_request! : c.pending_request,
    step: 'step' in e ? e.step! : c.step,
    step_started_at: 'step_started_at' in e ? e.step_started_at! : c.step_started_at,
    step_limit: 'step_limit' in e ? e.step_limit! : c.step_limit,
    due_at: 'due_at' in e ? e.due_at! : c.due_at,
    suspended_at: 'suspended_at' in e ? e.suspended_at! : c.suspended_at,
    suspended_from: 'suspended_from' in e ? e.suspended_from! : c.suspended_from,
    closed_at: 'closed_at' in e ? e.closed_at! : c.closed_at,
    merged_into: 'merged_into' in e ? e.merged_into! : c.merged_into,
  };
  const id = 'id' in e ? e.id : c.id;
  if (id !== undefined) next.id = id;
  return next;
}

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export type CheckResult = { ok: true; row: TransitionRow } | { ok: false; refusal: Refusal };

/**
 * Whether the actor may take the action now, and if not, the first reason why, checked in this
 * order: the state allows the action, the actor holds the permission, the input has every
 * required field, every guard passes.
 */
export function checkAction(
  c: CaseSnapshot | null,
  action: Action,
  input: ActionInput,
  actor: CaseActor,
  now: number,
  env: WorkflowEnv,
): CheckResult {
  const row = findRow(action, c ? c.state : NEW);
  if (!row) return { ok: false, refusal: 'not_allowed_in_state' };
  if (!actor.permissions.includes(row.permission)) return { ok: false, refusal: 'forbidden' };
  for (const field of row.requires ?? []) {
    if (!present(input[field])) return { ok: false, refusal: `missing_field:${field}` };
  }
  for (const guard of row.guards ?? []) {
    if (!GUARDS[guard].check({ case: c, input, actor, now, env })) return { ok: false, refusal: `guard_failed:${guard}` };
  }
  return { ok: true, row };
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * Apply one action. On success returns the whole new snapshot, the fields that changed and the
 * case_events draft; on refusal, a typed reason and nothing else. `c` is null for the actions that
 * create a case (report, accept from new, self_resolve).
 */
export function applyTransition(
  c: CaseSnapshot | null,
  action: Action,
  input: ActionInput,
  actor: CaseActor,
  now: number,
  env: WorkflowEnv,
): TransitionResult {
  const checked = checkAction(c, action, input, actor, now, env);
  if (!checked.ok) return checked;
  const { row } = checked;
  const from: FromState = c ? c.state : NEW;
  const args: EffectArgs = { case: c, input, actor, now, env };

  const to: State =
    row.to === 'same' ? (c as CaseSnapshot).state : isTargetName(row.to) ? TARGETS[row.to].resolve(args) : row.to;
  const next = nextSnapshot(c ?? BLANK, row.effect ? EFFECTS[row.effect](args) : NO_EFFECT, to);

  // A request nobody decided does not follow the case into another state.
  let withdrawn: CaseEventDraft['withdrawn_request'] = null;
  if (c && to !== c.state && next.pending_request) {
    withdrawn = next.pending_request.kind;
    next.pending_request = null;
  }

  // a suspended case keeps its clock frozen where it stood, whatever is done to it meanwhile
  if (row.timer !== 'keep' && to !== 'suspended') {
    const step = STEP_OF_STATE[to];
    if (step === null) {
      next.step = null;
      next.step_started_at = null;
      next.step_limit = null;
      next.due_at = null;
    } else if (row.timer === 'restart' || step !== c?.step) {
      const limit = step === 'handle' && next.filing ? next.filing.limit : env.settings.stepLimits[step];
      next.step = step;
      next.step_started_at = now;
      next.step_limit = limit;
      next.due_at = env.time.addLimit(now, limit);
    }
  }

  const changes: Partial<CaseSnapshot> = {};
  for (const key of Object.keys(next) as (keyof CaseSnapshot)[]) {
    if (!c || !sameValue(c[key], next[key])) (changes as Record<string, unknown>)[key] = next[key];
  }
  return {
    ok: true,
    case: next,
    changes,
    event: { action, from, to, at: now, actor, input, step: next.step, due_at: next.due_at, withdrawn_request: withdrawn },
  };
}

export interface AllowedContext {
  case: CaseSnapshot | null;
  actor: CaseActor;
  now: number;
  env: WorkflowEnv;
}

/**
 * The actions to offer for a case in `state` to someone holding `permissions`. With a context,
 * guards are evaluated too, except those that depend on input not given yet (a chosen department,
 * a requested due time); without one, only the state and the permission decide.
 */
export function allowedActions(
  state: FromState,
  ctx: AllowedContext | null,
  permissions: readonly Permission[],
): Action[] {
  const ok = new Set<Action>();
  for (const row of TRANSITIONS) {
    if (!row.from.includes(state) || !permissions.includes(row.permission)) continue;
    if (ctx) {
      const args = { case: ctx.case, input: {}, actor: ctx.actor, now: ctx.now, env: ctx.env };
      if ((row.guards ?? []).some((g) => !guardUsesInput(g) && !GUARDS[g].check(args))) continue;
    }
    ok.add(row.action);
  }
  return ACTIONS.filter((a) => ok.has(a));
}

/** Every state a row can lead to from `from` (resolving 'same' and named targets). */
export function possibleTargets(row: TransitionRow, from: FromState): readonly State[] {
  if (row.to === 'same') return from === NEW ? [] : [from];
  return isTargetName(row.to) ? TARGETS[row.to].possible : [row.to];
}

/** Fields the action requires from every state it is allowed in, for building forms. */
export function requiredFields(action: Action): InputField[] {
  const rows = TRANSITIONS.filter((r) => r.action === action);
  const all = rows.map((r) => r.requires ?? []);
  return [...new Set(all.flat())].filter((f) => all.every((req) => req.includes(f)));
}

export type ReplayEvent = Pick<CaseEventDraft, 'action' | 'input' | 'actor' | 'at'>;

/**
 * Rebuild a case from its events, oldest first. A refusal means the history and the table disagree
 * (edited rows, a changed table or calendar), which is an error the caller must see.
 */
export function replay(events: readonly ReplayEvent[], env: WorkflowEnv, id?: string): CaseSnapshot | null {
  let c: CaseSnapshot | null = null;
  events.forEach((e, i) => {
    const r = applyTransition(c, e.action, e.input, e.actor, e.at, env);
    if (!r.ok) throw new Error(`case event ${i} (${e.action}) refused on replay: ${r.refusal}`);
    c = id !== undefined && r.case.id === undefined ? { ...r.case, id } : r.case;
  });
  return c;
}
