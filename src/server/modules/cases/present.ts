import {
  allowedActions, findFilingCondition, findSubCategory, type Action, type CaseActor, type HistoryAction, type CaseSnapshot, type Holder,
  type RequestKind, type State, type Step,
} from '../../../shared/cases/index.js';
import { maskPhone } from '../../../shared/team.js';
import { can } from '../../platform/access.js';
import type { CaseCaller } from './actors.js';
import type { CaseDetail, CaseSummary } from './cases.schemas.js';
import { snapshotOf, type CaseRow } from './cases.repo.js';
import type { CaseEventRow } from './events.repo.js';
import type { Executor } from '../../platform/db.js';
import type { ReferenceData } from './reference.js';
import { lightOf } from './timing.js';

/** Turns case rows into API objects, each with the actions its reader may take now. */

export function maskName(name: string | null): string | null {
  if (!name) return name;
  return `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}`;
}

async function holderOut(h: Holder | null, ref: ReferenceData, db: Executor, names: ReadonlyMap<string, string>) {
  if (!h) return null;
  const name = h.kind === 'department' ? ((await ref.department(db, { code: h.code }))?.name ?? null) : (names.get(h.code) ?? null);
  return { kind: h.kind, code: h.code, name };
}

function categoryOut(code: string | null, ref: ReferenceData) {
  if (!code) return null;
  const sub = findSubCategory(ref.tree, code);
  return { code, nameZh: sub?.name_zh ?? code, nameEn: sub?.name_en ?? code };
}

export function actionsFor(c: CaseSnapshot, actor: CaseActor, now: number, ref: ReferenceData): Action[] {
  return allowedActions(c.state, { case: c, actor, now, env: ref.env }, actor.permissions);
}

export async function summaryOf(
  r: CaseRow, actor: CaseActor, now: number, ref: ReferenceData, db: Executor, names: ReadonlyMap<string, string> = new Map(),
): Promise<CaseSummary> {
  const c = snapshotCache(r);
  return {
    id: Number(r.id),
    number: r.number,
    state: c.state,
    level: c.level,
    source: c.source,
    category: categoryOut(r.category_code, ref),
    gridCode: r.grid_code,
    address: r.address,
    description: r.description,
    holder: await holderOut(c.holder, ref, db, names),
    step: c.step,
    dueAt: c.due_at,
    light: lightOf(c, now, ref.calendar, ref.yellowShare),
    pendingRequest: c.pending_request?.kind ?? null,
    reworkCount: c.rework_count,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    allowedActions: actionsFor(c, actor, now, ref),
  };
}

export interface DetailExtras {
  events: readonly CaseEventRow[];
  photos: readonly { event_id: number; sha256: string; kind: string; mime: string; width: number; height: number; size: number }[];
  /** Names of the grid, community and street (and a holding community), by code. */
  names: ReadonlyMap<string, string>;
  unmasked: boolean;
}

