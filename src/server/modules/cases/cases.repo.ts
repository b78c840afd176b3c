import { type ExpressionBuilder, type Selectable } from 'kysely';
import type {
  CaseSnapshot, Filing, Holder, LimitUnit, PendingRequest, PlatformLevel, RequestKind, State, Step, CaseSource, TimeLimit,
} from '../../../shared/cases/index.js';
import { scopeFilter, type Scope } from '../../platform/access.js';
import { onPostgres, type DbHandle, type Executor } from '../../platform/db.js';
import { insertRow, insertRows } from '../../platform/insert.js';
import type { CasesTable, Database } from '../../db/schema.js';

/**
 * The only SQL for the case record: mapping between the row (real columns) and the workflow's
 * snapshot, and the scoped reads. Every read takes the actor's scope; outside it a case does not
 * exist.
 */
export type CaseRow = Selectable<CasesTable>;
type Columns = Partial<Omit<CasesTable, 'id'>>;

function limitOf(amount: number | null, unit: string | null): TimeLimit | null {
  return amount === null || unit === null ? null : { amount, unit: unit as LimitUnit };
}

function holderOf(kind: string | null, code: string | null): Holder | null {
  return kind === null || code === null ? null : ({ kind, code } as Holder);
}

export function snapshotOf(r: CaseRow): CaseSnapshot {
  const filingLimit = limitOf(r.filing_limit_amount, r.filing_limit_unit);
  const filing: Filing | null = r.filing_condition_code && filingLimit
    ? { category_code: r.filing_category_code!, category_version: r.filing_category_version!, condition_code: r.filing_condition_code, limit: filingLimit }
    : null;
  const request: PendingRequest | null = r.request_kind
    ? { kind: r.request_kind as RequestKind, requested_by: r.request_by!, requested_at: r.request_at!, reason: r.request_reason ?? '', due_at: r.request_due_at }
    : null;
  return {
    id: String(r.id),
    state: r.state as State,
    level: r.level as PlatformLevel,
    source: r.source as CaseSource,
    reported_by: r.reported_by,
    category_code: r.category_code,
    filing,
    holder: holderOf(r.holder_kind, r.holder_code),
    returned_from: holderOf(r.returned_from_kind, r.returned_from_code),
    self_resolved_by: r.self_resolved_by,
    rework_count: r.rework_count,
    pending_request: request,
    step: r.step as Step | null,
    step_started_at: r.step_started_at,
    step_limit: limitOf(r.step_limit_amount, r.step_limit_unit),
    due_at: r.due_at,
    suspended_at: r.suspended_at,
    suspended_from: r.suspended_from as State | null,
    closed_at: r.closed_at,
    merged_into: r.merged_into === null ? null : String(r.merged_into),
  };
}

