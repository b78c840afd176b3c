import { findRow, type Action, type State } from '../../../../shared/cases/workflow.js';
import type { InputField } from '../../../../shared/cases/model.js';

/**
 * Which fields an action's form shows: exactly what the transition table `requires` for the action
 * from the case's state, so a form never asks for more (or less) than the server will check.
 * `level` and `division` are one choice on screen (the level follows from the division's code);
 * `filing` is chosen as a filing condition of a sub-category.
 */
export type FormField = 'reason' | 'comment' | 'department' | 'division' | 'filing' | 'photos' | 'photos_before' | 'photos_after' | 'due_at' | 'original_case_id';

const ORDER: FormField[] = ['filing', 'department', 'division', 'original_case_id', 'due_at', 'reason', 'comment', 'photos', 'photos_before', 'photos_after'];

export function formFields(action: Action, state: State): FormField[] {
  const requires: readonly InputField[] = findRow(action, state)?.requires ?? [];
  const wanted = new Set<FormField>();
  for (const field of requires) {
    if (field === 'level' || field === 'division') wanted.add('division');
    else if (field !== 'source') wanted.add(field as FormField);
  }
  return ORDER.filter((f) => wanted.has(f));
}

/** How an action's button looks: the way forward is primary, a step back or a refusal is red. */
export type ActionTone = 'primary' | 'danger' | 'default';

const PRIMARY: readonly Action[] = [
  'verify', 'accept', 'dispatch', 'assign', 'claim', 'feedback', 'check_pass', 'close',
  'approve_postpone', 'approve_suspend', 'approve_cancel', 'resume',
];
const DANGER: readonly Action[] = [
  'reject', 'return', 'check_fail', 'refuse_return', 'refuse_postpone', 'refuse_suspend', 'refuse_cancel', 'request_cancel',
];

export function actionTone(action: Action): ActionTone {
  if (PRIMARY.includes(action)) return 'primary';
  if (DANGER.includes(action)) return 'danger';
  return 'default';
}

/** Primary actions first, then the rest, then the refusals: the order of the buttons on the page. */
export function orderActions(actions: readonly Action[]): Action[] {
  const rank = (a: Action) => ({ primary: 0, default: 1, danger: 2 })[actionTone(a)];
  return [...actions].sort((a, b) => rank(a) - rank(b));
}

/** The platform level a division code names when a case is assigned to it (交办). */
export function levelOfDivision(code: string): 'street' | 'community' | null {
  if (code.length === 9) return 'street';
  if (code.length === 12) return 'community';
  return null;
}

/** Actions the reader cannot do from a list or the case page: reporting happens elsewhere, archiving is the system's. */
export const NOT_ON_CASE_PAGE: readonly Action[] = ['report', 'self_resolve', 'archive'];
