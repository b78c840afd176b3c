import { IMPORT_FIELDS, splitMapPair, type ImportField } from '../../../../shared/evaluation/import-headers.js';
import {
  CASE_SOURCE_LABELS, CASE_SOURCES, findSubCategory, type CaseSource, type CategoryTree, type Filing, type WorkflowEnv,
} from '../../../../shared/cases/index.js';

/**
 * Rows of a historical import: which column holds which field (`--map column=field`), and each row
 * checked and normalised on its own. Nothing here touches the database; the caller supplies the
 * reference data (category tree, departments, districts, the installation's workflow environment)
 * and locates points afterwards.
 */
// the fields, and the names a file's columns give them, are shared with the admin screen
export { IMPORT_FIELDS, type ImportField };

/** Final states an imported case can be in, with the words other systems use for them. */
export const IMPORT_STATUSES = ['reported', 'accepted', 'dispatched', 'handling', 'handled', 'closed', 'rejected', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
const STATUS_WORDS: Record<string, ImportStatus> = {
  reported: 'reported', 上报: 'reported', 已上报: 'reported', 待立案: 'reported', 待核实: 'reported',
  accepted: 'accepted', 立案: 'accepted', 已立案: 'accepted', 待派遣: 'accepted',
  dispatched: 'dispatched', 派遣: 'dispatched', 已派遣: 'dispatched', 待处置: 'dispatched',
  handling: 'handling', 处置中: 'handling', 办理中: 'handling',
  handled: 'handled', 已处置: 'handled', 待核查: 'handled',
  closed: 'closed', 结案: 'closed', 已结案: 'closed', 已结单: 'closed', 办结: 'closed', 已办结: 'closed', archived: 'closed', 已归档: 'closed',
  rejected: 'rejected', 不予立案: 'rejected', 不立案: 'rejected',
  cancelled: 'cancelled', 作废: 'cancelled', 已作废: 'cancelled',
};

export interface Mapping {
  /** field → column index */
  columns: Partial<Record<ImportField, number>>;
}

/**
 * Why a row (or the mapping, line 1) is refused: a stable code the screens translate, the value at fault, and the message in English.
 * A number from the other system (`external_id`) imported already (`already_imported`) gives the case it became as the value; one an
 * earlier line of the file has (`repeated_in_file`), that line.
 */
export const PROBLEM_CODES = [
  'bad_pair', 'no_column', 'unmapped', 'no_location_mapping', 'required', 'not_a_time', 'in_future', 'unknown_category',
  'unknown_status', 'unknown_source', 'unknown_department', 'department_required', 'not_a_longitude', 'not_a_latitude',
  'not_a_grid', 'location_required', 'closed_at_required', 'before', 'outside_grids', 'grid_mismatch', 'no_such_grid', 'refused',
  'unclosed_quote', 'already_imported', 'repeated_in_file', 'too_long',
] as const;

/** The longest number from the other system kept (an index on PostgreSQL holds entries of up to about 2,700 bytes; numbers are short). */
export const SOURCE_ID_MAX = 100;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface RowProblem {
  line: number;
  field: ImportField | null;
  code: ProblemCode;
  /** The value at fault (or what it is compared with), when there is one. */
  value?: string;
  message: string;
}

export interface ImportRow {
  line: number;
  externalId: string | null;
  reportedAt: number;
  filing: Filing;
  status: ImportStatus;
  department: string | null;
  lon: number | null;
  lat: number | null;
  grid: string | null;
  address: string | null;
  description: string;
  source: CaseSource;
  dispatchedAt: number | null;
  handledAt: number | null;
  closedAt: number | null;
  reporterName: string | null;
}

export interface ImportReference {
  tree: CategoryTree;
  /** department code and name (Chinese or English) → code */
  departments: Map<string, string>;
  districtCode: string;
  /** The workflow on the installation's calendar and case settings, which times the rows' histories. */
  env: WorkflowEnv;
}

/**
 * `column=field` pairs against the header row. Without a pair, a column named like a field maps
 * to it. Every required field must end up mapped.
 */
export function mappingOf(header: readonly string[], pairs: readonly string[]): { mapping: Mapping; problems: RowProblem[] } {
  const columns: Mapping['columns'] = {};
  const problems: RowProblem[] = [];
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  for (const [i, h] of header.entries()) if ((IMPORT_FIELDS as readonly string[]).includes(h.trim())) columns[h.trim() as ImportField] = i;
  for (const pair of pairs) {
    const split = splitMapPair(pair);
    if (!split) {
      problems.push({ line: 1, field: null, code: 'bad_pair', value: pair, message: `"${pair}" is not column=field (fields: ${IMPORT_FIELDS.join(', ')})` });
      continue;
    }
    const { column, field } = split;
    const at = index.get(column);
    if (at === undefined) problems.push({ line: 1, field, code: 'no_column', value: column, message: `the file has no column "${column}"` });
    else columns[field] = at;
  }
  for (const f of ['reported_at', 'category', 'status'] as const) {
    if (columns[f] === undefined) problems.push({ line: 1, field: f, code: 'unmapped', message: `no column is mapped to ${f}` });
  }
  if (columns.grid === undefined && (columns.lon === undefined || columns.lat === undefined)) {
    problems.push({ line: 1, field: 'lon', code: 'no_location_mapping', message: 'map either lon and lat, or grid' });
  }
  return { mapping: { columns }, problems };
}

/** Beijing wall-clock time: 2013-05-06 14:30, 2013/5/6 14:30:00, 2013-05-06T14:30 or a date alone (00:00). */
export function parseBeijingTime(text: string): number | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms - 8 * 3_600_000;
}

