import type { Action, State } from '../../../../shared/cases/workflow.js';

/**
 * A case's progress as a resident reads it: four steps they understand (submitted, accepted, being
 * handled, done) instead of the platform's fifteen states, and a few ends that are not "done".
 */
export const MILESTONES = ['submitted', 'accepted', 'handling', 'done'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Ends a resident must read differently from "done". */
export type Outcome = 'rejected' | 'cancelled' | 'merged' | 'suspended' | null;

export interface ResidentProgress {
  /** Index in MILESTONES of the step reached. */
  step: number;
  /** The words for where it stands now (a key under resident.status). */
  status: ResidentStatus;
  outcome: Outcome;
}

export type ResidentStatus =
  | 'reviewing' | 'accepted' | 'handling' | 'checking' | 'done' | 'rejected' | 'cancelled' | 'merged' | 'suspended';

const BY_STATE: Record<State, ResidentProgress> = {
  pending_verification: { step: 0, status: 'reviewing', outcome: null },
  pending_acceptance: { step: 0, status: 'reviewing', outcome: null },
  rejected: { step: 0, status: 'rejected', outcome: 'rejected' },
  accepted: { step: 1, status: 'accepted', outcome: null },
  returned: { step: 1, status: 'accepted', outcome: null },
  dispatched: { step: 2, status: 'handling', outcome: null },
  handling: { step: 2, status: 'handling', outcome: null },
  rework: { step: 2, status: 'handling', outcome: null },
  pending_check: { step: 2, status: 'checking', outcome: null },
  checked: { step: 2, status: 'checking', outcome: null },
  closed: { step: 3, status: 'done', outcome: null },
  archived: { step: 3, status: 'done', outcome: null },
  suspended: { step: 1, status: 'suspended', outcome: 'suspended' },
  cancelled: { step: 0, status: 'cancelled', outcome: 'cancelled' },
  merged: { step: 1, status: 'merged', outcome: 'merged' },
};

export function progressOf(state: State): ResidentProgress {
  return BY_STATE[state];
}

/**
 * What each step of the public timeline says to a resident. The server sends only the action and
 * the new state, never who or why; internal steps (returned to the dispatcher, escalated) read as
 * the case being routed, which is what they are from outside.
 */
export type PublicPhrase =
  | 'submitted' | 'verified' | 'accepted' | 'rejected' | 'merged' | 'routed' | 'handling' | 'handled'
  | 'checkedOk' | 'rework' | 'closed' | 'archived' | 'reopened' | 'paused' | 'resumed' | 'cancelled' | 'other';

const PHRASES: Partial<Record<Action, PublicPhrase>> = {
  report: 'submitted',
  self_resolve: 'handled',
  verify: 'verified',
  accept: 'accepted',
  reject: 'rejected',
  merge: 'merged',
  dispatch: 'routed',
  assign: 'routed',
  refuse_return: 'routed',
  return: 'routed',
  escalate: 'routed',
  claim: 'handling',
  feedback: 'handled',
  check_pass: 'checkedOk',
  check_fail: 'rework',
  close: 'closed',
  archive: 'archived',
  reopen: 'reopened',
  approve_suspend: 'paused',
  resume: 'resumed',
  approve_cancel: 'cancelled',
};

export function phraseOf(action: Action): PublicPhrase {
  return PHRASES[action] ?? 'other';
}

/**
 * A tracking code as typed by a resident (lower case, spaces, dashes) in the server's form: 10 of
 * A–Z and 2–9. null when it cannot be one.
 */
export function normaliseTrackingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z2-9]{10}$/.test(code) ? code : null;
}
