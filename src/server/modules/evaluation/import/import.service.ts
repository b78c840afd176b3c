import { findSubCategory, type ActionInput, type CaseActor } from '../../../../shared/cases/index.js';
import type { Db } from '../../../platform/db.js';
import { CaseLife, unmarkBulk, WorkflowRefusal, writeLives, type CasePlace } from '../history/life.js';
import { categoryTree, departmentIdsByCode, historyActor, historyEnv } from '../history/reference.js';
import { StatsBatch } from '../stats.js';
import { checkRow, mappingOf, recordsOf, type ImportReference, type ImportRow, type RowProblem } from './rows.js';

/**
 * Historical import (历史数据导入) of cases from other systems. Every row is checked first; when any
 * row is invalid nothing is written, unless the caller asks to skip the invalid rows. Each imported
 * case is driven through the workflow from its report to its final status, with the file's times,
 * so its events are a real history and every indicator counts it (as a system actor: imported
 * cases never count for a person).
 */
export interface ImportReport {
  status: 'invalid' | 'imported';
  total: number;
  valid: number;
  imported: number;
  skipped: number;
  /** The first 1,000 problems, in file order. */
  problems: RowProblem[];
  problemCount: number;
  caseIds: number[];
}

export interface ImportOptions {
  skipInvalid: boolean;
  /** Names the system actor the events are recorded under. */
  batchName: string;
  now: number;
  onProgress?: (phase: 'checking' | 'importing', done: number, total: number) => void;
  locate: (points: [number, number][]) => Promise<({ gridCode: string } | null)[]>;
}

async function referenceOf(db: Db): Promise<ImportReference> {
  const departments = new Map<string, string>();
  for (const d of await db.selectFrom('departments').select(['code', 'name', 'name_en']).execute()) {
    for (const key of [d.code, d.name, d.name_en]) departments.set(key, d.code);
  }
  const district = await db.selectFrom('divisions').select('code').where('level', '=', 30).orderBy('code').executeTakeFirst();
  return { tree: await categoryTree(db), departments, districtCode: district?.code ?? '' };
}

/** The description, with the number the case had in the system it comes from. */
function describe(r: ImportRow): string {
  return r.externalId ? `${r.description}（原系统编号 ${r.externalId}）` : r.description;
}

