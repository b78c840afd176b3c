import { randomFillSync } from 'node:crypto';
import {
  applyTransition, findSubCategory, type ActionInput, type CaseActor, type CaseSource,
} from '../../../shared/cases/index.js';
import type { Role } from '../../../shared/permissions.js';
import { scopeOf } from '../../platform/access.js';
import type { Executor, Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { writeTransaction } from '../../platform/group-commit.js';
import type { AppContext } from '../../platform/http.js';
import { runIdempotent, type Idempotent } from '../../platform/idempotency.js';
import { caseActorFor, callerWho, coveringGrants, type CaseCaller, type CaseTarget, type PublicCaller } from './actors.js';
import type { ReportInput, ReportResult } from './cases.schemas.js';
import {
  insertCase, newCaseRow, namedCodesOf, nextCaseSequence, rememberDepartment, takeCaseSequenceApart, type CaseRow,
} from './cases.repo.js';
import {
  announce, caseReference, duplicateFinder, locatorOf, runEventHooks, type AfterCommit, type CaseChange, type DuplicateCandidate,
} from './context.js';
import { insertEvent, insertPhotos, type CaseEventRow } from './events.repo.js';
import { exifPosition, inspectAll, photoKind, storeAll, type IncomingPhoto } from './photos.js';
import { compact, refusalError, resolveFiling } from './refusals.js';
import { detailOf } from './present.js';
import type { ReferenceData } from './reference.js';
import { beijingDay, warnAtOf } from './timing.js';

/**
 * 采集上报: a new case from a grid worker, staff, a department, the 12345 hotline (entered by
 * staff), another system (API key) or a resident (no account; answered with a tracking code).
 * Photos are checked before anything is written; the location gives the grid; the report, its
 * first case_events row, its photos and its number are written in one transaction, under an
 * Idempotency-Key when the caller sends one.
 *
 * Case numbers read as district code (6 digits) + the Beijing date (yyyyMMdd) + the day's sequence
 * (5 digits, from 00001), e.g. 110112 20261102 00042 → 1101122026110200042. The sequence comes from
 * one counter row per district and day, so numbers are unique also under concurrent reports. On
 * SQLite the counter moves inside the reporting transaction (one writer: numbers are gap-free); on
 * PostgreSQL just before it, in a transaction of its own (`takeCaseSequenceApart`), so that reports
 * do not queue on the counter row until their commits (a report failing after that, or a retry
 * answered from its Idempotency-Key, leaves a gap).
 * The tracking code residents
 * get is separate and random (10 characters without look-alikes), so a case number does not open a
 * case to the public.
 */
export interface ReportOptions {
  /** Idempotency-Key header and the caller it belongs to (see platform/idempotency). */
  idempotencyKey: string | null;
  idempotencyCaller: string;
}

/** What a committed report hands to the presenter of the route that made it. */
export interface FiledReport {
  row: CaseRow;
  event: CaseEventRow;
  photos: { event_id: number; sha256: string; kind: string; mime: string; width: number; height: number; size: number }[];
  actor: CaseActor;
  duplicates: DuplicateCandidate[];
  ref: ReferenceData;
  gridName: string;
}

const TRACKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random bytes drawn from the system's generator a page at a time (one call per 409 codes instead of one each). */
const randomPool = Buffer.alloc(4096);
let randomAt = randomPool.length;

/** 10 characters from an alphabet without look-alikes (0/O, 1/I): 50 bits, not guessable. */
export function newTrackingCode(): string {
  if (randomAt + 10 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  let code = '';
  // 32 letters: each byte's low five bits pick one, evenly
  for (let i = 0; i < 10; i++) code += TRACKING_ALPHABET[randomPool[randomAt + i]! & 31];
  randomAt += 10;
  return code;
}

const STAFF_ROLES: readonly Role[] = ['admin', 'district_dispatcher', 'street_dispatcher', 'community_staff', 'leader'];

/** The source a caller may report as: residents and systems by who they are; people by their grants. */
function sourceOf(caller: CaseCaller, requested: CaseSource | undefined, target: CaseTarget): CaseSource {
  let allowed: CaseSource[];
  if (caller.kind === 'public') allowed = ['resident'];
  else if (caller.kind === 'system') allowed = ['staff', 'sensor', 'api'];
  else if (caller.kind === 'api_key') allowed = ['api', 'sensor'];
  else {
    const roles = coveringGrants(caller, target, true).map((g) => g.role);
    allowed = [];
    if (roles.includes('grid_worker')) allowed.push('grid_worker');
    if (roles.includes('department_staff')) allowed.push('department');
    if (roles.some((r) => STAFF_ROLES.includes(r))) allowed.push('staff', 'hotline');
  }
  if (requested === undefined) {
    if (allowed.length === 0) throw new AppError('forbidden', 'You may not report cases here.');
    return allowed[0]!;
  }
  if (!allowed.includes(requested)) throw new AppError('validation_failed', `You cannot report as source ${requested}.`, { field: 'source', allowed });
  return requested;
}

export async function fileReport<T>(
  ctx: AppContext,
  reporter: Exclude<CaseCaller, PublicCaller> | 'resident',
  report: ReportInput,
  incoming: readonly IncomingPhoto[],
  opts: ReportOptions,
  /** Makes the answer; `db` is the reporting transaction when the answer is stored with an Idempotency-Key. */
  present: (filed: FiledReport, db: Executor) => Promise<T>,
): Promise<Idempotent<T>> {
  const now = ctx.clock.now();
  // a resident is known by the tracking code of this very report, so it is made first
  const trackingCode = newTrackingCode();
  const caller: CaseCaller = reporter === 'resident' ? { kind: 'public', trackingCode } : reporter;
  const photos = await inspectAll(incoming);
  const position = report.lon !== undefined && report.lat !== undefined ? { lon: report.lon, lat: report.lat } : exifPosition(photos);
  if (!position) throw new AppError('validation_failed', 'Give the location (lon, lat) or a photo with GPS position.', { field: 'lon' });
  const where = await locatorOf(ctx).locate(position.lon, position.lat);
  if (!where) throw new AppError('outside_district', undefined, position);

  const ref = await caseReference(ctx).current();
  const filing = resolveFiling(ref.tree, report.condition_code, report.category_code);
  const categoryCode = filing?.category_code ?? report.category_code;
  const sub = categoryCode ? findSubCategory(ref.tree, categoryCode) : undefined;
  const target: CaseTarget = { gridCode: where.gridCode, departmentId: null, departmentIds: [] };
  if (caller.kind === 'user' || caller.kind === 'api_key') {
    if (coveringGrants(caller, target, true).length === 0) throw new AppError('forbidden', 'The location lies outside your jurisdiction.', position);
  }
  const actor = await caseActorFor(caller, target, ref, ctx.db, true);
  const shas = (field: IncomingPhoto['field']) => {
    const list = photos.filter((p) => p.field === field).map((p) => p.sha256);
    return list.length ? list : undefined;
  };
  const input: ActionInput = compact({
    source: sourceOf(caller, report.source, target),
    level: report.level ?? sub?.platform_level ?? 'street',
    category_code: categoryCode,
    filing,
    comment: report.comment,
    photos: shas('photos'),
    photos_before: shas('photos_before'),
    photos_after: shas('photos_after'),
  });
  const result = applyTransition(null, report.action, input, actor, now, ref.env);
  if (!result.ok) throw refusalError(result.refusal, report.action, 'new');

  const route = caller.kind === 'public' ? 'POST /api/public/cases' : 'POST /api/cases';
  const prefix = where.districtCode + beijingDay(now);
  const taken = ctx.dialect === 'postgres' ? await takeCaseSequenceApart(ctx.dbh, prefix) : null;
  let change = null as CaseChange | null;
  let after: AfterCommit[] = [];
  const write = async (tx: Tx): Promise<FiledReport> => {
    const stored = await storeAll(tx, ctx.config.dataDir, photos, now);
    const number = prefix + String(taken?.sequence ?? (await nextCaseSequence(tx, prefix))).padStart(5, '0');
    const holderDept = result.case.holder?.kind === 'department' ? await ref.department(tx, { code: result.case.holder.code }) : null;
    const caseRow = newCaseRow(result.case, {
      number,
      tracking_code: trackingCode,
      reporter_user_id: caller.kind === 'user' ? caller.id : null,
      reporter_name: report.reporter_name ?? (caller.kind === 'user' ? caller.name : null),
      reporter_phone: report.reporter_phone ?? null,
      warn_at: warnAtOf(result.case, ref.calendar, ref.yellowShare),
      grid_code: where.gridCode,
      lon: position.lon,
      lat: position.lat,
      address: report.address ?? null,
      description: report.description,
      department_id: holderDept?.id ?? null,
      created_at: now,
      updated_at: now,
    });
    const id = (caseRow.id = await insertCase(tx, caseRow, taken?.caseId));
    const who = callerWho(caller);
    const { id: eventId } = await insertEvent(tx, id, 1, result.event, who, taken?.eventId);
    const kinds = photos.map((p) => photoKind(report.action, p.field));
    await insertPhotos(tx, id, eventId, stored.map((s, i) => ({ sha256: s.sha256, kind: kinds[i]! })));
    if (holderDept) await rememberDepartment(tx, id, holderDept.id, now);
    const finder = duplicateFinder(ctx);
    // shown to the reporter: only cases the reporter may read
    const scope = caller.kind === 'user' || caller.kind === 'api_key' ? scopeOf(caller, 'cases.read') : null;
    const duplicates = finder ? await finder(tx, { id, categoryCode: categoryCode ?? null, lon: position.lon, lat: position.lat, at: now, scope }, ref) : [];
    const event: CaseEventRow = {
      id: eventId, case_id: id, seq: 1, action: result.event.action, from_state: 'new', to_state: result.event.to, at: now,
      actor_id: actor.id, actor_kind: actor.kind, actor_user_id: who.userId, actor_name: who.name, actor_level: actor.level ?? null,
      actor_division_code: actor.division_code ?? null, actor_department_code: actor.department_code ?? null,
      input: JSON.stringify(result.event.input), step: result.event.step, due_at: result.event.due_at, withdrawn_request: null,
      comment: input.comment ?? null,
    };
    change = {
      caseId: id, number, eventId, seq: 1, action: report.action, from: 'new', to: result.case.state, at: now, version: 1,
      gridCode: where.gridCode, departmentId: holderDept?.id ?? null, departmentIds: holderDept ? [holderDept.id] : [],
      actorId: actor.id, actorUserId: who.userId, input: result.event.input, case: { ...result.case, id: String(id) }, row: caseRow,
    };
    after = await runEventHooks(ctx, tx, change);
    const photoRows = stored.map((s, i) => ({ event_id: eventId, sha256: s.sha256, kind: kinds[i]!, mime: s.mime, width: s.width, height: s.height, size: s.size }));
    return { row: caseRow, event, photos: photoRows, actor, duplicates, ref, gridName: where.gridName };
  };
  let out: Idempotent<T>;
  if (opts.idempotencyKey) {
    // the answer is stored with the key, so it is made inside the transaction
    out = await runIdempotent(ctx.db, { caller: opts.idempotencyCaller, key: opts.idempotencyKey, route, now, status: 201 },
      async (tx) => present(await write(tx), tx));
  } else {
    // otherwise after the commit: on SQLite the transaction holds the one connection, so it stays short
    const filed = await writeTransaction(ctx.db, write);
    out = { status: 201, body: await present(filed, ctx.db), replayed: false };
  }
  if (change && !out.replayed) await announce(ctx, change, after);
  return out;
}

/** 采集上报 by a signed-in person, another system or a job: answers the new case as its reporter sees it. */
export async function reportCase(
  ctx: AppContext,
  reporter: Exclude<CaseCaller, PublicCaller>,
  report: ReportInput,
  photos: readonly IncomingPhoto[] = [],
  opts: ReportOptions = { idempotencyKey: null, idempotencyCaller: '' },
): Promise<Idempotent<ReportResult>> {
  return fileReport(ctx, reporter, report, photos, opts, async (filed, tx) => {
    // names from memory: the reporting transaction stays as short as it can
    const names = new Map([...namedCodesOf(filed.row)].map((code) => [code, filed.ref.areaNames.get(code) ?? code]));
    names.set(filed.row.grid_code, filed.gridName);
    const detail = await detailOf(filed.row, filed.actor, ctx.clock.now(), filed.ref, tx, {
      events: [filed.event], photos: filed.photos, names, unmasked: true,
    });
    return { case: detail, duplicates: filed.duplicates };
  });
}
