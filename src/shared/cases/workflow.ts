import type { Permission } from '../permissions.js';
import type { EffectName, TargetName } from './effects.js';
import type { GuardName } from './guards.js';
import type { InputField } from './model.js';

/**
 * The case loop 采集上报 → 指挥派遣 → 处置反馈 → 任务核查 → 结单归档 as data: states, actions and
 * ONE transition table. `applyTransition` (transition.ts) is the only code that reads the table to
 * change a case; the web reads it through `allowedActions` to show buttons.
 *
 * Approvals (延期, 挂账, 作废) are not states. A request is a `pending_request` on a case that keeps
 * its main state, because work goes on while a request waits (a department keeps handling while its
 * postponement is decided) and a refusal must land exactly where the case was. As states they would
 * multiply (handling+postpone-pending, rework+postpone-pending …) and each refusal would need a
 * "go back to where you were" marker. A return (回退) is immediate instead: the department is not
 * the right holder, so the case goes back to the dispatcher, whose re-routing or `refuse_return`
 * is the decision on it.
 */

export const STATES = [
  'pending_verification',
  'pending_acceptance',
  'rejected',
  'accepted',
  'returned',
  'dispatched',
  'handling',
  'rework',
  'pending_check',
  'checked',
  'closed',
  'archived',
  'suspended',
  'cancelled',
  'merged',
] as const;
export type State = (typeof STATES)[number];

/** The state of a case that does not exist yet: only reporting actions start from here. */
export const NEW = 'new' as const;
export type FromState = State | typeof NEW;

