import type { ParseKeys } from 'i18next';
import type { Action } from '../../../../shared/cases/workflow.js';
import type { CaseDetail } from '../shared/api.js';

/** The approvals list as data: which cases wait for which decision, and what the approver must see. */
export const KINDS = ['postpone', 'suspend', 'cancel', 'return'] as const;
export type ApprovalKind = (typeof KINDS)[number];

/** The buttons of each kind of approval (shown only when the server allows them). */
export const DECISIONS: Record<ApprovalKind, readonly Action[]> = {
  postpone: ['approve_postpone', 'refuse_postpone'],
  suspend: ['approve_suspend', 'refuse_suspend'],
  cancel: ['approve_cancel', 'refuse_cancel'],
  // a return is decided by re-routing the case (dispatch, assign) or by sending it back
  return: ['dispatch', 'assign', 'refuse_return'],
};

export interface ApprovalFact {
  key: string;
  label: ParseKeys;
  text?: string;
  time?: number;
}

export interface ApprovalItem {
  kind: ApprovalKind;
  c: CaseDetail;
  /** Waiting since (requested or returned), oldest first. */
  since: number;
  facts: ApprovalFact[];
}

function requester(c: CaseDetail, actorId: string): string {
  const userId = Number(actorId.replace(/^user:/, ''));
  return c.timeline.find((e) => e.actor.userId === userId)?.actor.name ?? actorId;
}

/** One item per pending request and per returned case; a returned case with a request shows both. */
export function approvalItems(cases: readonly CaseDetail[]): ApprovalItem[] {
  const out: ApprovalItem[] = [];
  for (const c of cases) {
    if (c.request) {
      const r = c.request;
      const facts: ApprovalFact[] = [
        { key: 'by', label: 'cases.desk.approvals.requestedBy', text: requester(c, r.requestedBy) },
        { key: 'at', label: 'cases.desk.approvals.requestedAt', time: r.requestedAt },
      ];
      if (r.kind === 'postpone') {
        if (c.dueAt) facts.push({ key: 'due', label: 'cases.desk.approvals.currentDue', time: c.dueAt });
        if (r.dueAt) facts.push({ key: 'newDue', label: 'cases.desk.approvals.requestedDue', time: r.dueAt });
      }
      facts.push({ key: 'reason', label: 'cases.desk.approvals.reason', text: r.reason });
      out.push({ kind: r.kind, c, since: r.requestedAt, facts });
    }
    if (c.state === 'returned') {
      const last = [...c.timeline].reverse().find((e) => e.action === 'return');
      const facts: ApprovalFact[] = [{ key: 'by', label: 'cases.desk.approvals.returnedBy', text: c.returnedFrom?.name ?? c.returnedFrom?.code ?? last?.actor.name ?? '' }];
      if (last) facts.push({ key: 'at', label: 'cases.desk.approvals.returnedAt', time: last.at });
      if (last?.comment) facts.push({ key: 'reason', label: 'cases.desk.approvals.returnReason', text: last.comment });
      out.push({ kind: 'return', c, since: last?.at ?? c.updatedAt, facts });
    }
  }
  return out.sort((a, b) => a.since - b.since);
}
