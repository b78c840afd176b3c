import { readFileSync } from 'node:fs';
import type { Executor } from '../../platform/db.js';
import { CODE_LENGTH, LEVELS } from '../../../shared/permissions.js';
import { CsvError, readCsv, type CsvRecord } from '../../platform/csv.js';
import { AppError } from '../../platform/errors.js';

/** CSV levels as written by the statistical division lists, and their organization level. */
const LEVEL_NAMES: Record<string, number> = {
  city: LEVELS.city, district: LEVELS.district, street: LEVELS.street, street_or_town: LEVELS.street,
  community: LEVELS.community, community_or_village: LEVELS.community,
};

export interface DivisionRecord {
  level: number;
  code: string;
  name: string;
  parentCode: string | null;
}

export interface CsvProblem {
  line: number;
  reason: string;
}

/**
 * Parses `level,code,name,parent_code` (CSV as RFC 4180 writes it: a name holding a comma or a quote
 * is quoted) and checks every row; returns all problems, not the first.
 */
export function parseDivisionCsv(text: string): { records: DivisionRecord[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const records: DivisionRecord[] = [];
  let rows: CsvRecord[];
  try {
    rows = [...readCsv(text)];
  } catch (err) {
    if (err instanceof CsvError) return { records, problems: [{ line: err.line, reason: err.reason }] };
    throw err;
  }
  const header = rows[0]?.fields.map((h) => h.trim());
  if (rows[0]?.line !== 1 || header?.join(',') !== 'level,code,name,parent_code') {
    return { records, problems: [{ line: 1, reason: 'header must be level,code,name,parent_code' }] };
  }
  const seen = new Set<string>();
  for (const { line, fields } of rows.slice(1)) {
    const cells = fields.map((c) => c.trim());
    if (cells.every((c) => !c)) continue;
    if (cells.length !== 4) {
      problems.push({ line, reason: `expected 4 columns, found ${cells.length} (quote a name that holds a comma: "甲,乙社区")` });
      continue;
    }
    const problem = checkRecord(cells, seen);
    if (typeof problem === 'string') problems.push({ line, reason: problem });
    else records.push(problem);
  }
  return { records, problems };
}

/** One row's cells checked: the record, or what is wrong with it. */
function checkRecord([levelName, code, name, parent]: string[], seen: Set<string>): DivisionRecord | string {
  const level = LEVEL_NAMES[levelName!];
  if (level === undefined) return `unknown level "${levelName}" (one of ${Object.keys(LEVEL_NAMES).join(', ')})`;
  if (!/^\d+$/.test(code!) || code!.length !== CODE_LENGTH[level]) return `code "${code}" must be ${CODE_LENGTH[level]} digits for this level`;
  if (!name) return 'name is empty';
  if (seen.has(code!)) return `duplicate code ${code}`;
  if (parent && !code!.startsWith(parent)) return `code ${code} does not start with its parent ${parent}`;
  seen.add(code!);
  return { level, code: code!, name, parentCode: parent || null };
}

/**
 * Imports (upserts) division records in one transaction. A parent must be in the file or already
 * stored, except a district's (its city is outside this database): a street or community whose
 * parent is unknown — a mistyped code — is refused, not stored without a parent.
 */
export async function importDivisions(db: Executor, records: DivisionRecord[], now: number): Promise<{ inserted: number; updated: number }> {
  const existing = new Set((await db.selectFrom('divisions').select('code').execute()).map((r) => r.code));
  const inFile = new Set(records.map((r) => r.code));
  const sorted = [...records].sort((a, b) => b.level - a.level || a.code.localeCompare(b.code));
  const problems: CsvProblem[] = [];
  for (const r of sorted) {
    if (r.parentCode && !inFile.has(r.parentCode) && !existing.has(r.parentCode) && r.level < LEVELS.district) {
      problems.push({ line: 0, reason: `parent ${r.parentCode} of ${r.code} is unknown` });
    }
  }
  if (problems.length) throw new AppError('import_failed', undefined, { problems });
  let inserted = 0, updated = 0;
  const sortIndex = new Map<string, number>();
  for (const r of sorted) {
    const parent = r.parentCode && (inFile.has(r.parentCode) || existing.has(r.parentCode)) ? r.parentCode : null;
    const sort = (sortIndex.get(parent ?? '') ?? 0) + 1;
    sortIndex.set(parent ?? '', sort);
    if (existing.has(r.code)) {
      await db.updateTable('divisions').set({ name: r.name, level: r.level, parent_code: parent, sort, updated_at: now }).where('code', '=', r.code).execute();
      updated++;
    } else {
      await db.insertInto('divisions').values({
        code: r.code, level: r.level, name: r.name, parent_code: parent, sort, geometry: null,
        min_lon: null, min_lat: null, max_lon: null, max_lat: null, area_m2: null, updated_at: now,
      }).execute();
      inserted++;
    }
  }
  return { inserted, updated };
}

export function readDivisionCsvFile(path: string) {
  const parsed = parseDivisionCsv(readFileSync(path, 'utf8'));
  if (parsed.problems.length) throw new AppError('import_failed', undefined, { problems: parsed.problems });
  return parsed.records;
}