export async function detailOf(
  r: CaseRow, actor: CaseActor, now: number, ref: ReferenceData, db: Executor, x: DetailExtras,
): Promise<CaseDetail> {
  const s = await summaryOf(r, actor, now, ref, db, x.names);
  const c = snapshotCache(r);
  const filingTree = c.filing ? await ref.treeOf(db, c.filing.category_version) : null;
  const seqOf = new Map(x.events.map((e) => [Number(e.id), e.seq]));
  const named = (code: string) => ({ code, name: x.names.get(code) ?? code });
  // the summary's fields written out, not spread: V8 copies a spread object of this size slowly,
  // and every report and every case page is answered through here
  return {
    id: s.id, number: s.number, state: s.state, level: s.level, source: s.source, category: s.category, gridCode: s.gridCode,
    address: s.address, description: s.description, holder: s.holder, step: s.step, dueAt: s.dueAt, light: s.light,
    pendingRequest: s.pendingRequest, reworkCount: s.reworkCount, version: s.version, createdAt: s.createdAt, updatedAt: s.updatedAt,
    allowedActions: s.allowedActions,
    trackingCode: r.tracking_code,
    lon: r.lon,
    lat: r.lat,
    grid: named(r.grid_code),
    community: named(r.grid_code.slice(0, 12)),
    street: named(r.grid_code.slice(0, 9)),
    filing: c.filing
      ? {
          categoryCode: c.filing.category_code, categoryVersion: c.filing.category_version, conditionCode: c.filing.condition_code,
          conditionZh: (filingTree && findFilingCondition(filingTree, c.filing.condition_code)?.text_zh) ?? null, limit: c.filing.limit,
        }
      : null,
    stepStartedAt: c.step_started_at,
    stepLimit: c.step_limit,
    warnAt: r.warn_at,
    returnedFrom: await holderOut(c.returned_from, ref, db, x.names),
    selfResolvedBy: c.self_resolved_by,
    request: c.pending_request
      ? { kind: c.pending_request.kind, requestedBy: c.pending_request.requested_by, requestedAt: c.pending_request.requested_at, reason: c.pending_request.reason, dueAt: c.pending_request.due_at }
      : null,
    suspendedAt: c.suspended_at,
    suspendedFrom: c.suspended_from,
    closedAt: c.closed_at,
    mergedInto: r.merged_into,
    reporter: reporterOut(r, x),
    timeline: x.events.map((e) => {
      const input = JSON.parse(e.input) as { department?: string; division?: string; due_at?: number };
      return {
        seq: e.seq,
        action: e.action as HistoryAction,
        from: e.from_state,
        to: e.to_state as State,
        at: e.at,
        actor: { kind: e.actor_kind, userId: e.actor_user_id, name: e.actor_name, level: e.actor_level, departmentCode: e.actor_department_code },
        comment: e.comment,
        department: input.department ?? null,
        division: input.division ?? null,
        requestedDueAt: input.due_at ?? null,
        step: e.step as Step | null,
        dueAt: e.due_at,
        withdrawnRequest: e.withdrawn_request as RequestKind | null,
        photos: x.photos.filter((p) => Number(p.event_id) === Number(e.id)).map((p) => ({ sha256: p.sha256, kind: p.kind })),
      };
    }),
    photos: x.photos.map((p) => ({
      sha256: p.sha256, kind: p.kind, eventSeq: seqOf.get(Number(p.event_id)) ?? 0, mime: p.mime, width: p.width, height: p.height, size: p.size,
    })),
  };
}

// the snapshot of a row is needed several times per presentation; rows are immutable objects
const snapshots = new WeakMap<CaseRow, CaseSnapshot>();
function snapshotCache(r: CaseRow): CaseSnapshot {
  let s = snapshots.get(r);
  if (!s) snapshots.set(r, (s = snapshotOf(r)));
  return s;
}

/**
 * The reporter as this reader may see them. A member of staff who reported under their own name
 * acted in office: their name is in the timeline anyway, so it is not masked on the card either
 * (a phone still is); `masked` says whether anything shown was masked.
 */
function reporterOut(r: CaseRow, x: DetailExtras) {
  const inOffice = reportedInOffice(r, x.events);
  return {
    name: x.unmasked || inOffice ? r.reporter_name : maskName(r.reporter_name),
    phone: x.unmasked ? r.reporter_phone : maskPhone(r.reporter_phone),
    userId: r.reporter_user_id,
    masked: !x.unmasked && (!inOffice || r.reporter_phone !== null),
  };
}

/**
 * The reporter is the member of staff who reported, named as the report's first event names its
 * actor (no contact typed in): an account, or in an imported or simulated history a named person of staff.
 */
function reportedInOffice(r: Pick<CaseRow, 'reporter_user_id' | 'reporter_name'>, events: readonly CaseEventRow[]): boolean {
  const first = events.find((e) => e.seq === 1);
  if (!first || first.actor_kind !== 'user' || r.reporter_name === null || first.actor_name !== r.reporter_name) return false;
  return r.reporter_user_id === null || Number(first.actor_user_id) === Number(r.reporter_user_id);
}

/** Whether the reader may see the reporter's name and phone unmasked (their own report, or the permission). */
export function reporterUnmasked(caller: CaseCaller, row: Pick<CaseRow, 'reporter_user_id' | 'grid_code'>): { unmasked: boolean; byPermission: boolean } {
  if (caller.kind === 'user' && row.reporter_user_id === caller.id) return { unmasked: true, byPermission: false };
  if (caller.kind !== 'user' && caller.kind !== 'api_key') return { unmasked: false, byPermission: false };
  const byPermission = can(caller, 'persons.read_unmasked', { divisionCode: row.grid_code });
  return { unmasked: byPermission, byPermission };
}
