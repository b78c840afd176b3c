import { replay, type CaseSnapshot, type State } from '../../../shared/cases/index.js';
import { scopeOf } from '../../platform/access.js';
import { audit, type AuditContext } from '../../platform/audit.js';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { AppContext } from '../../platform/http.js';
import { caseActorFor, type CaseCaller } from './actors.js';
import { loadForCaller } from './act.service.js';
import type { CaseDetail, PublicCase } from './cases.schemas.js';
import {
  caseInScope, departmentsOfCase, divisionNames, findCaseByTrackingCode, namedCodesOf, snapshotOf, type CaseRow,
} from './cases.repo.js';
import { caseReference } from './context.js';
import type { ReferenceData } from './reference.js';
import { eventsOfCase, photosOfCase, replayEventOf, workflowEvents, type CaseEventRow } from './events.repo.js';
import { actionsFor, detailOf, reporterUnmasked } from './present.js';

/** Reading one case: the detail with timeline, photos and allowed actions; the public progress; replay. */

/** The case as `caller` may see it; personal data unmasked only with the permission (and then audited). */
export async function presentCase(ctx: AppContext, caller: CaseCaller, row: CaseRow, auditCtx?: AuditContext): Promise<CaseDetail> {
  const ref = await caseReference(ctx).current();
  const id = Number(row.id);
  const [events, photos, departmentIds, names] = await Promise.all([
    eventsOfCase(ctx.db, id), photosOfCase(ctx.db, id), departmentsOfCase(ctx.db, id), divisionNames(ctx.db, namedCodesOf(row)),
  ]);
  const actor = await caseActorFor(caller, { gridCode: row.grid_code, departmentId: row.department_id, departmentIds }, ref, ctx.db);
  const mask = reporterUnmasked(caller, row);
  if (mask.byPermission && auditCtx && (row.reporter_name || row.reporter_phone)) {
    await audit(ctx.db, auditCtx, { action: 'personal_data.read', targetType: 'case', targetId: id });
  }
  return detailOf(row, actor, ctx.clock.now(), ref, ctx.db, { events, photos, names, unmasked: mask.unmasked });
}

export async function getCase(ctx: AppContext, caller: CaseCaller, caseId: number, auditCtx?: AuditContext): Promise<CaseDetail> {
  return presentCase(ctx, caller, await loadForCaller(ctx.db, caller, caseId), auditCtx);
}

/** Events that moved the case, as a resident sees them: what happened and when, never who or why (nor the supervision cards, which move nothing). */
function publicTimeline(events: readonly CaseEventRow[]) {
  return events.filter((e) => e.from_state !== e.to_state).map((e) => ({ action: e.action as PublicCase['timeline'][number]['action'], to: e.to_state as State, at: e.at }));
}

const PUBLIC_PHOTO_KINDS = new Set(['report', 'after', 'feedback']);

export async function publicCase(ctx: AppContext, trackingCode: string): Promise<PublicCase> {
  const row = await findCaseByTrackingCode(ctx.db, trackingCode);
  if (!row) throw new AppError('not_found', 'No case has this tracking code.');
  const ref = await caseReference(ctx).current();
  return publicCaseOf(ref, ctx.db, ctx.clock.now(), row, await eventsOfCase(ctx.db, Number(row.id)), await photosOfCase(ctx.db, Number(row.id)));
}

/** Inside a transaction pass the transaction as `db`. */
export async function publicCaseOf(
  ref: ReferenceData, db: Executor, now: number, row: CaseRow, events: readonly CaseEventRow[], photos: readonly { sha256: string; kind: string }[],
): Promise<PublicCase> {
  const actor = await caseActorFor({ kind: 'public', trackingCode: row.tracking_code }, { gridCode: row.grid_code, departmentId: null, departmentIds: [] }, ref, db);
  const sub = row.category_code ? ref.tree.classes.flatMap((c) => c.subcategories).find((s) => s.code === row.category_code) : undefined;
  return {
    trackingCode: row.tracking_code,
    number: row.number,
    state: row.state as State,
    category: row.category_code ? { code: row.category_code, nameZh: sub?.name_zh ?? row.category_code, nameEn: sub?.name_en ?? row.category_code } : null,
    address: row.address,
    description: row.description,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    canReopen: actionsFor(snapshotOf(row), actor, now, ref).includes('reopen'),
    version: row.version,
    timeline: publicTimeline(events),
    photos: photos.filter((p) => PUBLIC_PHOTO_KINDS.has(p.kind)).map((p) => ({ sha256: p.sha256, kind: p.kind })),
  };
}

/** Rebuilds the case from its case_events rows on the current calendar (an audit of the stored row). */
export async function replayCase(ctx: AppContext, caseId: number): Promise<CaseSnapshot | null> {
  const events = await eventsOfCase(ctx.db, caseId);
  const ref = await caseReference(ctx).current();
  return replay(workflowEvents(events).map(replayEventOf), ref.env, String(caseId));
}

/**
 * A stored photo the caller may fetch: one attached to a case in their scope, or, for a resident,
 * a public photo of the case their tracking code names. Anything else does not exist.
 */
export async function visibleFile(ctx: AppContext, caller: CaseCaller | null, sha256: string) {
  let q = ctx.db.selectFrom('case_photos').innerJoin('cases', 'cases.id', 'case_photos.case_id').innerJoin('files', 'files.sha256', 'case_photos.sha256')
    .select(['files.sha256', 'files.mime', 'files.size']).where('case_photos.sha256', '=', sha256);
  if (!caller || caller.kind === 'system') throw new AppError('not_found');
  if (caller.kind === 'public') {
    q = q.where('cases.tracking_code', '=', caller.trackingCode).where('case_photos.kind', 'in', [...PUBLIC_PHOTO_KINDS]);
  } else {
    const scope = scopeOf(caller, 'cases.read');
    q = q.where((eb) => caseInScope(eb, scope));
  }
  const file = await q.limit(1).executeTakeFirst();
  if (!file) throw new AppError('not_found', 'File not found.');
  return file;
}
