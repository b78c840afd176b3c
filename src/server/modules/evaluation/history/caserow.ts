import type { CaseActor, CaseEventDraft } from '../../../../shared/cases/index.js';
import type { StatsEvent } from '../stats.js';

/**
 * case_events rows for the bulk writers of this module (the demo year, historical imports, the test
 * histories): the same columns the cases service writes, from the workflow's event drafts. Their case
 * rows come from the cases module's own mapping (`newCaseRow`, `snapshotOf`).
 */
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
