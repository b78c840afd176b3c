import { describe, expect, it } from 'vitest';
import type { CaseDetail, TimelineEvent } from '../shared/api.js';
import { approvalItems, DECISIONS } from './items.js';

const event = (over: Partial<TimelineEvent>): TimelineEvent => ({
  seq: 1, action: 'report', from: 'new', to: 'pending_acceptance', at: 0,
  actor: { kind: 'user', userId: 7, name: '城管执法 陈刚', level: null, departmentCode: 'CG' },
  comment: null, department: null, division: null, requestedDueAt: null, step: null, dueAt: null, withdrawnRequest: null, photos: [], ...over,
});

const detail = (over: Partial<CaseDetail>): CaseDetail => ({
  id: 1, number: 'N1', state: 'handling', level: 'street', source: 'staff', category: null, gridCode: '110112001006001', address: null,
  description: 'd', holder: null, step: 'handle', dueAt: 1_000, light: 'green', pendingRequest: null, reworkCount: 0, version: 3,
  createdAt: 0, updatedAt: 500, allowedActions: [], trackingCode: 'T', lon: 0, lat: 0, grid: null, community: null, street: null,
  filing: null, stepStartedAt: 0, stepLimit: null, warnAt: null, returnedFrom: null, selfResolvedBy: null, request: null,
  suspendedAt: null, suspendedFrom: null, closedAt: null, mergedInto: null, reporter: { name: null, phone: null, userId: null, masked: true },
  timeline: [], photos: [], ...over,
});

describe('the approvals list', () => {
  it('shows a postponement with who asked, when, the due time now and the one asked for', () => {
    const c = detail({
      id: 1,
      request: { kind: 'postpone', requestedBy: 'user:7', requestedAt: 300, reason: '需协调产权单位', dueAt: 9_000 },
      timeline: [event({ seq: 4, action: 'claim' })],
    });
    const [item] = approvalItems([c]);
    expect(item!.kind).toBe('postpone');
    expect(item!.facts).toEqual([
      { key: 'by', label: 'cases.desk.approvals.requestedBy', text: '城管执法 陈刚' },
      { key: 'at', label: 'cases.desk.approvals.requestedAt', time: 300 },
      { key: 'due', label: 'cases.desk.approvals.currentDue', time: 1_000 },
      { key: 'newDue', label: 'cases.desk.approvals.requestedDue', time: 9_000 },
      { key: 'reason', label: 'cases.desk.approvals.reason', text: '需协调产权单位' },
    ]);
  });

  it('shows a return with the department and its reason, and sorts by how long each has waited', () => {
    const returned = detail({
      id: 2, state: 'returned', returnedFrom: { kind: 'department', code: 'CG', name: '区城管执法局' },
      timeline: [event({ seq: 4, action: 'return', at: 100, comment: '不属于城管职责' })],
    });
    const suspend = detail({ id: 3, request: { kind: 'suspend', requestedBy: 'user:9', requestedAt: 200, reason: '待规划', dueAt: null } });
    const items = approvalItems([suspend, returned]);
    expect(items.map((i) => [i.kind, i.c.id])).toEqual([['return', 2], ['suspend', 3]]);
    expect(items[0]!.facts.map((f) => f.text ?? f.time)).toEqual(['区城管执法局', 100, '不属于城管职责']);
    // an unknown requester is shown by id rather than hidden
    expect(items[1]!.facts[0]!.text).toBe('user:9');
  });

  it('offers only the decisions of each kind', () => {
    expect(DECISIONS.postpone).toEqual(['approve_postpone', 'refuse_postpone']);
    expect(DECISIONS.return).toContain('refuse_return');
    expect(approvalItems([detail({})])).toEqual([]);
  });
});