const SOURCE_WORDS = new Map<string, CaseSource>([
  ...CASE_SOURCES.map((s) => [s, s] as [string, CaseSource]),
  ...CASE_SOURCES.map((s) => [CASE_SOURCE_LABELS[s].zh, s] as [string, CaseSource]),
  ['网格员', 'grid_worker'], ['居民', 'resident'], ['热线', 'hotline'], ['12345', 'hotline'], ['部门', 'department'], ['视频', 'sensor'],
]);

function filingOf(tree: CategoryTree, text: string): Filing | null {
  const t = text.trim();
  const sub = findSubCategory(tree, t.slice(0, 5)) ?? tree.classes.flatMap((c) => c.subcategories).find((s) => s.name_zh === t || s.name_en === t);
  if (!sub) return null;
  const condition = sub.filing_conditions.find((f) => f.code === t) ?? (t.length > 5 && /^\d{5}-/.test(t) ? undefined : sub.filing_conditions[0]);
  if (!condition) return null;
  return { category_code: sub.code, category_version: tree.version, condition_code: condition.code, limit: condition.limit };
}

/**
 * The record's number in the system it comes from (原系统编号, `external_id`), whatever else is wrong
 * with it: a number is imported once (see import.service.ts), so a row is checked for it even when
 * it has other problems, and the report names them all.
 */
export function sourceIdOf(rec: { fields: string[] }, mapping: Mapping): string | null {
  const i = mapping.columns.external_id;
  const v = i === undefined ? '' : (rec.fields[i] ?? '').trim();
  return v === '' ? null : v;
}

