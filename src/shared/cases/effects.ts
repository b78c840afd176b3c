import type { PlatformLevel } from './limits.js';
import type { ActionInput, CaseActor, CaseSnapshot, RequestKind, WorkflowEnv } from './model.js';
import { VERIFIED_SOURCES, type State } from './workflow.js';

/**
 * Named pieces of the transition table that are computed rather than written down: targets that
 * depend on the case or the input, and effects on fields other than the state and the step clock.
 * Each is a small pure function so the table stays readable and every rule has one home.
 */
export interface EffectArgs {
  /** null when the action creates the case. */
  case: CaseSnapshot | null;
  input: ActionInput;
  actor: CaseActor;
  now: number;
  env: WorkflowEnv;
}

interface TargetDef {
  resolve: (a: EffectArgs) => State;
  /** Every state `resolve` can answer, for documentation and for the table tests. */
  possible: readonly State[];
}

export const TARGETS = {
  report_target: {
    resolve: ({ input }) =>
      input.source && (VERIFIED_SOURCES as readonly string[]).includes(input.source) ? 'pending_acceptance' : 'pending_verification',
    possible: ['pending_verification', 'pending_acceptance'],
  },
  /** 返工 goes back to the holder that handled it; a self-resolved case has none and needs dispatching. */
  rework_target: {
    resolve: ({ case: c }) => (c?.holder ? 'rework' : 'accepted'),
    possible: ['rework', 'accepted'],
  },
  /** A community workstation handles the case itself; a street sub-centre dispatches it again. */
  assign_target: {
    resolve: ({ input }) => (input.level === 'community' ? 'dispatched' : 'accepted'),
    possible: ['dispatched', 'accepted'],
  },
  resume_target: {
    resolve: ({ case: c }) => c?.suspended_from ?? 'accepted',
    possible: ['accepted', 'returned', 'dispatched', 'handling', 'rework'],
  },
} satisfies Record<string, TargetDef>;

export type TargetName = keyof typeof TARGETS;
export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

export function isTargetName(to: string): to is TargetName {
  return Object.hasOwn(TARGETS, to);
}

const NEXT_LEVEL: Record<PlatformLevel, PlatformLevel> = { community: 'street', street: 'district', district: 'district' };

function openRequest(kind: RequestKind) {
  return ({ input, actor, now }: EffectArgs): Partial<CaseSnapshot> => ({
    pending_request: {
      kind,
      requested_by: actor.id,
      requested_at: now,
      reason: input.reason ?? '',
      due_at: kind === 'postpone' ? (input.due_at ?? null) : null,
    },
  });
}

type Effect = (a: EffectArgs) => Partial<CaseSnapshot>;

function openCase({ input, actor }: EffectArgs): Partial<CaseSnapshot> {
  return {
    level: input.level ?? 'district',
    source: input.source ?? 'staff',
    reported_by: actor.id,
    category_code: input.filing?.category_code ?? input.category_code ?? null,
    filing: input.filing ?? null,
  };
}

export const EFFECTS = {
  open_case: openCase,
  self_resolve: (a) => ({ ...openCase(a), source: a.input.source ?? 'grid_worker', self_resolved_by: a.actor.id }),
  set_filing: ({ input }) => ({ filing: input.filing ?? null, category_code: input.filing?.category_code ?? null }),
  merge: ({ input }) => ({ merged_into: input.original_case_id ?? null }),
  hold_department: ({ input }) => ({ holder: { kind: 'department', code: input.department ?? '' }, returned_from: null }),
  assign_level: ({ input }) =>
    input.level === 'community'
      ? { level: 'community', holder: { kind: 'community', code: input.division ?? '' }, returned_from: null }
      : { level: 'street', holder: null, returned_from: null },
  restore_holder: ({ case: c }) => ({ holder: c?.returned_from ?? null, returned_from: null }),
  escalate: ({ case: c }) => ({ level: NEXT_LEVEL[c?.level ?? 'district'], holder: null, returned_from: null }),
  record_return: ({ case: c }) => ({ returned_from: c?.holder ?? null, holder: null }),
  count_rework: ({ case: c }) => ({ rework_count: (c?.rework_count ?? 0) + 1 }),
  close: ({ now }) => ({ closed_at: now }),
  reopen: ({ case: c }) => ({ closed_at: null, rework_count: (c?.rework_count ?? 0) + 1 }),
  open_postpone: openRequest('postpone'),
  open_suspend: openRequest('suspend'),
  open_cancel: openRequest('cancel'),
  grant_postpone: ({ case: c }) => ({ due_at: c?.pending_request?.due_at ?? c?.due_at ?? null, pending_request: null }),
  drop_request: () => ({ pending_request: null }),
  /** The step clock is frozen where it stands; `resume` moves the due time past the pause. */
  suspend: ({ case: c, now }) => ({ suspended_at: now, suspended_from: c?.state ?? null, pending_request: null }),
  resume: ({ case: c, now, env }) => {
    const unit = c?.step_limit?.unit;
    const due =
      c?.due_at != null && unit && c.suspended_at != null
        ? env.time.shiftForSuspension(c.due_at, unit, c.suspended_at, now)
        : (c?.due_at ?? null);
    return { due_at: due, suspended_at: null, suspended_from: null };
  },
  cancel: () => ({ suspended_at: null, suspended_from: null, pending_request: null }),
} satisfies Record<string, Effect>;

export type EffectName = keyof typeof EFFECTS;