/** Column values for the snapshot fields that changed (only those: the UPDATE stays narrow). */
export function columnsOf(changes: Partial<CaseSnapshot>): Columns {
  const out: Columns = {};
  const has = (k: keyof CaseSnapshot) => Object.hasOwn(changes, k);
  if (has('state')) out.state = changes.state!;
  if (has('level')) out.level = changes.level!;
  if (has('source')) out.source = changes.source!;
  if (has('reported_by')) out.reported_by = changes.reported_by!;
  if (has('category_code')) out.category_code = changes.category_code ?? null;
  if (has('filing')) {
    const f = changes.filing ?? null;
    Object.assign(out, {
      filing_category_code: f?.category_code ?? null, filing_category_version: f?.category_version ?? null,
      filing_condition_code: f?.condition_code ?? null, filing_limit_amount: f?.limit.amount ?? null, filing_limit_unit: f?.limit.unit ?? null,
    });
  }
  if (has('holder')) Object.assign(out, { holder_kind: changes.holder?.kind ?? null, holder_code: changes.holder?.code ?? null });
  if (has('returned_from')) Object.assign(out, { returned_from_kind: changes.returned_from?.kind ?? null, returned_from_code: changes.returned_from?.code ?? null });
  if (has('self_resolved_by')) out.self_resolved_by = changes.self_resolved_by ?? null;
  if (has('rework_count')) out.rework_count = changes.rework_count!;
  if (has('pending_request')) {
    const p = changes.pending_request ?? null;
    Object.assign(out, {
      request_kind: p?.kind ?? null, request_by: p?.requested_by ?? null, request_at: p?.requested_at ?? null,
      request_reason: p?.reason ?? null, request_due_at: p?.due_at ?? null,
    });
  }
  if (has('step')) out.step = changes.step ?? null;
  if (has('step_started_at')) out.step_started_at = changes.step_started_at ?? null;
  if (has('step_limit')) Object.assign(out, { step_limit_amount: changes.step_limit?.amount ?? null, step_limit_unit: changes.step_limit?.unit ?? null });
  if (has('due_at')) out.due_at = changes.due_at ?? null;
  if (has('suspended_at')) out.suspended_at = changes.suspended_at ?? null;
  if (has('suspended_from')) out.suspended_from = changes.suspended_from ?? null;
  if (has('closed_at')) out.closed_at = changes.closed_at ?? null;
  if (has('merged_into')) out.merged_into = changes.merged_into == null ? null : Number(changes.merged_into);
  return out;
}

/**
 * Where the case lies (its grid) or who holds or ever held it: the one scope rule for cases, built
 * on the platform's scopeFilter. Typed `any` so it fits every query with `cases` in its FROM.
 */
export function caseInScope(eb: ExpressionBuilder<Database, any>, scope: Scope) {
  const parts = [scopeFilter(eb, scope, { division: 'cases.grid_code', department: 'cases.department_id' })];
  if (scope.departmentIds.length > 0) {
    parts.push(eb.exists(
      eb.selectFrom('case_departments as cd').select('cd.case_id')
        .whereRef('cd.case_id', '=', 'cases.id')
        .where((inner) => scopeFilter(inner, scope, { department: 'cd.department_id' })),
    ));
  }
  return eb.or(parts);
}

export async function findCaseInScope(db: Executor, id: number, scope: Scope): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).where((eb) => caseInScope(eb, scope)).executeTakeFirst();
}

export async function findCaseByTrackingCode(db: Executor, trackingCode: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('tracking_code', '=', trackingCode).executeTakeFirst();
}

