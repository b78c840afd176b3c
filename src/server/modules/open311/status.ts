import { OPEN_STATES, TERMINAL_STATES, type Action, type State } from '../../../shared/cases/index.js';

/**
 * The case loop seen from outside, and outside statuses brought back into the loop. GeoReport v2
 * knows only open and closed; mySociety's extension (FixMyStreet, open311-adapter) adds the
 * statuses below, written lower case in the update stream and upper case when a client posts an
 * update. docs/open311.md carries the same tables for people.
 */
export const SPEC_STATUSES = ['open', 'closed'] as const;
export type SpecStatus = (typeof SPEC_STATUSES)[number];

export const EXTENDED_STATUSES = [
  'open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating', 'duplicate',
  'not_councils_responsibility', 'no_further_action', 'internal_referral', 'reopen', 'for_triage',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

export function specStatus(state: State): SpecStatus {
  return (OPEN_STATES as readonly State[]).includes(state) ? 'open' : 'closed';
}

/** Each workflow state as the extended status a client shows; the state itself goes out as external_status_code. */
export const STATUS_OF_STATE: Record<State, ExtendedStatus> = {
  pending_verification: 'open',
  pending_acceptance: 'investigating',
  rejected: 'no_further_action',
  accepted: 'action_scheduled',
  returned: 'action_scheduled',
  dispatched: 'action_scheduled',
  handling: 'in_progress',
  rework: 'in_progress',
  pending_check: 'in_progress',
  checked: 'fixed',
  closed: 'fixed',
  archived: 'fixed',
  // 挂账: cannot be solved now but still owed, and it can be resumed
  suspended: 'action_scheduled',
  cancelled: 'closed',
  merged: 'duplicate',
};

/**
 * What the public is told about each state: never the staff's own comment, which may name people
 * or carry internal reasoning. Used for status_notes and for the description of each update.
 */
export const PUBLIC_NOTES: Record<State, { zh: string; en: string }> = {
  pending_verification: { zh: '已收到，等待现场核实', en: 'Received; waiting for an on-site check' },
  pending_acceptance: { zh: '已核实，等待立案', en: 'Checked on site; waiting to be accepted' },
  rejected: { zh: '经核实不予立案', en: 'Not accepted as a case after checking' },
  accepted: { zh: '已立案，等待派遣', en: 'Accepted; waiting to be dispatched' },
  returned: { zh: '正在重新派遣', en: 'Being passed to the right body' },
  dispatched: { zh: '已派遣至处置单位', en: 'Sent to the body responsible' },
  handling: { zh: '处置单位正在处理', en: 'Being handled' },
  rework: { zh: '需重新处理', en: 'Being handled again' },
  pending_check: { zh: '处置完成，等待核查', en: 'Handled; waiting for the check' },
  checked: { zh: '核查通过，问题已解决', en: 'Checked: the problem is fixed' },
  closed: { zh: '已办结', en: 'Closed: the problem is fixed' },
  archived: { zh: '已办结归档', en: 'Closed and archived' },
  suspended: { zh: '暂不具备处置条件，已挂账跟踪', en: 'Deferred: it cannot be fixed now and stays on the list' },
  cancelled: { zh: '已撤销', en: 'Withdrawn' },
  merged: { zh: '与已有报告重复，已合并处理', en: 'A duplicate of an earlier report, handled there' },
};

/** Statuses a client may post (mySociety's upper-case list). */
export const INCOMING_STATUSES = [
  'OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'ACTION_SCHEDULED', 'INVESTIGATING', 'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY', 'NO_FURTHER_ACTION', 'INTERNAL_REFERRAL', 'REOPEN', 'FOR_TRIAGE',
] as const;
export type IncomingStatus = (typeof INCOMING_STATUSES)[number];

/** What a posted status asks of the case. */
export const INTENT_OF_STATUS: Record<IncomingStatus, 'resolved' | 'not_ours' | 'reopen' | 'comment'> = {
  FIXED: 'resolved',
  CLOSED: 'resolved',
  NOT_COUNCILS_RESPONSIBILITY: 'not_ours',
  NO_FURTHER_ACTION: 'not_ours',
  DUPLICATE: 'not_ours',
  REOPEN: 'reopen',
  // a client that knows only OPEN and CLOSED says OPEN when its user reopens a closed report
  OPEN: 'comment',
  INVESTIGATING: 'comment',
  IN_PROGRESS: 'comment',
  ACTION_SCHEDULED: 'comment',
  INTERNAL_REFERRAL: 'comment',
  FOR_TRIAGE: 'comment',
};

export type UpdatePlan =
  /** Workflow actions to take in order, each through actOnCase. */
  | { kind: 'act'; actions: readonly Action[] }
  /** Recorded on the case as the reporter's follow-up (补充说明 `comment`), without a change of state. */
  | { kind: 'note' }
  /** The case already is where the status asks; nothing is written. */
  | { kind: 'already' }
  | { kind: 'refuse'; reason: string };

const PRE_ACCEPTANCE: readonly State[] = ['pending_verification', 'pending_acceptance'];
const isOpen = (s: State) => (OPEN_STATES as readonly State[]).includes(s);
const isTerminal = (s: State) => (TERMINAL_STATES as readonly State[]).includes(s);

/**
 * How a posted status lands on a case in `state`, as the transition table allows it. A report
 * nobody accepted yet can be withdrawn (不予立案); a handled case the reporter confirms fixed
 * passes its check and closes; a closed case can be reopened by its reporter within the window.
 * While a body is handling the case, only the holder can report the handling, so the reporter's
 * word is passed on as a note. Whether the caller may take each action is still the workflow's
 * decision (permissions and guards), made when the action is taken.
 */
export function planUpdate(status: IncomingStatus, state: State): UpdatePlan {
  const intent = INTENT_OF_STATUS[status];
  if (intent === 'reopen' || (status === 'OPEN' && !isOpen(state))) {
    if (state === 'closed') return { kind: 'act', actions: ['reopen'] };
    if (isOpen(state)) return { kind: 'note' };
    return { kind: 'refuse', reason: `A ${stateWord(state)} request cannot be reopened; report the problem again as a new request.` };
  }
  if (intent === 'comment') return isOpen(state) ? { kind: 'note' } : { kind: 'already' };
  if (PRE_ACCEPTANCE.includes(state)) return { kind: 'act', actions: ['reject'] };
  if (intent === 'resolved') {
    if (state === 'pending_check') return { kind: 'act', actions: ['check_pass', 'close'] };
    if (state === 'checked') return { kind: 'act', actions: ['close'] };
  }
  if (state === 'closed' || isTerminal(state)) return { kind: 'already' };
  return { kind: 'note' };
}

function stateWord(state: State): string {
  return state === 'archived' ? 'archived' : state === 'merged' ? 'merged' : state === 'cancelled' ? 'withdrawn' : 'rejected';
}
