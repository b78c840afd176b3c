import type { Selectable } from 'kysely';
import type {
  CaseActor, CaseEventDraft, CaseSnapshot, CaseSource, Filing, Holder, LimitUnit, PendingRequest, PlatformLevel, RequestKind, State, Step,
} from '../../../../shared/cases/index.js';
import type { CasesTable } from '../../../db/schema.js';
import type { StatsEvent } from '../stats.js';

/**
 * Case rows and case_events rows for the bulk writers of this module (the demo year, historical
 * imports, the test histories): the same columns the cases service writes, from the workflow's
 * snapshot and event drafts. Live cases are written by the cases service only.
 */
export type CaseRow = Selectable<CasesTable>;
export type CaseColumns = Omit<CasesTable, 'id'>;
export type SnapshotColumns = Pick<CaseColumns,
  'state' | 'level' | 'source' | 'reported_by' | 'category_code' | 'filing_category_code' | 'filing_category_version' |
  'filing_condition_code' | 'filing_limit_amount' | 'filing_limit_unit' | 'holder_kind' | 'holder_code' | 'returned_from_kind' |
  'returned_from_code' | 'self_resolved_by' | 'rework_count' | 'request_kind' | 'request_by' | 'request_at' | 'request_reason' |
  'request_due_at' | 'step' | 'step_started_at' | 'step_limit_amount' | 'step_limit_unit' | 'due_at' | 'suspended_at' |
  'suspended_from' | 'closed_at' | 'merged_into'>;

export function columnsOfSnapshot(s: CaseSnapshot): SnapshotColumns {
  return {
    state: s.state, level: s.level, source: s.source, reported_by: s.reported_by, category_code: s.category_code,
    filing_category_code: s.filing?.category_code ?? null, filing_category_version: s.filing?.category_version ?? null,
    filing_condition_code: s.filing?.condition_code ?? null, filing_limit_amount: s.filing?.limit.amount ?? null,
    filing_limit_unit: s.filing?.limit.unit ?? null, holder_kind: s.holder?.kind ?? null, holder_code: s.holder?.code ?? null,
    returned_from_kind: s.returned_from?.kind ?? null, returned_from_code: s.returned_from?.code ?? null,
    self_resolved_by: s.self_resolved_by, rework_count: s.rework_count, request_kind: s.pending_request?.kind ?? null,
    request_by: s.pending_request?.requested_by ?? null, request_at: s.pending_request?.requested_at ?? null,
    request_reason: s.pending_request?.reason ?? null, request_due_at: s.pending_request?.due_at ?? null,
    step: s.step, step_started_at: s.step_started_at, step_limit_amount: s.step_limit?.amount ?? null,
    step_limit_unit: s.step_limit?.unit ?? null, due_at: s.due_at, suspended_at: s.suspended_at,
    suspended_from: s.suspended_from, closed_at: s.closed_at, merged_into: s.merged_into === null ? null : Number(s.merged_into),
  };
}

export function snapshotOfRow(r: CaseRow): CaseSnapshot {
  const filing: Filing | null = r.filing_condition_code && r.filing_limit_amount !== null && r.filing_limit_unit
    ? {
        category_code: r.filing_category_code!, category_version: r.filing_category_version!, condition_code: r.filing_condition_code,
        limit: { amount: r.filing_limit_amount, unit: r.filing_limit_unit as LimitUnit },
      }
    : null;
  const holder = (kind: string | null, code: string | null): Holder | null => (kind && code ? ({ kind, code } as Holder) : null);
  const request: PendingRequest | null = r.request_kind
    ? { kind: r.request_kind as RequestKind, requested_by: r.request_by!, requested_at: r.request_at!, reason: r.request_reason ?? '', due_at: r.request_due_at }
    : null;
  return {
    id: String(r.id), state: r.state as State, level: r.level as PlatformLevel, source: r.source as CaseSource,
    reported_by: r.reported_by, category_code: r.category_code, filing, holder: holder(r.holder_kind, r.holder_code),
    returned_from: holder(r.returned_from_kind, r.returned_from_code), self_resolved_by: r.self_resolved_by,
    rework_count: r.rework_count, pending_request: request, step: r.step as Step | null, step_started_at: r.step_started_at,
    step_limit: r.step_limit_amount !== null && r.step_limit_unit ? { amount: r.step_limit_amount, unit: r.step_limit_unit as LimitUnit } : null,
    due_at: r.due_at, suspended_at: r.suspended_at, suspended_from: r.suspended_from as State | null, closed_at: r.closed_at,
    merged_into: r.merged_into === null ? null : String(r.merged_into),
  };
}

export interface EventWho {
  userId: number | null;
  name: string | null;
}

/** The case_events row of a workflow event draft (as the cases service's insertEvent writes it). */
export function eventRowOf(caseId: number, seq: number, e: CaseEventDraft, who: EventWho): StatsEvent {
  const actor: CaseActor = e.actor;
  return {
    case_id: caseId, seq, action: e.action, from_state: e.from, to_state: e.to, at: e.at,
    actor_id: actor.id, actor_kind: actor.kind, actor_user_id: who.userId, actor_name: who.name,
    actor_level: actor.level ?? null, actor_division_code: actor.division_code ?? null, actor_department_code: actor.department_code ?? null,
    input: JSON.stringify(e.input), step: e.step, due_at: e.due_at, withdrawn_request: e.withdrawn_request,
    comment: e.input.comment ?? e.input.reason ?? null,
  };
}