/** Unscoped: for the system's own jobs (archive, cards), never for a request. */
export async function findCaseForSystem(db: Executor, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Departments that ever held the case. */
export async function departmentsOfCase(db: Executor, caseId: number): Promise<number[]> {
  const rows = await db.selectFrom('case_departments').select('department_id').where('case_id', '=', caseId).execute();
  return rows.map((r) => Number(r.department_id));
}

/** What a new case's row holds beside its snapshot. */
export type NewCaseFields = Pick<CaseRow,
  'number' | 'tracking_code' | 'reporter_user_id' | 'reporter_name' | 'reporter_phone' | 'warn_at' | 'grid_code' | 'lon' | 'lat'
  | 'address' | 'description' | 'department_id' | 'created_at' | 'updated_at'>;

/**
 * A new case's whole row (version 1, id 0 until it is inserted), every column written out in one
 * literal. Not `{ ...columnsOf(s), ...fields }`: copying an object whose forty properties were added
 * one by one costs V8 tens of microseconds each time, a tenth of a report's CPU.
 */
export function newCaseRow(s: CaseSnapshot, f: NewCaseFields): CaseRow {
  const filing = s.filing, request = s.pending_request;
  return {
    id: 0,
    number: f.number,
    tracking_code: f.tracking_code,
    state: s.state,
    level: s.level,
    source: s.source,
    reported_by: s.reported_by,
    reporter_user_id: f.reporter_user_id,
    reporter_name: f.reporter_name,
    reporter_phone: f.reporter_phone,
    category_code: s.category_code ?? null,
    filing_category_code: filing?.category_code ?? null,
    filing_category_version: filing?.category_version ?? null,
    filing_condition_code: filing?.condition_code ?? null,
    filing_limit_amount: filing?.limit.amount ?? null,
    filing_limit_unit: filing?.limit.unit ?? null,
    holder_kind: s.holder?.kind ?? null,
    holder_code: s.holder?.code ?? null,
    returned_from_kind: s.returned_from?.kind ?? null,
    returned_from_code: s.returned_from?.code ?? null,
    self_resolved_by: s.self_resolved_by ?? null,
    rework_count: s.rework_count,
    request_kind: request?.kind ?? null,
    request_by: request?.requested_by ?? null,
    request_at: request?.requested_at ?? null,
    request_reason: request?.reason ?? null,
    request_due_at: request?.due_at ?? null,
    step: s.step ?? null,
    step_started_at: s.step_started_at ?? null,
    step_limit_amount: s.step_limit?.amount ?? null,
    step_limit_unit: s.step_limit?.unit ?? null,
    due_at: s.due_at ?? null,
    warn_at: f.warn_at,
    suspended_at: s.suspended_at ?? null,
    suspended_from: s.suspended_from ?? null,
    closed_at: s.closed_at ?? null,
    merged_into: s.merged_into == null ? null : Number(s.merged_into),
    grid_code: f.grid_code,
    lon: f.lon,
    lat: f.lat,
    address: f.address,
    description: f.description,
    department_id: f.department_id,
    version: 1,
    created_at: f.created_at,
    updated_at: f.updated_at,
  };
}

/** The row of a case after a change: its snapshot's columns anew, its own fields kept or as changed. */
export function caseRowAfter(row: CaseRow, s: CaseSnapshot, changed: Columns, version: number): CaseRow {
  const out = newCaseRow(s, row);
  out.id = Number(row.id);
  out.version = version;
  if (changed.warn_at !== undefined) out.warn_at = changed.warn_at;
  if (changed.department_id !== undefined) out.department_id = changed.department_id;
  if (changed.updated_at !== undefined) out.updated_at = changed.updated_at;
  return out;
}

/** The columns of a case's row that an INSERT writes (all but `id`), in the order of `newCaseRow`. */
export const CASE_COLUMNS = Object.keys(newCaseRow({} as CaseSnapshot, {} as NewCaseFields)).filter((c) => c !== 'id') as (keyof CaseRow)[];

const CASE_COLUMNS_WITH_ID = ['id', ...CASE_COLUMNS] as (keyof CaseRow)[];

/**
 * Inserts a new case's row and answers its id: the one given (taken from the sequence beforehand,
 * so the INSERT answers nothing), or the one the database gives it.
 */
export async function insertCase(db: Executor, row: CaseRow, id?: number): Promise<number> {
  if (id !== undefined) {
    await insertRows(db, 'cases', CASE_COLUMNS_WITH_ID, [CASE_COLUMNS_WITH_ID.map((c) => (c === 'id' ? id : row[c]))]);
    return id;
  }
  const [out] = await insertRows<{ id: number }>(db, 'cases', CASE_COLUMNS, [CASE_COLUMNS.map((c) => row[c])], { suffix: 'returning id' });
  return Number(out!.id);
}

/**
 * A case's state, its row locked on PostgreSQL as a change to the case locks it (FOR NO KEY UPDATE),
 * so that whoever reads it under this lock queues with the case's writers. Not FOR UPDATE: that
 * lock also stops rows that refer to the case (an evaluation mark, an event) from being inserted
 * until it ends, and a merge holding it on its original deadlocked with the catch-up counting that
 * original (the catch-up waited to insert its marks, the merge to mark its duplicate).
 */
export async function lockCaseState(db: Executor, id: number, where: { state?: string; stepStartedAt?: number } = {}): Promise<string | undefined> {
  let q = db.selectFrom('cases').select('state').where('id', '=', id);
  if (where.state !== undefined) q = q.where('state', '=', where.state);
  if (where.stepStartedAt !== undefined) q = q.where('step_started_at', '=', where.stepStartedAt);
  if (onPostgres(db)) q = q.forNoKeyUpdate();
  return (await q.executeTakeFirst())?.state;
}

/** Compare-and-set on the version: false when someone else changed the case since it was read. */
export async function updateCase(db: Executor, id: number, expectedVersion: number, columns: Columns): Promise<boolean> {
  const res = await db.updateTable('cases').set({ ...columns, version: expectedVersion + 1 })
    .where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function rememberDepartment(db: Executor, caseId: number, departmentId: number, now: number): Promise<void> {
  await db.insertInto('case_departments').values({ case_id: caseId, department_id: departmentId, since: now })
    .onConflict((oc) => oc.columns(['case_id', 'department_id']).doNothing()).execute();
}

/** A day's counter row: made at 1, or moved on by one; either way its number is returned. */
const NEXT_IN_COUNTER = 'on conflict (day) do update set n = case_counters.n + 1 returning n';

/** A report's number of the day and the ids its case and first event will have (PostgreSQL). */
export interface TakenApart {
  sequence: number;
  caseId: number;
  eventId: number;
}

/**
 * PostgreSQL: the day's next number in a short transaction of its own, taken before the report's
 * transaction opens. The counter row is then locked for one statement instead of for the whole
 * report, so concurrent reports no longer queue on it. Its commit need not wait for the disk: the
 * log is written in order, so the report that uses the number, committing later, makes it durable;
 * a crash before that loses both. A number whose report then fails, or whose request turns out to be
 * a retry answered from its Idempotency-Key, is not used again (a gap).
 * The ids of the case and of its first event come from their sequences in the same message, so the
 * report's INSERTs need not answer them and travel together (platform/write-behind).
 */
export async function takeCaseSequenceApart(dbh: DbHandle, prefix: string): Promise<TakenApart> {
  // one simple query of three statements, which PostgreSQL runs as one transaction: one round trip
  // instead of four (begin, set, upsert, commit). The simple protocol takes no parameters, so the
  // prefix (digits we made: district code and day) is written into the text.
  if (!/^\d{6,20}$/.test(prefix)) throw new Error(`a case number's prefix is digits, not ${JSON.stringify(prefix)}`);
  const results = (await dbh.pool!.query(
    'set local synchronous_commit = off; '
    + `insert into case_counters (day, n) values ('${prefix}', 1) ${NEXT_IN_COUNTER}; `
    + "select nextval(pg_get_serial_sequence('cases', 'id')) as case_id, nextval(pg_get_serial_sequence('case_events', 'id')) as event_id",
  )) as unknown as { rows: Record<string, number | string>[] }[];
  const ids = results[2]!.rows[0]!;
  return { sequence: Number(results[1]!.rows[0]!.n), caseId: Number(ids.case_id), eventId: Number(ids.event_id) };
}

/**
 * The next number of the day for a prefix (district code + yyyyMMdd). The counter row is updated
 * inside the reporting transaction, so concurrent reports queue on it and a rolled-back report
 * gives its number back.
 */
export async function nextCaseSequence(db: Executor, prefix: string): Promise<number> {
  const row = await insertRow<{ n: number }>(db, 'case_counters', { day: prefix, n: 1 }, NEXT_IN_COUNTER);
  return Number(row!.n);
}

export async function divisionNames(db: Executor, codes: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)].filter(Boolean);
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Codes whose names a case's detail shows: its grid, community, street and a holding community. */
export function namedCodesOf(r: Pick<CaseRow, 'grid_code' | 'holder_kind' | 'holder_code' | 'returned_from_kind' | 'returned_from_code'>): string[] {
  const codes = [r.grid_code, r.grid_code.slice(0, 12), r.grid_code.slice(0, 9)];
  if (r.holder_kind === 'community' && r.holder_code) codes.push(r.holder_code);
  if (r.returned_from_kind === 'community' && r.returned_from_code) codes.push(r.returned_from_code);
  return codes;
}
