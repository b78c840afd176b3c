import { OPEN_STATES } from '../../../shared/cases/index.js';
import type { Executor } from '../../platform/db.js';

/**
 * Reads for the open interface, and nothing else: this module never writes a case table (every
 * change goes through the cases service). Each read selects only the columns a public answer may
 * carry, so a reporter's name or phone, the tracking code and staff comments cannot leak by
 * accident; and each read is limited to the publicly reportable categories (`codes`), judged on the
 * category the case was filed under, or else the one it was reported under.
 */
export interface PublicCaseRow {
  id: number;
  number: string;
  state: string;
  category_code: string | null;
  filing_category_code: string | null;
  filing_category_version: number | null;
  filing_condition_code: string | null;
  filing_limit_amount: number | null;
  filing_limit_unit: string | null;
  step: string | null;
  due_at: number | null;
  holder_kind: string | null;
  holder_code: string | null;
  department_name: string | null;
  department_name_en: string | null;
  holder_division_name: string | null;
  lon: number;
  lat: number;
  address: string | null;
  description: string;
  version: number;
  created_at: number;
  updated_at: number;
  merged_into_number: string | null;
}

export interface CaseFilter {
  codes: readonly string[];
  numbers?: readonly string[];
  serviceCodes?: readonly string[];
  from?: number;
  to?: number;
  status?: readonly ('open' | 'closed')[];
  offset: number;
  limit: number;
}

function publicCases(db: Executor, codes: readonly string[]) {
  return db
    .selectFrom('cases')
    .leftJoin('departments', 'departments.id', 'cases.department_id')
    .leftJoin('divisions as holder_division', 'holder_division.code', 'cases.holder_code')
    .leftJoin('cases as original', 'original.id', 'cases.merged_into')
    .select([
      'cases.id', 'cases.number', 'cases.state', 'cases.category_code', 'cases.filing_category_code', 'cases.filing_category_version',
      'cases.filing_condition_code', 'cases.filing_limit_amount', 'cases.filing_limit_unit', 'cases.step', 'cases.due_at',
      'cases.holder_kind', 'cases.holder_code', 'departments.name as department_name', 'departments.name_en as department_name_en',
      'holder_division.name as holder_division_name', 'cases.lon', 'cases.lat', 'cases.address', 'cases.description',
      'cases.version', 'cases.created_at', 'cases.updated_at', 'original.number as merged_into_number',
    ])
    .where((eb) => (codes.length ? eb(eb.fn.coalesce('cases.filing_category_code', 'cases.category_code'), 'in', [...codes]) : eb.lit(false)));
}

/** Numbers as numbers (PostgreSQL gives bigints as strings), set on the row the driver made rather than on a copy (a spread of two dozen columns is V8's slow path). */
function normalise(r: Record<string, unknown>): PublicCaseRow {
  const row = r as unknown as PublicCaseRow;
  row.id = Number(row.id);
  row.version = Number(row.version);
  row.created_at = Number(row.created_at);
  row.updated_at = Number(row.updated_at);
  return row;
}

/** GET requests: by numbers (which override every other argument), else by the filters, newest first. */
export async function listPublicCases(db: Executor, f: CaseFilter): Promise<PublicCaseRow[]> {
  let q = publicCases(db, f.codes);
  if (f.numbers) {
    q = q.where('cases.number', 'in', [...f.numbers]);
  } else {
    if (f.serviceCodes) q = q.where((eb) => eb(eb.fn.coalesce('cases.filing_category_code', 'cases.category_code'), 'in', [...f.serviceCodes!]));
    if (f.from !== undefined) q = q.where('cases.created_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('cases.created_at', '<=', f.to);
    if (f.status && f.status.length === 1) {
      q = q.where('cases.state', f.status[0] === 'open' ? 'in' : 'not in', [...OPEN_STATES]);
    }
  }
  const rows = await q.orderBy('cases.created_at', 'desc').orderBy('cases.id', 'desc').offset(f.offset).limit(f.limit).execute();
  return rows.map(normalise);
}

export async function findPublicCase(db: Executor, codes: readonly string[], number: string): Promise<PublicCaseRow | null> {
  const row = await publicCases(db, codes).where('cases.number', '=', number).executeTakeFirst();
  return row ? normalise(row) : null;
}

/** The service_request_id a token (the case's tracking code) stands for. */
export async function numberByTrackingCode(db: Executor, codes: readonly string[], trackingCode: string): Promise<string | null> {
  if (!codes.length) return null;
  const row = await db.selectFrom('cases').select('number').where('tracking_code', '=', trackingCode)
    .where((eb) => eb(eb.fn.coalesce('filing_category_code', 'category_code'), 'in', [...codes])).executeTakeFirst();
  return row?.number ?? null;
}

/** The case behind a service_request_id, for acting on it: id and version only. */
export async function caseRefByNumber(db: Executor, number: string): Promise<{ id: number; version: number; state: string; category: string | null } | null> {
  const row = await db.selectFrom('cases').select(['id', 'version', 'state', 'category_code', 'filing_category_code']).where('number', '=', number).executeTakeFirst();
  return row ? { id: Number(row.id), version: Number(row.version), state: row.state, category: row.filing_category_code ?? row.category_code } : null;
}

export interface PublicEventRow {
  id: number;
  number: string;
  action: string;
  from_state: string;
  to_state: string;
  at: number;
  merged_into_number: string | null;
}

/**
 * Changes of state of public cases in a window, oldest first (an update stream is read in order).
 * Events that leave the state as it was (supervision, approvals waiting, notes) are internal.
 */
export async function publicStateChanges(
  db: Executor, codes: readonly string[], w: { from: number; to: number; offset: number; limit: number },
): Promise<PublicEventRow[]> {
  if (!codes.length) return [];
  const rows = await db
    .selectFrom('case_events')
    .innerJoin('cases', 'cases.id', 'case_events.case_id')
    .leftJoin('cases as original', 'original.id', 'cases.merged_into')
    .select([
      'case_events.id', 'cases.number', 'case_events.action', 'case_events.from_state', 'case_events.to_state', 'case_events.at',
      'original.number as merged_into_number',
    ])
    .where((eb) => eb(eb.fn.coalesce('cases.filing_category_code', 'cases.category_code'), 'in', [...codes]))
    .whereRef('case_events.from_state', '<>', 'case_events.to_state')
    .where('case_events.at', '>=', w.from)
    .where('case_events.at', '<=', w.to)
    .orderBy('case_events.at')
    .orderBy('case_events.id')
    .offset(w.offset)
    .limit(w.limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), at: Number(r.at) }));
}

/** The latest public change of a case: what a status already reached answers with. */
export async function lastStateChange(db: Executor, caseId: number): Promise<number | null> {
  const row = await db.selectFrom('case_events').select('id').where('case_id', '=', caseId)
    .whereRef('from_state', '<>', 'to_state').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** Ids of the district divisions: the jurisdiction_id values this endpoint answers to. */
export async function districtCodes(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('divisions').select('code').where('level', '=', 30).orderBy('code').execute();
  return rows.map((r) => r.code);
}

export async function districtName(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('divisions').select('name').where('level', '=', 30).orderBy('code').executeTakeFirst();
  return row?.name ?? null;
}

/** When the published category tree last changed: the discovery document's changeset. */
export async function catalogueChangedAt(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('category_versions').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}
