import type { Action, ActionInput, CaseSnapshot, State } from '../../../shared/cases/index.js';
import type { Scope } from '../../platform/access.js';
import type { Executor } from '../../platform/db.js';
import type { AppContext } from '../../platform/http.js';
import { geoService } from '../geo/index.js';
import type { CaseRow } from './cases.repo.js';
import type { CaseReference, ReferenceData } from './reference.js';

/**
 * What the cases service needs from the app, and the points where the other parts of the module
 * plug in: hooks run inside the transaction of every case event (inbox rows commit with the event),
 * listeners told after each commit, and the duplicate finder asked while a report is answered.
 */
export interface CaseChange {
  caseId: number;
  number: string;
  eventId: number;
  seq: number;
  action: Action;
  from: State | 'new';
  to: State;
  at: number;
  version: number;
  gridCode: string;
  /** Department holding the case after the change, and every department that ever held it. */
  departmentId: number | null;
  departmentIds: number[];
  actorId: string;
  actorUserId: number | null;
  /** The action's input as the workflow received it (the event payload). */
  input: ActionInput;
  case: CaseSnapshot;
  /** The case row after the change. */
  row: CaseRow;
}

export type CaseListener = (change: CaseChange) => void | Promise<void>;
export type AfterCommit = () => void | Promise<void>;
/** Runs in the event's transaction (query through `tx` only); may return work for after the commit. */
export type CaseEventHook = (tx: Executor, change: CaseChange) => Promise<AfterCommit | void> | AfterCommit | void;

export interface DuplicateCandidate {
  id: number;
  number: string;
  state: State;
  distanceM: number;
}

/**
 * Runs inside the reporting transaction: query through `db` only; `ref` is the reference data the
 * report used; `scope` is what the reporter may read (candidates outside it are not shown), null for
 * the system's own look.
 */
export type DuplicateFinder = (
  db: Executor,
  c: { id: number; categoryCode: string | null; lon: number; lat: number; at: number; scope: Scope | null },
  ref: ReferenceData,
) => Promise<DuplicateCandidate[]>;

interface CasesServices {
  caseReference?: CaseReference;
  caseListeners?: CaseListener[];
  caseEventHooks?: CaseEventHook[];
  caseDuplicates?: DuplicateFinder;
}

const services = (ctx: AppContext) => ctx.services as CasesServices;

export function caseReference(ctx: AppContext): CaseReference {
  const ref = services(ctx).caseReference;
  if (!ref) throw new Error('The cases module is not registered.');
  return ref;
}

export function locatorOf(ctx: AppContext) {
  return geoService(ctx.services);
}

/** Called after every committed change of a case, in order; a failing listener is logged, never undoes the change. */
export function onCaseChange(ctx: AppContext, listener: CaseListener): void {
  (services(ctx).caseListeners ??= []).push(listener);
}

/** Called inside the transaction of every case event, after its case_events row is written; a throw rolls the change back. */
export function onCaseEvent(ctx: AppContext, hook: CaseEventHook): void {
  (services(ctx).caseEventHooks ??= []).push(hook);
}

export async function runEventHooks(ctx: AppContext, tx: Executor, change: CaseChange): Promise<AfterCommit[]> {
  const after: AfterCommit[] = [];
  for (const hook of services(ctx).caseEventHooks ?? []) {
    const then = await hook(tx, change);
    if (then) after.push(then);
  }
  return after;
}

/** Registers the duplicate finder (one per app): candidates are returned with each report. */
export function setDuplicateFinder(ctx: AppContext, finder: DuplicateFinder): void {
  services(ctx).caseDuplicates = finder;
}

export function duplicateFinder(ctx: AppContext): DuplicateFinder | undefined {
  return services(ctx).caseDuplicates;
}

/** After commit: live update to open pages in the case's jurisdiction, then the listeners. */
export async function announce(ctx: AppContext, change: CaseChange, after: readonly AfterCommit[] = []): Promise<void> {
  ctx.live.publish({
    type: 'case.changed',
    divisionCode: change.gridCode,
    departmentIds: change.departmentIds,
    data: { id: change.caseId, number: change.number, action: change.action, state: change.to, version: change.version, at: change.at },
  });
  for (const listener of [...after, ...(services(ctx).caseListeners ?? []).map((l) => () => l(change))]) {
    try {
      await listener();
    } catch (err) {
      ctx.log.error({ err, caseId: change.caseId, action: change.action }, 'case listener failed');
    }
  }
}
