import { readFileSync } from 'node:fs';
import type { Executor } from '../../platform/db.js';
import { CODE_LENGTH, LEVELS } from '../../../shared/permissions.js';
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

/** Parses `level,code,name,parent_code` and checks every row; returns all problems, not the first. */
export function parseDivisionCsv(text: string): { records: DivisionRecord[]; problems: CsvProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: CsvProblem[] = [];
  const records: DivisionRecord[] = [];
  const header = lines[0]?.split(',').map((h) => h.trim());
  if (!header || header.join(',') !== 'level,code,name,parent_code') {
    return { records, problems: [{ line: 1, reason: 'header must be level,code,name,parent_code' }] };
  }
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (!raw.trim()) return;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== 4) return void problems.push({ line, reason: `expected 4 columns, found ${cells.length} (a name may not hold a comma)` });
    const [levelName, code, name, parent] = cells;
    const level = LEVEL_NAMES[levelName];
    if (level === undefined) return void problems.push({ line, reason: `unknown level "${levelName}" (one of ${Object.keys(LEVEL_NAMES).join(', ')})` });
    if (!/^\d+$/.test(code) || code.length !== CODE_LENGTH[level]) {
      return void problems.push({ line, reason: `code "${code}" must be ${CODE_LENGTH[level]} digits for this level` });
    }
    if (!name) return void problems.push({ line, reason: 'name is empty' });
    if (seen.has(code)) return void problems.push({ line, reason: `duplicate code ${code}` });
    if (parent && !code.startsWith(parent)) return void problems.push({ line, reason: `code ${code} does not start with its parent ${parent}` });
    seen.add(code);
    records.push({ level, code, name, parentCode: parent || null });
  });
  return { records, problems };
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
