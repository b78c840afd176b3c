import { ACTION_LABELS, STATE_LABELS, type Action, type CardAction, type State } from '../../../../shared/cases/index.js';
import type { Executor } from '../../../platform/db.js';
import { insertRows } from '../../../platform/insert.js';
import type { AccessEpoch } from '../../../platform/epoch.js';
import type { LiveBus } from '../../../platform/live.js';
import { Recipients, type CaseForRecipients } from './recipients.js';

/**
 * The in-app inbox: which case event tells whom what. One table, read top to bottom: an action
 * (or a card the scheduler gives) names a kind and who is told. Rows are written in the caller's
 * transaction, so an event and its notifications commit together; the live push goes out after
 * the commit (`announce`), so nobody is told about something that was rolled back.
 */
export const NOTIFICATION_KINDS = [
  'new_task', 'returned', 'rework', 'due_soon', 'overdue', 'urged', 'instructed', 'noted', 'approval_needed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, { zh: string; en: string }> = {
  new_task: { zh: '新任务', en: 'New task' },
  returned: { zh: '被回退', en: 'Returned' },
  rework: { zh: '返工', en: 'Rework' },
  due_soon: { zh: '即将超时（黄牌）', en: 'Due soon (yellow card)' },
  overdue: { zh: '已超时（红牌）', en: 'Overdue (red card)' },
  urged: { zh: '督办', en: 'Urged' },
  instructed: { zh: '领导批示', en: 'Leader instruction' },
  noted: { zh: '补充说明', en: 'Note added' },
  approval_needed: { zh: '待审批', en: 'Approval needed' },
};

export interface CaseForNotice extends CaseForRecipients {
  id: number;
  number: string;
  request_kind?: string | null;
}

export interface EventForNotice {
  id?: number | null;
  action: Action | CardAction | string;
  to_state: string;
  /** The acting user, who is never told about their own action. */
  actor_user_id: number | null;
  /** The action's input as stored (JSON text) or parsed: reasons and comments go into the title. */
  input?: string | Record<string, unknown> | null;
  at: number;
}

interface NoticeRule {
  kind: NotificationKind;
  who: (r: Recipients, c: CaseForNotice, actor: number | null) => number[];
}

const NEXT_LEVEL: Record<string, string> = { community: 'street', street: 'district', district: 'district' };

const task: NoticeRule = { kind: 'new_task', who: (r) => r.forStep() };
/** An approval goes to the approvers at the case's level, or the level above when the requester is the only one. */
const approval: NoticeRule = {
  kind: 'approval_needed',
  who: (r, c, actor) => {
    const here = r.atLevel('cases.approve').filter((id) => id !== actor);
    return here.length ? here : r.atLevel('cases.approve', NEXT_LEVEL[c.level]);
  },
};

export const NOTICE_RULES: Partial<Record<Action | CardAction, NoticeRule>> = {
  report: task,
  accept: task,
  verify: task,
  self_resolve: task,
  dispatch: task,
  assign: task,
  refuse_return: task,
  escalate: task,
  resume: task,
  feedback: task,
  check_pass: task,
  return: { kind: 'returned', who: (r) => r.forStep() },
  check_fail: { kind: 'rework', who: (r) => r.forStep() },
  reopen: { kind: 'rework', who: (r) => r.forStep() },
  request_postpone: approval,
  request_suspend: approval,
  request_cancel: approval,
  urge: { kind: 'urged', who: (r) => r.forStep() },
  instruct: { kind: 'instructed', who: (r) => r.forStep() },
  comment: { kind: 'noted', who: (r) => r.forStep() },
  yellow_card: { kind: 'due_soon', who: (r) => r.forStep() },
  red_card: { kind: 'overdue', who: (r) => r.forStep() },
};

function inputOf(e: EventForNotice): Record<string, unknown> {
  if (!e.input) return {};
  if (typeof e.input !== 'string') return e.input;
  try {
    return JSON.parse(e.input) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const clip = (s: unknown) => (typeof s === 'string' && s.trim() ? `：${s.trim().slice(0, 60)}` : '');

/** The inbox line, in Chinese (the UI's default language; the kind carries the meaning for other languages). */
export function noticeTitle(kind: NotificationKind, c: CaseForNotice, e: EventForNotice): string {
  const input = inputOf(e);
  const number = `案件 ${c.number}`;
  switch (kind) {
    case 'new_task': return `新任务：${number}（${STATE_LABELS[c.state as State]?.zh ?? c.state}）`;
    case 'returned': return `${number} 被回退${clip(input.reason)}`;
    case 'rework': return `返工：${number}${clip(input.reason)}`;
    case 'due_soon': return `黄牌：${number} 即将超时`;
    case 'overdue': return `红牌：${number} 已超时`;
    case 'urged': return `督办：${number}${clip(input.comment)}`;
    case 'instructed': return `领导批示：${number}${clip(input.comment)}`;
    case 'noted': return `补充说明：${number}${clip(input.comment)}`;
    case 'approval_needed': return `待审批：${number}（${ACTION_LABELS[e.action as Action]?.zh ?? e.action}）${clip(input.reason)}`;
  }
}

export interface Notified {
  caseId: number;
  kind: NotificationKind | null;
  userIds: number[];
}

/**
 * Writes the inbox rows an event calls for, in the caller's transaction. `caseRow` is the case
 * after the event. Returns who was told, for `announce` after the commit.
 */
export async function notifyForEvent(db: Executor, event: EventForNotice, caseRow: CaseForNotice, epoch?: AccessEpoch): Promise<Notified> {
  const caseId = Number(caseRow.id);
  const rule = NOTICE_RULES[event.action as Action | CardAction];
  if (!rule) return { caseId, kind: null, userIds: [] };
  const recipients = await Recipients.load(db, caseRow, epoch);
  const userIds = rule.who(recipients, caseRow, event.actor_user_id).filter((id) => id !== event.actor_user_id);
  if (userIds.length) {
    const title = noticeTitle(rule.kind, caseRow, event);
    await insertRows(db, 'notifications', ['user_id', 'case_id', 'event_id', 'kind', 'title', 'created_at', 'read_at'],
      userIds.map((userId) => [userId, caseId, event.id ?? null, rule.kind, title, event.at, null]));
  }
  return { caseId, kind: rule.kind, userIds };
}

/** Pushes "your inbox changed" to the open pages of the users told; call after the commit. */
export function announce(live: LiveBus, ...notified: Notified[]): void {
  for (const n of notified) {
    if (!n.userIds.length || !n.kind) continue;
    live.publish({ type: 'inbox', divisionCode: null, departmentIds: [], userIds: n.userIds, data: { caseId: n.caseId, kind: n.kind } });
  }
}