/** Checks one record; returns the row, or the problems found in it (all of them, not just the first). */
export function checkRow(rec: { line: number; fields: string[] }, mapping: Mapping, ref: ImportReference, now: number): ImportRow | RowProblem[] {
  const problems: RowProblem[] = [];
  const get = (f: ImportField) => {
    const i = mapping.columns[f];
    const v = i === undefined ? '' : (rec.fields[i] ?? '').trim();
    return v === '' ? null : v;
  };
  const fail = (field: ImportField, code: ProblemCode, message: string, value?: string) =>
    problems.push({ line: rec.line, field, code, message, ...(value === undefined ? {} : { value }) });
  const time = (f: ImportField, required = false) => {
    const v = get(f);
    if (v === null) {
      if (required) fail(f, 'required', 'is required');
      return null;
    }
    const t = parseBeijingTime(v);
    if (t === null) fail(f, 'not_a_time', `"${v}" is not a date and time (YYYY-MM-DD HH:mm)`, v);
    else if (t > now) fail(f, 'in_future', `"${v}" is in the future`, v);
    return t;
  };

  const sourceId = get('external_id');
  if (sourceId !== null && sourceId.length > SOURCE_ID_MAX) {
    fail('external_id', 'too_long', `is ${sourceId.length} characters long; a number in the other system may have at most ${SOURCE_ID_MAX}`, `${sourceId.slice(0, 20)}…`);
  }
  const reportedAt = time('reported_at', true);
  const categoryText = get('category');
  const filing = categoryText ? filingOf(ref.tree, categoryText) : null;
  if (!categoryText) fail('category', 'required', 'is required');
  else if (!filing) fail('category', 'unknown_category', `"${categoryText}" is not a sub-category or filing condition of the current categories`, categoryText);
  const statusText = get('status');
  const status = statusText ? STATUS_WORDS[statusText.toLowerCase()] ?? STATUS_WORDS[statusText] : undefined;
  if (!status) {
    if (statusText) fail('status', 'unknown_status', `"${statusText}" is not a known status (${IMPORT_STATUSES.join(', ')})`, statusText);
    else fail('status', 'required', 'is required');
  }
  const sourceText = get('source');
  const source = sourceText ? SOURCE_WORDS.get(sourceText) ?? SOURCE_WORDS.get(sourceText.toLowerCase()) : 'staff';
  if (!source) fail('source', 'unknown_source', `"${sourceText}" is not a known source (${CASE_SOURCES.join(', ')})`, sourceText ?? '');

  const deptText = get('department');
  const department = deptText ? ref.departments.get(deptText) ?? ref.departments.get(deptText.toUpperCase()) ?? null : null;
  if (deptText && !department) fail('department', 'unknown_department', `"${deptText}" is not a department`, deptText);
  const needsDept = status === 'dispatched' || status === 'handling' || status === 'handled' || status === 'closed';
  if (needsDept && !deptText) fail('department', 'department_required', `is required for status ${status}`, status);

  const lonText = get('lon');
  const latText = get('lat');
  const grid = get('grid');
  const lon = lonText === null ? null : Number(lonText);
  const lat = latText === null ? null : Number(latText);
  if (lonText !== null && (!Number.isFinite(lon) || lon! < -180 || lon! > 180)) fail('lon', 'not_a_longitude', `"${lonText}" is not a longitude`, lonText);
  if (latText !== null && (!Number.isFinite(lat) || lat! < -90 || lat! > 90)) fail('lat', 'not_a_latitude', `"${latText}" is not a latitude`, latText);
  if (grid !== null && !(/^\d{15}$/.test(grid) && grid.startsWith(ref.districtCode))) fail('grid', 'not_a_grid', `"${grid}" is not a grid code of district ${ref.districtCode}`, grid);
  if (grid === null && (lonText === null || latText === null)) fail('lon', 'location_required', 'give lon and lat, or a grid code');

  const dispatchedAt = time('dispatched_at');
  const handledAt = time('handled_at');
  const closedAt = time('closed_at');
  if ((status === 'closed' || status === 'cancelled') && closedAt === null && !problems.some((p) => p.field === 'closed_at')) {
    fail('closed_at', 'closed_at_required', `is required for status ${status}`, status);
  }
  const order: [ImportField, number | null][] = [['reported_at', reportedAt], ['dispatched_at', dispatchedAt], ['handled_at', handledAt], ['closed_at', closedAt]];
  let last: [ImportField, number] | null = null;
  for (const [f, t] of order) {
    if (t === null) continue;
    if (last && t < last[1]) fail(f, 'before', `is before ${last[0]}`, last[0]);
    last = [f, t];
  }
  if (problems.length) return problems;
  return {
    line: rec.line, externalId: sourceIdOf(rec, mapping), reportedAt: reportedAt!, filing: filing!, status: status!, department,
    lon, lat, grid, address: get('address'), description: get('description') ?? (findSubCategory(ref.tree, filing!.category_code)?.name_zh ?? ''),
    source: source!, dispatchedAt, handledAt, closedAt, reporterName: get('reporter_name'),
  };
}