/** Places the rows: points through the grid locator, grid codes to their centre. */
async function place(db: Db, rows: ImportRow[], opts: ImportOptions, problems: RowProblem[]): Promise<Map<number, CasePlace>> {
  const out = new Map<number, CasePlace>();
  const byPoint = rows.filter((r) => r.lon !== null && r.lat !== null);
  for (let i = 0; i < byPoint.length; i += 10_000) {
    const chunk = byPoint.slice(i, i + 10_000);
    const found = await opts.locate(chunk.map((r) => [r.lon!, r.lat!]));
    chunk.forEach((r, k) => {
      const hit = found[k];
      if (!hit) problems.push({ line: r.line, field: 'lon', code: 'outside_grids', value: `${r.lon}, ${r.lat}`, message: `(${r.lon}, ${r.lat}) lies outside the district's grids` });
      else if (r.grid && r.grid !== hit.gridCode) problems.push({ line: r.line, field: 'grid', code: 'grid_mismatch', value: hit.gridCode, message: `(${r.lon}, ${r.lat}) lies in grid ${hit.gridCode}, not ${r.grid}` });
      else out.set(r.line, { grid_code: hit.gridCode, lon: r.lon!, lat: r.lat!, address: r.address, description: describe(r), reporter_name: r.reporterName });
    });
  }
  const byGrid = rows.filter((r) => (r.lon === null || r.lat === null) && r.grid);
  const codes = [...new Set(byGrid.map((r) => r.grid!))];
  const grids = new Map<string, { lon: number; lat: number }>();
  for (let i = 0; i < codes.length; i += 500) {
    const found = await db.selectFrom('divisions').select(['code', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
      .where('level', '=', 0).where('code', 'in', codes.slice(i, i + 500)).execute();
    for (const g of found) {
      if (g.min_lon !== null && g.max_lon !== null && g.min_lat !== null && g.max_lat !== null) {
        grids.set(g.code, { lon: (g.min_lon + g.max_lon) / 2, lat: (g.min_lat + g.max_lat) / 2 });
      }
    }
  }
  for (const r of byGrid) {
    const g = grids.get(r.grid!);
    if (!g) problems.push({ line: r.line, field: 'grid', code: 'no_such_grid', value: r.grid!, message: `grid ${r.grid} does not exist` });
    else out.set(r.line, { grid_code: r.grid!, ...g, address: r.address, description: describe(r), reporter_name: r.reporterName });
  }
  return out;
}

/** The case's life from its report to the status the file gives, at the file's times. */
export function lifeOfRow(r: ImportRow, batchName: string, tree: ImportReference['tree']): CaseLife {
  const life = new CaseLife(historyEnv());
  const who = (role: string, extra: Partial<CaseActor> = {}) => historyActor(`import:${batchName}:${role}`, extra);
  const dispatcher = who('dispatcher');
  const note = { comment: '历史数据导入' };
  const level = findSubCategory(tree, r.filing.category_code)?.platform_level ?? 'district';
  const input: ActionInput = { source: r.source, level, category_code: r.filing.category_code, filing: r.filing };
  const s = life.act('report', input, who('reporter'), r.reportedAt, { userId: null, name: r.reporterName });
  if (r.status === 'reported') return life;
  if (s.state === 'pending_verification') life.act('verify', note, who('verifier'), r.reportedAt);
  if (r.status === 'rejected') {
    life.act('reject', { reason: '历史数据导入：不予立案' }, dispatcher, r.closedAt ?? r.reportedAt);
    return life;
  }
  life.act('accept', { filing: r.filing }, dispatcher, r.reportedAt);
  if (r.status === 'accepted') return life;
  if (r.status === 'cancelled') {
    life.act('request_cancel', { reason: '历史数据导入：作废' }, who('requester'), r.closedAt!);
    life.act('approve_cancel', {}, dispatcher, r.closedAt!);
    return life;
  }
  const dispatchedAt = r.dispatchedAt ?? r.reportedAt;
  life.act('dispatch', { department: r.department! }, dispatcher, dispatchedAt);
  if (r.status === 'dispatched') return life;
  const dept = who(`dept:${r.department}`, { level: null, department_code: r.department });
  life.act('claim', {}, dept, dispatchedAt);
  if (r.status === 'handling') return life;
  life.act('feedback', { ...note, photos: ['imported'] }, dept, r.handledAt ?? r.closedAt ?? dispatchedAt);
  if (r.status === 'handled') return life;
  life.act('check_pass', {}, who('checker'), r.closedAt!);
  life.act('close', {}, dispatcher, r.closedAt!);
  return life;
}

const IMPORT_CHUNK = 500;

export async function importCases(db: Db, text: string, mapPairs: readonly string[], opts: ImportOptions): Promise<ImportReport> {
  const { header, records } = recordsOf(text);
  const { mapping, problems } = mappingOf(header, mapPairs);
  const report = (status: ImportReport['status'], valid: number, imported: number, caseIds: number[]): ImportReport => ({
    status, total: records.length, valid, imported, skipped: records.length - imported,
    problems: problems.sort((a, b) => a.line - b.line).slice(0, 1000), problemCount: problems.length, caseIds,
  });
  if (problems.length) return report('invalid', 0, 0, []);

  const ref = await referenceOf(db);
  const rows: ImportRow[] = [];
  records.forEach((rec, i) => {
    const r = checkRow(rec, mapping, ref, opts.now);
    if (Array.isArray(r)) problems.push(...r);
    else rows.push(r);
    if (i % 1000 === 999) opts.onProgress?.('checking', i + 1, records.length);
  });
  const places = await place(db, rows, opts, problems);
  // a history the workflow refuses (it should not happen for a checked row) is the row's problem, found before writing
  const ready = rows.filter((r) => {
    if (!places.has(r.line)) return false;
    try {
      lifeOfRow(r, opts.batchName, ref.tree);
      return true;
    } catch (err) {
      problems.push({ line: r.line, field: 'status', code: 'refused', message: err instanceof WorkflowRefusal ? `the workflow refuses this history: ${err.message}` : String(err) });
      return false;
    }
  });
  opts.onProgress?.('checking', records.length, records.length);
  if (problems.length && !opts.skipInvalid) return report('invalid', ready.length, 0, []);

  const departments = await departmentIdsByCode(db);
  const ids = await db.transaction().execute(async (tx) => {
    const all: number[] = [];
    for (let i = 0; i < ready.length; i += IMPORT_CHUNK) {
      const items = ready.slice(i, i + IMPORT_CHUNK).map((r) => ({ place: places.get(r.line)!, life: lifeOfRow(r, opts.batchName, ref.tree) }));
      const batch = new StatsBatch();
      all.push(...(await writeLives(tx, items, departments, batch)));
      await batch.flush(tx);
      opts.onProgress?.('importing', Math.min(i + IMPORT_CHUNK, ready.length), ready.length);
    }
    return all;
  });
  await unmarkBulk(db, ids);
  return report('imported', ready.length, ids.length, ids);
}
