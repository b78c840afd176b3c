import type { Permission } from '../permissions.js';
import type { PlatformLevel, TimeLimit, LimitUnit } from './limits.js';
import type { GuardName } from './guards.js';
import type { Action, CaseSource, FromState, State, Step } from './workflow.js';

/**
 * The workflow's view of a case: only the fields the transition table reads or writes. The case
 * row carries more (number, location, address, photos …); the repository maps between the two.
 * Times are epoch milliseconds, as everywhere in the database, so snapshots and event inputs are
 * plain JSON and replay needs no date revival.
 */
export interface CaseSnapshot {
  /** Set once the case row exists; used only to refuse merging a case into itself. */
  id?: string;
  state: State;
  /** Platform level currently coordinating the case (三级平台). */
  level: PlatformLevel;
  source: CaseSource;
  /** Actor id of the reporter; residents are `public` actors identified by their tracking code. */
  reported_by: string;
  /** Sub-category the reporter chose, before a filing condition is settled. */
  category_code: string | null;
  /** The filing condition the case was accepted under, with its limit frozen (categories are versioned). */
  filing: Filing | null;
  /** Who must handle it now: a department or a community workstation. */
  holder: Holder | null;
  /** Who returned it (回退), so the dispatcher can refuse the return and send it back. */
  returned_from: Holder | null;
  /** Grid worker who resolved it on the spot; someone else must check it. */
  self_resolved_by: string | null;
  /** Times the check failed or the reporter reopened it (返工). */
  rework_count: number;
  /** An approval waiting on this case; the main state is kept while it waits. */
  pending_request: PendingRequest | null;
  /** The current step's clock: which step, since when, under which limit, due when. */
  step: Step | null;
  step_started_at: number | null;
  step_limit: TimeLimit | null;
  due_at: number | null;
  /** Suspension (挂账) bookkeeping: the step clock is frozen from `suspended_at`. */
  suspended_at: number | null;
  suspended_from: State | null;
  closed_at: number | null;
  merged_into: string | null;
}

export interface Filing {
  category_code: string;
  /** Version of the category tree the limit was read from. */
  category_version: number;
  condition_code: string;
  limit: TimeLimit;
}

export type Holder = { kind: 'department'; code: string } | { kind: 'community'; code: string };

export const REQUEST_KINDS = ['postpone', 'suspend', 'cancel'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface PendingRequest {
  kind: RequestKind;
  requested_by: string;
  requested_at: number;
  reason: string;
  /** Requested new due time, for a postponement. */
  due_at: number | null;
}

/** Platform level of an actor's grant; grid workers sit below the community, departments have none. */
export type ActorLevel = 'grid' | PlatformLevel;

/**
 * Who acts. The service builds it from the signed-in user's grant that covers the case
 * (permissions from ROLE_PERMISSIONS, the grant's division and level or department), from a
 * resident's tracking code (`kind: 'public'`, permissions ['cases.report']), or for the scheduler
 * (`kind: 'system'`).
 */
export interface CaseActor {
  id: string;
  kind: 'user' | 'public' | 'system';
  permissions: readonly Permission[];
  level?: ActorLevel | null;
  division_code?: string | null;
  department_code?: string | null;
}

/** What an action may carry; which fields each action requires is in the transition table. */
export interface ActionInput {
  source?: CaseSource;
  level?: PlatformLevel;
  category_code?: string;
  filing?: Filing;
  reason?: string;
  comment?: string;
  /** Department code to dispatch to. */
  department?: string;
  /** Division code of the community (or street) a case is assigned to. */
  division?: string;
  photos?: readonly string[];
  photos_before?: readonly string[];
  photos_after?: readonly string[];
  /** Requested or approved new due time (epoch ms), for postponement. */
  due_at?: number;
  original_case_id?: string;
}

export const INPUT_FIELDS = [
  'source', 'level', 'filing', 'reason', 'comment', 'department', 'division',
  'photos', 'photos_before', 'photos_after', 'due_at', 'original_case_id',
] as const satisfies readonly (keyof ActionInput)[];
export type InputField = (typeof INPUT_FIELDS)[number];

/** Due-time arithmetic on the working calendar; the server's clock module provides it. */
export interface DueTimeRules {
  addLimit(start: number, limit: TimeLimit): number;
  /** Move a due time past a suspension from `suspendedAt` to `resumedAt`, in the unit's semantics. */
  shiftForSuspension(dueAt: number, unit: LimitUnit, suspendedAt: number, resumedAt: number): number;
}

export interface WorkflowSettings {
  /** Limits of the steps that are not the handling itself; `handle` applies when a case has no filing. */
  stepLimits: Record<Step, TimeLimit>;
  /** Calendar days after closing during which the reporter may reopen (counts as rework). */
  reopenWindowDays: number;
  /** Calendar days after closing before the system archives. */
  archiveAfterDays: number;
}

export interface WorkflowEnv {
  time: DueTimeRules;
  settings: WorkflowSettings;
}

export type Refusal =
  | 'not_allowed_in_state'
  | 'forbidden'
  | `guard_failed:${GuardName}`
  | `missing_field:${InputField}`;

/** What a case_events row must hold so that replaying the rows rebuilds the case. */
export interface CaseEventDraft {
  action: Action;
  from: FromState;
  to: State;
  at: number;
  actor: CaseActor;
  input: ActionInput;
  step: Step | null;
  due_at: number | null;
  /** A pending request dropped because the case moved on without deciding it. */
  withdrawn_request: RequestKind | null;
}

export type TransitionResult =
  | {
      ok: true;
      case: CaseSnapshot;
      /** Only the fields that changed, for the repository's UPDATE. */
      changes: Partial<CaseSnapshot>;
      event: CaseEventDraft;
    }
  | { ok: false; refusal: Refusal };
