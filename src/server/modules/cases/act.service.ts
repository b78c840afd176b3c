import {
  applyTransition, findRow, type Action, type ActionInput, type ActionRequestInput, type CaseActor, type CaseSnapshot,
} from '../../../shared/cases/index.js';
import { scopeOf } from '../../platform/access.js';
import type { Executor, Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { writeTransaction } from '../../platform/group-commit.js';
import type { AppContext } from '../../platform/http.js';
import { runIdempotent } from '../../platform/idempotency.js';
import { caseActorFor, callerWho, type CaseCaller } from './actors.js';
import {
  caseRowAfter, columnsOf, departmentsOfCase, findCaseForSystem, findCaseInScope, lockCaseState, rememberDepartment, snapshotOf, updateCase, type CaseRow,
} from './cases.repo.js';
import { announce, caseReference, runEventHooks, type AfterCommit, type CaseChange } from './context.js';
import { insertEvent, insertPhotos } from './events.repo.js';
import { inspectAll, photoKind, storeAll, type IncomingPhoto, type PhotoField } from './photos.js';
import { summaryOf } from './present.js';
import type { ReferenceData } from './reference.js';
import { compact, refusalError, resolveFiling } from './refusals.js';
import { warnAtOf } from './timing.js';

/**
 * The only way an existing case changes: load it inside the caller's scope (404 outside), build the
 * workflow's actor from the grants that cover it, resolve the input (filing condition, department,
 * division, photos), apply the transition table, then write the case (compare-and-set on its
 * version), the case_events row and the photos in one transaction, and announce it after commit.
 */
export interface ActResult {
  caseId: number;
  version: number;
  state: CaseSnapshot['state'];
  eventId: number;
  seq: number;
  /** True when an Idempotency-Key showed that this action had been taken already (nothing was done now). */
  replayed?: boolean;
}

/** Reads the case the caller may act on, or answers 404; a resident reaches only their own report. */
export async function loadForCaller(db: Executor, caller: CaseCaller, caseId: number): Promise<CaseRow> {
  let row: CaseRow | undefined;
  if (caller.kind === 'system') row = await findCaseForSystem(db, caseId);
  else if (caller.kind === 'public') {
    row = await findCaseForSystem(db, caseId);
    if (row && row.tracking_code !== caller.trackingCode) row = undefined;
  } else row = await findCaseInScope(db, caseId, scopeOf(caller, 'cases.read'));
  if (!row) throw new AppError('not_found', 'Case not found.');
  return row;
}

async function staleError(db: Executor, row: CaseRow, actor: CaseActor, now: number, ref: ReferenceData): Promise<AppError> {
  return new AppError('stale_version', undefined, { version: row.version, state: row.state, current: await summaryOf(row, actor, now, ref, db) });
}

/** The workflow input for an action on this case: codes checked and resolved, only the fields the case can use. */
async function workflowInput(
  db: Executor, caller: CaseCaller, row: CaseRow, given: ActionRequestInput, uploaded: Record<PhotoField, string[]>, ref: ReferenceData,
): Promise<ActionInput> {
  const filing = resolveFiling(ref.tree, given.condition_code, given.category_code);
  if (given.department !== undefined && !(await ref.department(db, { code: given.department }))) {
    throw new AppError('validation_failed', `Unknown department ${given.department}.`, { field: 'department' });
  }
  if (given.division !== undefined) {
    if (!row.grid_code.startsWith(given.division)) {
      throw new AppError('validation_failed', `Division ${given.division} does not contain the case's grid.`, { field: 'division' });
    }
    const wanted = given.level === 'community' ? 12 : given.level === 'street' ? 9 : given.division.length;
    if (given.division.length !== wanted) throw new AppError('validation_failed', `A ${given.level} is named by a ${wanted}-digit code.`, { field: 'division' });
  }
  let original: string | undefined;
  if (given.original_case_id !== undefined) {
    const id = Number(given.original_case_id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('validation_failed', 'original_case_id is a case id.', { field: 'original_case_id' });
    if (id !== Number(row.id)) {
      await loadForCaller(db, caller, id).catch(() => {
        throw new AppError('validation_failed', `Case ${id} not found.`, { field: 'original_case_id' });
      });
      // the original carries the problem on: not one merged, rejected or cancelled itself (two cases
      // merged into each other would count it nowhere). Read under a lock on PostgreSQL, so that two
      // merges in opposite directions at once cannot both see the other still standing.
      const state = await lockCaseState(db, id);
      if (state === undefined) throw new AppError('validation_failed', `Case ${id} not found.`, { field: 'original_case_id' });
      if (state === 'merged' || state === 'rejected' || state === 'cancelled') {
        throw new AppError('validation_failed', `Case ${id} is ${state}: merge into a case that carries the problem on.`, { field: 'original_case_id', state });
      }
    }
    original = String(id);
  }
  // photos named by hash must already belong to this case (e.g. a report photo reused as "before")
  const named = [...(given.photos ?? []), ...(given.photos_before ?? []), ...(given.photos_after ?? [])];
  if (named.length) {
    const known = await db.selectFrom('case_photos').select('sha256').where('case_id', '=', Number(row.id)).where('sha256', 'in', named).execute();
    const have = new Set(known.map((k) => k.sha256));
    const missing = named.find((s) => !have.has(s));
    if (missing) throw new AppError('validation_failed', `Photo ${missing} is not a photo of this case; upload it with the action.`, { field: 'photos' });
  }
  const list = (field: PhotoField) => {
    const all = [...(given[field] ?? []), ...uploaded[field]];
    return all.length ? all : undefined;
  };
  return compact({
    level: given.level,
    filing,
    reason: given.reason,
    comment: given.comment,
    department: given.department,
    division: given.division,
    photos: list('photos'),
    photos_before: list('photos_before'),
    photos_after: list('photos_after'),
    due_at: given.due_at,
    original_case_id: original,
  });
}

export async function actOnCase(
  ctx: AppContext,
  caller: CaseCaller,
  caseId: number,
  action: Action,
  given: ActionRequestInput,
  expectedVersion: number,
  opts: { photos?: readonly IncomingPhoto[]; idempotencyKey?: string | null; idempotencyCaller?: string } = {},
): Promise<ActResult> {
  const photos = await inspectAll(opts.photos ?? []);
  const ref = await caseReference(ctx).current();
  const now = ctx.clock.now();
  const uploaded: Record<PhotoField, string[]> = { photos: [], photos_before: [], photos_after: [] };
  for (const p of photos) uploaded[p.field].push(p.sha256);

  let change = null as CaseChange | null;
  let after: AfterCommit[] = [];
  const work = async (tx: Tx): Promise<ActResult> => {
    const row = await loadForCaller(tx, caller, caseId);
    const departmentIds = await departmentsOfCase(tx, caseId);
    const actor = await caseActorFor(caller, { gridCode: row.grid_code, departmentId: row.department_id, departmentIds }, ref, tx);
    if (row.version !== expectedVersion) throw await staleError(tx, row, actor, now, ref);
    const snapshot = snapshotOf(row);
    // the table's first two answers (state, permission) come before the input is looked at, so a
    // caller who may not act here learns that, not what was wrong with their input
    const tableRow = findRow(action, snapshot.state);
    if (!tableRow) throw refusalError('not_allowed_in_state', action, snapshot.state);
    if (!actor.permissions.includes(tableRow.permission)) throw refusalError('forbidden', action, snapshot.state);
    const input = await workflowInput(tx, caller, row, given, uploaded, ref);
    const r = applyTransition(snapshot, action, input, actor, now, ref.env);
    if (!r.ok) throw refusalError(r.refusal, action, snapshot.state);

    const columns: Parameters<typeof updateCase>[3] = columnsOf(r.changes);
    columns.updated_at = now;
    if ('step_started_at' in r.changes || 'due_at' in r.changes || 'step_limit' in r.changes) columns.warn_at = warnAtOf(r.case, ref.calendar, ref.yellowShare);
    let holderDeptId = row.department_id;
    if ('holder' in r.changes) {
      const h = r.case.holder;
      holderDeptId = h?.kind === 'department' ? ((await ref.department(tx, { code: h.code }))?.id ?? null) : null;
      columns.department_id = holderDeptId;
    }
    if (!(await updateCase(tx, caseId, expectedVersion, columns))) {
      const current = await loadForCaller(tx, caller, caseId);
      throw await staleError(tx, current, actor, now, ref);
    }
    const version = expectedVersion + 1;
    const stored = await storeAll(tx, ctx.config.dataDir, photos, now);
    const who = callerWho(caller);
    // numbered after the case's last event (cards too), now that the case row is locked
    const { id: eventId, seq } = await insertEvent(tx, caseId, 'next', r.event, who);
    await insertPhotos(tx, caseId, eventId, stored.map((s, i) => ({ sha256: s.sha256, kind: photoKind(action, photos[i]!.field) })));
    if (holderDeptId !== null && !departmentIds.includes(holderDeptId)) {
      await rememberDepartment(tx, caseId, holderDeptId, now);
      departmentIds.push(holderDeptId);
    }
    change = {
      caseId, number: row.number, eventId, seq, action, from: snapshot.state, to: r.case.state, at: now, version,
      gridCode: row.grid_code, departmentId: holderDeptId, departmentIds, actorId: actor.id, actorUserId: who.userId,
      input, case: { ...r.case, id: String(caseId) }, row: caseRowAfter(row, r.case, columns, version),
    };
    after = await runEventHooks(ctx, tx, change);
    return { caseId, version, state: r.case.state, eventId, seq };
  };
  // with an Idempotency-Key, a retry of an action that was taken answers what it answered (its
  // version is stale by then, so it is looked up before anything else) and acts no second time
  let result: ActResult;
  if (opts.idempotencyKey) {
    const out = await runIdempotent(ctx.db, {
      caller: opts.idempotencyCaller ?? '', key: opts.idempotencyKey, route: `POST /api/cases/${caseId}/actions/${action}`, now, status: 200,
    }, work);
    result = { ...out.body, replayed: out.replayed };
  } else {
    result = await writeTransaction(ctx.db, work);
  }
  if (change) await announce(ctx, change, after);
  return result;
}