export const STATE_LABELS: Record<State, { zh: string; en: string }> = {
  pending_verification: { zh: '待核实', en: 'Pending verification' },
  pending_acceptance: { zh: '待立案', en: 'Pending acceptance' },
  rejected: { zh: '不予立案', en: 'Not accepted' },
  accepted: { zh: '已立案待派遣', en: 'Accepted, to dispatch' },
  returned: { zh: '已回退', en: 'Returned' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  handling: { zh: '处置中', en: 'Handling' },
  rework: { zh: '返工', en: 'Rework' },
  pending_check: { zh: '处置完成待核查', en: 'Handled, pending check' },
  checked: { zh: '核查通过待结单', en: 'Checked, to close' },
  closed: { zh: '已结单', en: 'Closed' },
  archived: { zh: '已归档', en: 'Archived' },
  suspended: { zh: '挂账', en: 'Suspended' },
  cancelled: { zh: '已作废', en: 'Cancelled' },
  merged: { zh: '已合并', en: 'Merged as duplicate' },
};

/** No action leaves these. */
export const TERMINAL_STATES = ['rejected', 'archived', 'cancelled', 'merged'] as const satisfies readonly State[];
/** Open: work is still owed. Closed and terminal states are not open. */
export const OPEN_STATES = STATES.filter(
  (s) => s !== 'closed' && !(TERMINAL_STATES as readonly State[]).includes(s),
) as readonly State[];
/** Open states whose due time runs: a suspended case's clock stands still. */
export const TIMED_STATES = OPEN_STATES.filter((s) => s !== 'suspended');

/** Steps carry the clock: each state belongs to one step whose due time runs while it lasts. */
export const STEPS = ['verify', 'accept', 'dispatch', 'handle', 'check', 'close'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_LABELS: Record<Step, { zh: string; en: string }> = {
  verify: { zh: '核实', en: 'Verify' },
  accept: { zh: '立案', en: 'Accept' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  handle: { zh: '处置', en: 'Handle' },
  check: { zh: '核查', en: 'Check' },
  close: { zh: '结单', en: 'Close' },
};

/** A suspended case keeps its step frozen; closed and terminal states have no clock. */
export const STEP_OF_STATE: Record<State, Step | null> = {
  pending_verification: 'verify',
  pending_acceptance: 'accept',
  rejected: null,
  accepted: 'dispatch',
  returned: 'dispatch',
  dispatched: 'handle',
  handling: 'handle',
  rework: 'handle',
  pending_check: 'check',
  checked: 'close',
  closed: null,
  archived: null,
  suspended: null,
  cancelled: null,
  merged: null,
};

export const CASE_SOURCES = ['grid_worker', 'staff', 'department', 'resident', 'hotline', 'api', 'sensor'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const CASE_SOURCE_LABELS: Record<CaseSource, { zh: string; en: string }> = {
  grid_worker: { zh: '网格员上报', en: 'Grid worker' },
  staff: { zh: '平台工作人员', en: 'Platform staff' },
  department: { zh: '专业部门', en: 'Department' },
  resident: { zh: '居民（网站、微信）', en: 'Resident (web, WeChat)' },
  hotline: { zh: '12345热线', en: '12345 hotline' },
  api: { zh: '其他系统接入', en: 'Other system (API)' },
  sensor: { zh: '视频、感知设备', en: 'Video or sensor' },
};

/** Sources whose reports were seen on site by staff: they skip 核实 and go straight to 立案. */
export const VERIFIED_SOURCES = ['grid_worker', 'staff', 'department'] as const satisfies readonly CaseSource[];

export const ACTIONS = [
  'report', 'self_resolve', 'verify', 'accept', 'reject', 'merge',
  'dispatch', 'assign', 'refuse_return', 'claim', 'return', 'feedback',
  'check_pass', 'check_fail', 'close', 'archive', 'reopen', 'escalate',
  'request_postpone', 'approve_postpone', 'refuse_postpone',
  'request_suspend', 'approve_suspend', 'refuse_suspend', 'resume',
  'request_cancel', 'approve_cancel', 'refuse_cancel', 'withdraw_request',
  'urge', 'instruct', 'comment',
] as const;
export type Action = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<Action, { zh: string; en: string }> = {
  report: { zh: '上报', en: 'Report' },
  self_resolve: { zh: '自处理', en: 'Resolve on the spot' },
  verify: { zh: '核实', en: 'Verify' },
  accept: { zh: '立案', en: 'Accept' },
  reject: { zh: '不予立案', en: 'Reject' },
  merge: { zh: '合并重复案件', en: 'Merge as duplicate' },
  dispatch: { zh: '派遣', en: 'Dispatch to department' },
  assign: { zh: '交办下级平台', en: 'Assign to a lower level' },
  refuse_return: { zh: '不同意回退', en: 'Refuse the return' },
  claim: { zh: '签收', en: 'Claim and start handling' },
  return: { zh: '回退', en: 'Return' },
  feedback: { zh: '处置反馈', en: 'Report handling done' },
  check_pass: { zh: '核查通过', en: 'Check passed' },
  check_fail: { zh: '核查不通过（返工）', en: 'Check failed (rework)' },
  close: { zh: '结单', en: 'Close' },
  archive: { zh: '归档', en: 'Archive' },
  reopen: { zh: '重新打开', en: 'Reopen' },
  escalate: { zh: '上报上级平台', en: 'Escalate' },
  request_postpone: { zh: '申请延期', en: 'Request postponement' },
  approve_postpone: { zh: '同意延期', en: 'Approve postponement' },
  refuse_postpone: { zh: '不同意延期', en: 'Refuse postponement' },
  request_suspend: { zh: '申请挂账', en: 'Request suspension' },
  approve_suspend: { zh: '同意挂账', en: 'Approve suspension' },
  refuse_suspend: { zh: '不同意挂账', en: 'Refuse suspension' },
  resume: { zh: '恢复办理', en: 'Resume' },
  request_cancel: { zh: '申请作废', en: 'Request cancellation' },
  approve_cancel: { zh: '同意作废', en: 'Approve cancellation' },
  refuse_cancel: { zh: '不同意作废', en: 'Refuse cancellation' },
  withdraw_request: { zh: '撤回申请', en: 'Withdraw request' },
  urge: { zh: '督办', en: 'Urge' },
  instruct: { zh: '领导批示', en: 'Leader instruction' },
  comment: { zh: '补充说明', en: 'Add a note' },
};

/**
 * Supervision events (黄牌 / 红牌) in a case's history: the scheduler records one when a step has
 * used its yellow share or run past its due time. They stand outside the transition table: no one
 * takes them, and they change neither the case's state nor its version (so nobody working the case
 * meets a conflict because of one). Replay and the evaluation's counts pass over them.
 */
export const CARD_ACTIONS = ['yellow_card', 'red_card'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];
/** Every action a case's history can hold: the table's and the supervision events. */
export const HISTORY_ACTIONS = [...ACTIONS, ...CARD_ACTIONS] as const;
export type HistoryAction = Action | CardAction;

const CARD_ACTION_SET: ReadonlySet<string> = new Set(CARD_ACTIONS);
export function isCardAction(action: string): action is CardAction {
  return CARD_ACTION_SET.has(action);
}

export const CARD_ACTION_LABELS: Record<CardAction, { zh: string; en: string }> = {
  yellow_card: { zh: '黄牌预警', en: 'Yellow card (due soon)' },
  red_card: { zh: '红牌超时', en: 'Red card (overdue)' },
};

/** The words for any entry of a case's history (an action or a card); undefined for an unknown name. */
export function historyActionLabels(action: string): { zh: string; en: string } | undefined {
  return isCardAction(action) ? CARD_ACTION_LABELS[action] : ACTION_LABELS[action as Action];
}

export interface TransitionRow {
  action: Action;
  from: readonly FromState[];
  /** A state, 'same' (state unchanged), or a named target computed from the case and input. */
  to: State | 'same' | TargetName;
  permission: Permission;
  /** All must pass, checked in order after the required fields. */
  guards?: readonly GuardName[];
  requires?: readonly InputField[];
  /** Named change to the case's fields besides its state and step clock. */
  effect?: EffectName;
  /**
   * Step clock: 'restart' starts the target step's clock afresh; 'keep' leaves it as it is
   * (effects may move it). Unset: restart when the step changes, keep when it does not.
   */
  timer?: 'restart' | 'keep';
}

const HOLDER_WORK = ['handling', 'rework'] as const satisfies readonly State[];
const SUSPENDABLE = ['accepted', 'returned', 'dispatched', 'handling', 'rework'] as const satisfies readonly State[];
const CANCELLABLE = [
  'pending_verification', 'pending_acceptance', 'accepted', 'returned', 'dispatched', 'handling', 'rework', 'suspended',
] as const satisfies readonly State[];
const REQUESTABLE = [...new Set<State>([...HOLDER_WORK, ...SUSPENDABLE, ...CANCELLABLE])];

export const TRANSITIONS: readonly TransitionRow[] = [
  // 采集上报: public sources wait for 核实, staff sources wait for 立案; staff who may accept can file directly.
  { action: 'report', from: [NEW], to: 'report_target', permission: 'cases.report', requires: ['source', 'level'], effect: 'open_case' },
  { action: 'accept', from: [NEW], to: 'accepted', permission: 'cases.accept', guards: ['source_is_staff'], requires: ['source', 'level', 'filing'], effect: 'open_case' },
  { action: 'self_resolve', from: [NEW], to: 'pending_check', permission: 'cases.self_resolve', requires: ['level', 'filing', 'photos_before', 'photos_after'], effect: 'self_resolve' },
  { action: 'verify', from: ['pending_verification'], to: 'pending_acceptance', permission: 'cases.verify', requires: ['comment'] },
  { action: 'accept', from: ['pending_acceptance'], to: 'accepted', permission: 'cases.accept', requires: ['filing'], effect: 'set_filing' },
  { action: 'reject', from: ['pending_verification', 'pending_acceptance'], to: 'rejected', permission: 'cases.accept', requires: ['reason'] },
  { action: 'merge', from: ['pending_verification', 'pending_acceptance', 'accepted'], to: 'merged', permission: 'cases.merge', guards: ['original_is_other_case'], requires: ['original_case_id'], effect: 'merge' },

  // 指挥派遣: to a department, or down to a street sub-centre / community workstation.
  { action: 'dispatch', from: ['accepted', 'returned'], to: 'dispatched', permission: 'cases.dispatch', guards: ['actor_at_or_above_case_level'], requires: ['department'], effect: 'hold_department', timer: 'restart' },
  { action: 'assign', from: ['accepted', 'returned'], to: 'assign_target', permission: 'cases.dispatch', guards: ['actor_at_or_above_case_level', 'assign_below_case_level'], requires: ['level', 'division'], effect: 'assign_level', timer: 'restart' },
  { action: 'refuse_return', from: ['returned'], to: 'dispatched', permission: 'cases.approve', guards: ['actor_at_or_above_case_level', 'has_returned_from'], requires: ['reason'], effect: 'restore_holder', timer: 'restart' },
  { action: 'escalate', from: ['accepted', 'returned', 'dispatched', 'handling', 'rework'], to: 'accepted', permission: 'cases.escalate', guards: ['below_district_level', 'actor_at_case_level', 'holder_not_department'], requires: ['reason'], effect: 'escalate', timer: 'restart' },

  // 处置反馈: the holder claims or returns, then reports the handling with photos.
  { action: 'claim', from: ['dispatched'], to: 'handling', permission: 'cases.handle', guards: ['actor_is_holder'] },
  { action: 'return', from: ['dispatched'], to: 'returned', permission: 'cases.handle', guards: ['actor_is_holder'], requires: ['reason'], effect: 'record_return' },
  { action: 'feedback', from: HOLDER_WORK, to: 'pending_check', permission: 'cases.handle', guards: ['actor_is_holder'], requires: ['comment', 'photos'] },

  // 任务核查 → 结单归档; a failed check or a reopening goes back to the same holder (返工).
  { action: 'check_pass', from: ['pending_check'], to: 'checked', permission: 'cases.check', guards: ['different_checker_than_self_resolver'] },
  { action: 'check_fail', from: ['pending_check'], to: 'rework_target', permission: 'cases.check', guards: ['different_checker_than_self_resolver'], requires: ['reason'], effect: 'count_rework', timer: 'restart' },
  { action: 'close', from: ['checked'], to: 'closed', permission: 'cases.close', effect: 'close' },
  { action: 'archive', from: ['closed'], to: 'archived', permission: 'cases.close', guards: ['actor_is_system', 'archive_delay_elapsed'] },
  { action: 'reopen', from: ['closed'], to: 'rework_target', permission: 'cases.report', guards: ['reporter_is_actor', 'within_reopen_window'], requires: ['reason'], effect: 'reopen', timer: 'restart' },

  // Approvals: the request waits on the case; deciding it needs a second person.
  { action: 'request_postpone', from: HOLDER_WORK, to: 'same', permission: 'cases.request', guards: ['actor_is_holder', 'no_pending_request', 'postpone_extends_due'], requires: ['reason', 'due_at'], effect: 'open_postpone' },
  { action: 'approve_postpone', from: HOLDER_WORK, to: 'same', permission: 'cases.approve', guards: ['postpone_pending', 'approver_is_not_requester'], effect: 'grant_postpone' },
  { action: 'refuse_postpone', from: HOLDER_WORK, to: 'same', permission: 'cases.approve', guards: ['postpone_pending', 'approver_is_not_requester'], requires: ['reason'], effect: 'drop_request' },
  { action: 'request_suspend', from: SUSPENDABLE, to: 'same', permission: 'cases.request', guards: ['no_pending_request'], requires: ['reason'], effect: 'open_suspend' },
  { action: 'approve_suspend', from: SUSPENDABLE, to: 'suspended', permission: 'cases.approve', guards: ['suspend_pending', 'approver_is_not_requester'], effect: 'suspend', timer: 'keep' },
  { action: 'refuse_suspend', from: SUSPENDABLE, to: 'same', permission: 'cases.approve', guards: ['suspend_pending', 'approver_is_not_requester'], requires: ['reason'], effect: 'drop_request' },
  { action: 'resume', from: ['suspended'], to: 'resume_target', permission: 'cases.approve', requires: ['comment'], effect: 'resume', timer: 'keep' },
  { action: 'request_cancel', from: CANCELLABLE, to: 'same', permission: 'cases.request', guards: ['no_pending_request'], requires: ['reason'], effect: 'open_cancel' },
  { action: 'approve_cancel', from: CANCELLABLE, to: 'cancelled', permission: 'cases.approve', guards: ['cancel_pending', 'approver_is_not_requester'], effect: 'cancel' },
  { action: 'refuse_cancel', from: CANCELLABLE, to: 'same', permission: 'cases.approve', guards: ['cancel_pending', 'approver_is_not_requester'], requires: ['reason'], effect: 'drop_request' },
  { action: 'withdraw_request', from: REQUESTABLE, to: 'same', permission: 'cases.request', guards: ['requester_is_actor'], effect: 'drop_request' },

  // Supervision at any open state: recorded as events, no change of state or clock.
  { action: 'urge', from: OPEN_STATES, to: 'same', permission: 'cases.urge', requires: ['comment'] },
  { action: 'instruct', from: OPEN_STATES, to: 'same', permission: 'cases.instruct', requires: ['comment'] },
  // A note at any open state (补充说明): what someone working the case, or a reporter through an
  // other system (Open311), adds in words; recorded, nothing else changes, and nothing is counted.
  { action: 'comment', from: OPEN_STATES, to: 'same', permission: 'cases.comment', requires: ['comment'] },
];

/** The row for an action from a state; rows of one action never share a from-state (a test checks). */
export function findRow(action: Action, from: FromState): TransitionRow | undefined {
  return TRANSITIONS.find((r) => r.action === action && r.from.includes(from));
}
