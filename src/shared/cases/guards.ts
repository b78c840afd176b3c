import { LEVELS } from '../permissions.js';
import type { PlatformLevel } from './limits.js';
import type { ActionInput, CaseActor, CaseSnapshot, RequestKind, WorkflowEnv } from './model.js';
import { VERIFIED_SOURCES } from './workflow.js';

/**
 * Named guards the transition table refers to. A guard answers one yes/no question about the case,
 * the actor and the input; jurisdiction (is the case in the actor's area at all?) is not a guard
 * but the repository's scope, which answers 404 before the workflow is asked.
 */
export interface GuardArgs {
  case: CaseSnapshot | null;
  input: ActionInput;
  actor: CaseActor;
  now: number;
  env: WorkflowEnv;
}

interface GuardDef {
  check: (a: GuardArgs) => boolean;
  /** Depends on the action's input, so `allowedActions` (which has no input yet) skips it. */
  usesInput?: true;
}

const DAY_MS = 86_400_000;

function rank(level: PlatformLevel | 'grid' | null | undefined): number {
  return level ? LEVELS[level] : -1;
}

function pendingIs(kind: RequestKind): GuardDef {
  return { check: ({ case: c }) => c?.pending_request?.kind === kind };
}

export const GUARDS = {
  /** Only staff sources may be filed straight as accepted cases. */
  source_is_staff: {
    check: ({ input }) => !!input.source && (VERIFIED_SOURCES as readonly string[]).includes(input.source),
    usesInput: true,
  },
  original_is_other_case: {
    check: ({ case: c, input }) => !!input.original_case_id && input.original_case_id !== c?.id,
    usesInput: true,
  },
  /** The holder (department or community workstation) is the actor's own. */
  actor_is_holder: {
    check: ({ case: c, actor }) => {
      const h = c?.holder;
      if (!h) return false;
      return h.kind === 'department' ? actor.department_code === h.code : actor.division_code === h.code;
    },
  },
  holder_not_department: { check: ({ case: c }) => c?.holder?.kind !== 'department' },
  has_returned_from: { check: ({ case: c }) => !!c?.returned_from },
  /** A street dispatcher no longer commands a case escalated to the district; the district commands all. */
  actor_at_or_above_case_level: { check: ({ case: c, actor }) => !!c && rank(actor.level) >= rank(c.level) },
  /** Escalation is "from my level to the next", so only the level holding the case escalates it. */
  actor_at_case_level: { check: ({ case: c, actor }) => !!c && actor.level === c.level },
  below_district_level: { check: ({ case: c }) => !!c && c.level !== 'district' },
  assign_below_case_level: {
    check: ({ case: c, input }) =>
      !!c && (input.level === 'community' || input.level === 'street') && rank(input.level) < rank(c.level),
    usesInput: true,
  },
  /** 自处理 is still checked, by someone other than the grid worker who resolved it. */
  different_checker_than_self_resolver: { check: ({ case: c, actor }) => c?.self_resolved_by !== actor.id },
  reporter_is_actor: { check: ({ case: c, actor }) => !!c && c.reported_by === actor.id },
  within_reopen_window: {
    check: ({ case: c, now, env }) =>
      c?.closed_at != null && now - c.closed_at <= env.settings.reopenWindowDays * DAY_MS,
  },
  actor_is_system: { check: ({ actor }) => actor.kind === 'system' },
  archive_delay_elapsed: {
    check: ({ case: c, now, env }) =>
      c?.closed_at != null && now - c.closed_at >= env.settings.archiveAfterDays * DAY_MS,
  },
  no_pending_request: { check: ({ case: c }) => !!c && c.pending_request === null },
  /** A postponement must move the due time later, and not into the past. */
  postpone_extends_due: {
    check: ({ case: c, input, now }) =>
      input.due_at !== undefined && input.due_at > now && (c?.due_at == null || input.due_at > c.due_at),
    usesInput: true,
  },
  postpone_pending: pendingIs('postpone'),
  suspend_pending: pendingIs('suspend'),
  cancel_pending: pendingIs('cancel'),
  approver_is_not_requester: {
    check: ({ case: c, actor }) => !!c?.pending_request && c.pending_request.requested_by !== actor.id,
  },
  requester_is_actor: {
    check: ({ case: c, actor }) => !!c?.pending_request && c.pending_request.requested_by === actor.id,
  },
} satisfies Record<string, GuardDef>;

export type GuardName = keyof typeof GUARDS;
export const GUARD_NAMES = Object.keys(GUARDS) as GuardName[];

export function guardUsesInput(name: GuardName): boolean {
  return (GUARDS[name] as GuardDef).usesInput === true;
}
