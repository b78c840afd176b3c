import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { findSubCategory, type ActionInput, type CaseActor } from '../../../../shared/cases/index.js';
import type { Db, Executor } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { loadWorkflowEnv } from '../../cases/reference.js';
import { CaseLife, unmarkBulk, WorkflowRefusal, writeLives, type CasePlace } from '../history/life.js';
import { categoryTree, departmentIdsByCode, historyActor } from '../history/reference.js';
import { lockCounts, nextTurn } from '../catchup.js';
import { recountCases, StatsBatch } from '../stats.js';
import { CsvError, readCsv, type CsvRecord } from '../../../platform/csv.js';
import { checkRow, mappingOf, sourceIdOf, type ImportReference, type ImportRow, type RowProblem } from './rows.js';
import { FileNumbers, keepSourceIds } from './sourceids.js';

/**
 * Historical import (历史数据导入) of cases from other systems. Every row is checked first; when any
 * row is invalid nothing is written, unless the caller asks to skip the invalid rows. Each imported
 * case is driven through the workflow from its report to its final status, with the file's times,
 * so its events are a real history and every indicator counts it (as a system actor: imported
 * cases never count for a person). Its due times and on-time verdicts follow the installation's own
 * calendar and case settings (`loadWorkflowEnv`: the holidays and office hours as an administrator
 * keeps them), as a case reported here on the same days would.
 *
 * The cases are written a chunk at a time, each chunk in a short transaction of its own, so the
 * server goes on answering reports and requests while a large file goes in (on SQLite one
 * transaction for the whole file held every other request until it ended: 39 s for 50,000 rows).
 * An import is still all or nothing: each chunk's case ids are kept with the import's row
 * (`eval_import_cases`) until the import ends, and an import that fails, or that no process is
 * running any more (its row silent for `IMPORT_STALE_MS`: the process stopped), is undone whole,
 * its cases and their counts removed (`undoImport`, `recoverImports`).
 *
 * A case's number in the system it comes from (原系统编号, `external_id`) is imported once per
 * system (the import's `system`, see system.ts and sourceids.ts): a file imported again brings no
 * case in twice.
 */
export interface ImportReport {
  status: 'invalid' | 'imported';
  /** The system the file comes from, whose earlier imports its numbers were compared with; null: the shared namespace. */
  system: string | null;
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
  /** The import's row in eval_imports (`beginImport`), which the import keeps up to date and finishes. */
  importId: number;
  /** The system the file comes from (`sourceSystemOf`), as `beginImport` recorded it; null or absent for none. */
  system?: string | null;
  skipInvalid: boolean;
  /** Names the system actor the events are recorded under (default: the import's id). */
  batchName?: string;
  now: number;
  /** The time of a heartbeat (default: the wall clock). */
  clock?: () => number;
  onProgress?: (phase: 'checking' | 'importing', done: number, total: number) => void;
  /**
   * Aborted: the import stops after the chunk it is writing and undoes itself; aborted with an
   * `ImportStopped` reason (a stopping server), it leaves what it wrote for `recoverImports`.
   */
  signal?: AbortSignal;
  /** The grid each point lay in at its moment (the report's time): a grid retired since, if one held it then. */
  locate: (points: [number, number][], times: number[]) => Promise<({ gridCode: string } | null)[]>;
}

async function referenceOf(db: Db): Promise<ImportReference> {
  const departments = new Map<string, string>();
  for (const d of await db.selectFrom('departments').select(['code', 'name', 'name_en']).execute()) {
    for (const key of [d.code, d.name, d.name_en]) departments.set(key, d.code);
  }
  const district = await db.selectFrom('divisions').select('code').where('level', '=', 30).orderBy('code').executeTakeFirst();
  const { env } = await loadWorkflowEnv(db);
  return { tree: await categoryTree(db), departments, districtCode: district?.code ?? '', env };
}

/** The description, with the number the case had in the system it comes from (and that system's name, when the import has one). */
function describe(r: ImportRow, system: string | null): string {
  if (!r.externalId) return r.description;
  return `${r.description}（${system === null ? '' : `${system} `}原系统编号 ${r.externalId}）`;
}

/** Places the rows: points through the grid locator, grid codes to their centre. */
async function place(db: Db, rows: ImportRow[], opts: ImportOptions, problems: RowProblem[]): Promise<Map<number, CasePlace>> {
  const out = new Map<number, CasePlace>();
  const system = opts.system ?? null;
  const byPoint = rows.filter((r) => r.lon !== null && r.lat !== null);
  for (let i = 0; i < byPoint.length; i += 10_000) {
    const chunk = byPoint.slice(i, i + 10_000);
    const found = await opts.locate(chunk.map((r) => [r.lon!, r.lat!]), chunk.map((r) => r.reportedAt));
    chunk.forEach((r, k) => {
      const hit = found[k];
      if (!hit) problems.push({ line: r.line, field: 'lon', code: 'outside_grids', value: `${r.lon}, ${r.lat}`, message: `(${r.lon}, ${r.lat}) lies outside the district's grids` });
      else if (r.grid && r.grid !== hit.gridCode) problems.push({ line: r.line, field: 'grid', code: 'grid_mismatch', value: hit.gridCode, message: `(${r.lon}, ${r.lat}) lies in grid ${hit.gridCode}, not ${r.grid}` });
      else out.set(r.line, { grid_code: hit.gridCode, lon: r.lon!, lat: r.lat!, address: r.address, description: describe(r, system), reporter_name: r.reporterName });
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
    else out.set(r.line, { grid_code: r.grid!, ...g, address: r.address, description: describe(r, system), reporter_name: r.reporterName });
  }
  return out;
}

/** The case's life from its report to the status the file gives, at the file's times, on the installation's calendar. */
export function lifeOfRow(r: ImportRow, batchName: string, ref: Pick<ImportReference, 'tree' | 'env'>): CaseLife {
  const { tree } = ref;
  const life = new CaseLife(ref.env);
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

/** Cases written per transaction: about a third of a second of the server's time each (smaller chunks cost more commits). */
const IMPORT_CHUNK = 500;
/** Rows placed and played through the workflow at a time while checking. */
const PLACE_BATCH = 2_000;
/** Rows checked between two heartbeats. */
const CHECK_BEAT = 10_000;
/** The statuses of an import its process goes on with: running, or asked to stop and undo itself. */
const ACTIVE = ['running', 'cancelling'];
/** The statuses of an import no process has finished: active, or being undone by another process. */
const UNFINISHED = [...ACTIVE, 'undoing'];
/** A running import's row moves at least this often; one silent for longer is no longer running anywhere. */
export const IMPORT_STALE_MS = 120_000;

/** The row an import reports to and finishes (the admin screen's list shows it, whoever started it). */
export async function beginImport(db: Executor, row: { fileName: string; system?: string | null; createdBy: number | null; now: number }): Promise<number> {
  const created = await db.insertInto('eval_imports').values({
    created_by: row.createdBy, created_at: row.now, file_name: row.fileName, source_system: row.system ?? null,
    status: 'running', report: null, finished_at: null, beat_at: row.now,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(created.id);
}

/**
 * Moves the import's heartbeat (and progress). Throws when the import may not go on: cancelled
 * (`ImportCancelled`: the caller undoes it), or no longer running (`ImportStopped`: another process
 * took it over to undo it).
 */
async function beat(db: Executor, id: number, at: number, progress: { done: number; total: number } | null = null): Promise<void> {
  const row = await db.updateTable('eval_imports').set({ beat_at: at, ...(progress ?? {}) })
    .where('id', '=', id).where('status', 'in', ACTIVE).returning('status').executeTakeFirst();
  if (!row) throw new ImportStopped('The import was stopped.');
  if (row.status === 'cancelling') throw new ImportCancelled();
}

async function finish(db: Executor, id: number, r: ImportReport, at: number): Promise<void> {
  await db.updateTable('eval_imports').set({
    status: r.status, total: r.total, done: r.total, imported: r.imported, skipped: r.skipped,
    report: JSON.stringify({ ...r, caseIds: [] }), finished_at: at,
  }).where('id', '=', id).execute();
}

/** Why an import failed, for the admin screen to say in its reader's language (its message says it in English). */
export type ImportFailure = 'cancelled' | 'interrupted' | 'failed';

async function fail(db: Executor, id: number, error: string, at: number, code: ImportFailure = 'failed'): Promise<void> {
  await db.updateTable('eval_imports').set({ status: 'failed', report: JSON.stringify({ error, code }), finished_at: at }).where('id', '=', id).execute();
}

/**
 * Asks an import to stop and undo itself: the process running it (this one or another) sees it at
 * its next heartbeat, within one chunk. False when the import has ended already.
 */
export async function cancelImport(db: Executor, id: number): Promise<boolean> {
  const r = await db.updateTable('eval_imports').set({ status: 'cancelling' }).where('id', '=', id).where('status', 'in', ACTIVE).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An import that must stop without undoing itself: another process undoes it, or will. */
export class ImportStopped extends Error {}

/** An import cancelled while it ran: it undoes itself. */
export class ImportCancelled extends Error {
  constructor() {
    super('The import was cancelled.');
  }
}

/** Ends an aborted import: cancelled (undone by the caller), or stopped with its server (left for any process to undo at once). */
async function stopIfAborted(db: Db, id: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal?.aborted) return;
  if (!(signal.reason instanceof ImportStopped)) throw new ImportCancelled();
  await db.updateTable('eval_imports').set({ beat_at: 0 }).where('id', '=', id).where('status', 'in', ACTIVE).execute();
  throw signal.reason;
}

export async function importCases(db: Db, text: string, mapPairs: readonly string[], opts: ImportOptions): Promise<ImportReport> {
  const clock = opts.clock ?? Date.now;
  try {
    return await checkAndWrite(db, text, mapPairs, opts, clock);
  } catch (err) {
    // stopped for another process to undo: one that took it over, or the next start after its server's
    if (err instanceof ImportStopped) throw err;
    await undoAndFail(db, opts.importId, clock, err instanceof Error ? err.message : String(err), err instanceof ImportCancelled ? 'cancelled' : 'failed');
    throw err;
  }
}

/** The file's records after its header, read afresh on every call (each pass reads the text again rather than holding every row). */
function* dataRecords(text: string): Generator<CsvRecord> {
  const all = readCsv(text);
  all.next();
  yield* all;
}

/**
 * Two passes over the file's text, neither holding its rows: the first checks every row (placing
 * them and acting out their histories 2,000 at a time) and keeps only the problems; if the file
 * may go in, the second reads it again and writes the rows a chunk at a time. Memory is the text,
 * the problems, a chunk and the rows' numbers from the other system (to find one given twice), not
 * the rows.
 */
async function checkAndWrite(db: Db, text: string, mapPairs: readonly string[], opts: ImportOptions, clock: () => number): Promise<ImportReport> {
  const id = opts.importId;
  const system = opts.system ?? null;
  const batchName = opts.batchName ?? String(id);
  // a file the CSV reader cannot read to its end (a quote never closed) is refused whole, with the
  // line it stopped at: the passes below read it again and so read it whole
  let total = 0;
  try {
    for (const _ of dataRecords(text)) if (++total % 10_000 === 0) await yieldToRequests();
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const r: ImportReport = {
      status: 'invalid', system, total, valid: 0, imported: 0, skipped: total, problemCount: 1, caseIds: [],
      problems: [{ line: err.line, field: null, code: 'unclosed_quote', message: err.reason }],
    };
    await finish(db, id, r, clock());
    return r;
  }
  const first = readCsv(text).next();
  const { mapping, problems } = mappingOf(first.done ? [] : first.value.fields, mapPairs);
  // a report shows the first 1,000 problems; a file of nothing but bad rows keeps no more than that many
  // and a count (the first pass finds them in the order of the file, a batch at a time)
  let dropped = 0;
  const trimProblems = () => {
    if (problems.length < 20_000) return;
    problems.sort((a, b) => a.line - b.line);
    dropped += problems.length - 1000;
    problems.length = 1000;
  };
  const report = (status: ImportReport['status'], valid: number, imported: number, caseIds: number[]): ImportReport => ({
    status, system, total, valid, imported, skipped: total - imported,
    problems: problems.sort((a, b) => a.line - b.line).slice(0, 1000), problemCount: problems.length + dropped, caseIds,
  });
  const invalid = async (valid: number) => {
    const r = report('invalid', valid, 0, []);
    await finish(db, id, r, clock());
    return r;
  };
  if (problems.length) return invalid(0);
  const ref = await referenceOf(db);

  // the first pass: problems, and the lines that have one (left out by the second)
  const bad = new Set<number>();
  let valid = 0;
  let batch: ImportRow[] = [];
  // numbers from the other system: the file's first line with a number has it, and a later line with
  // it has a problem; so has any line whose number an earlier import from the system brought in,
  // looked up a batch at a time
  const numbers = new FileNumbers(system);
  const checkBatch = async () => {
    for (const p of await numbers.imported(db)) {
      problems.push(p);
      bad.add(p.line);
    }
    const places = await place(db, batch, opts, problems);
    for (const r of batch) {
      if (!places.has(r.line) || !playedOrRefused(r, batchName, ref, problems)) bad.add(r.line);
      else if (!bad.has(r.line)) valid++;
    }
    batch = [];
    trimProblems();
  };
  let read = 0;
  for (const rec of dataRecords(text)) {
    const sourceId = sourceIdOf(rec, mapping);
    const repeated = sourceId === null ? null : numbers.note(rec.line, sourceId);
    if (repeated) {
      problems.push(repeated);
      bad.add(rec.line);
    }
    const r = checkRow(rec, mapping, ref, opts.now);
    if (Array.isArray(r)) {
      problems.push(...r);
      bad.add(rec.line);
      trimProblems();
    } else batch.push(r);
    if (batch.length === PLACE_BATCH || numbers.pending === PLACE_BATCH) await checkBatch();
    if (++read % 1000 === 0) {
      opts.onProgress?.('checking', read, total);
      await yieldToRequests();
      await stopIfAborted(db, id, opts.signal);
    }
    if (read % CHECK_BEAT === 0) await beat(db, id, clock());
  }
  await checkBatch();
  opts.onProgress?.('checking', total, total);
  if (problems.length && !opts.skipInvalid) return invalid(valid);

  // the second pass: the rows without a problem, written a chunk per transaction
  const departments = await departmentIdsByCode(db);
  const all: number[] = [];
  let chunk: ImportRow[] = [];
  const writeChunk = async () => {
    if (chunk.length === 0) return;
    await stopIfAborted(db, id, opts.signal);
    // the same rows as the first pass placed and played, unless the grids changed meanwhile
    const moved: RowProblem[] = [];
    const places = await place(db, chunk, opts, moved);
    const items = chunk.map((r) => {
      const life = places.has(r.line) ? playedOrRefused(r, batchName, ref, moved) : null;
      if (!life) throw new Error(`line ${r.line} no longer passes its check (${moved.map((m) => m.message).join('; ')}); the grids or categories changed during the import.`);
      return { place: places.get(r.line)!, life };
    });
    const done = all.length + items.length;
    const ids = await db.transaction().execute(async (tx) => {
      // the import's row first: one cancelled, or another process declared stopped, writes nothing more
      await beat(tx, id, clock(), { done, total: valid });
      const stats = new StatsBatch();
      const ids = await writeLives(tx, items, departments, stats);
      await keepSourceIds(tx, id, system, chunk, ids);
      await stats.flush(tx);
      await tx.insertInto('eval_import_cases').values({ import_id: id, case_ids: JSON.stringify(ids) }).execute();
      return ids;
    });
    all.push(...ids);
    chunk = [];
    await unmarkBulk(db, ids);
    opts.onProgress?.('importing', done, valid);
    // the requests that waited for this chunk go first
    await yieldToRequests();
  };
  for (const rec of dataRecords(text)) {
    if (bad.has(rec.line)) continue;
    const r = checkRow(rec, mapping, ref, opts.now);
    if (Array.isArray(r)) throw new Error(`line ${rec.line} no longer passes its check: ${r.map((p) => p.message).join('; ')}.`);
    chunk.push(r);
    if (chunk.length === IMPORT_CHUNK) await writeChunk();
  }
  await writeChunk();
  // done: the chunks' ids go with the import's end, in one transaction
  const r = report('imported', valid, all.length, all);
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('eval_import_cases').where('import_id', '=', id).execute();
    await finish(tx, id, r, clock());
  });
  return r;
}

/** The row's history, or null with the problem noted: one the workflow refuses (it should not happen for a checked row). */
function playedOrRefused(r: ImportRow, batchName: string, ref: ImportReference, problems: RowProblem[]): CaseLife | null {
  try {
    return lifeOfRow(r, batchName, ref);
  } catch (err) {
    problems.push({ line: r.line, field: 'status', code: 'refused', message: err instanceof WorkflowRefusal ? `the workflow refuses this history: ${err.message}` : String(err) });
    return null;
  }
}

/**
 * Undoes an import and marks it failed, saying why and what became of its cases; its heartbeat moves
 * at every chunk. A stopping process (`stopping`) leaves the rest for the next one: false then.
 */
async function undoAndFail(db: Db, id: number, clock: () => number, why: string, code: ImportFailure, stopping = () => false): Promise<boolean> {
  let removed = 0;
  let outcome: string;
  try {
    removed = await undoImport(db, id, async (n) => {
      removed = n;
      if (stopping()) throw new ImportStopped('The process undoing it stopped.');
      await db.updateTable('eval_imports').set({ beat_at: clock() }).where('id', '=', id).execute();
    });
    outcome = `Nothing was imported: the ${removed} cases it had written were removed.`;
  } catch (err) {
    if (err instanceof ImportStopped) return false;
    outcome = `${removed} cases it had written were removed; the rest stay: ${err instanceof Error ? err.message : String(err)}`;
  }
  await fail(db, id, `${/[.!?]$/.test(why) ? why : `${why}.`} ${outcome}`, clock(), code);
  return true;
}

/**
 * Removes what an unfinished import wrote, a chunk per transaction, last chunk first: its cases,
 * everything recorded about them since (events, photos, notices, cards), and their counts, by the
 * marks they left. A case another case was merged into meanwhile cannot go: the undo stops there
 * with `conflict`, and what is left stays listed for the next attempt.
 */
export async function undoImport(db: Db, importId: number, onChunk?: (removed: number) => Promise<unknown>): Promise<number> {
  let removed = 0;
  for (;;) {
    const chunk = await db.selectFrom('eval_import_cases').select(['id', 'case_ids']).where('import_id', '=', importId)
      .orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!chunk) return removed;
    const ids = JSON.parse(chunk.case_ids) as number[];
    await db.transaction().execute(async (tx) => {
      await removeCases(tx, ids);
      await tx.deleteFrom('eval_import_cases').where('id', '=', chunk.id).execute();
    });
    removed += ids.length;
    await onChunk?.(removed);
    await yieldToRequests();
  }
}

async function removeCases(tx: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const merged = await tx.selectFrom('cases').select('number').where('merged_into', 'in', ids).where('id', 'not in', ids).limit(10).execute();
  if (merged.length) {
    throw new AppError('conflict', `Cases ${merged.map((m) => m.number).join(', ')} were merged into imported cases; undo those merges first.`);
  }
  // their histories go first; recounted without them, the cases leave every mark and count they had;
  // their numbers from the other system go with them, free to be imported again
  await lockCounts(tx);
  await nextTurn(tx);
  for (const table of ['notifications', 'case_cards', 'case_photos', 'case_departments', 'case_events', 'eval_pending', 'import_source_ids'] as const) {
    await tx.deleteFrom(table).where('case_id', 'in', ids).execute();
  }
  await recountCases(tx, ids);
  await tx.deleteFrom('cases').where('id', 'in', ids).execute();
}

/**
 * Undoes the imports no process is running any more: still running (or being undone), silent for
 * `IMPORT_STALE_MS` (the process that ran it stopped). Run when a server starts, before an import
 * from the command line, and when the admin screen lists imports. Returns the ids undone.
 */
export async function recoverImports(db: Db, now: number, clock: () => number = Date.now, stopping: () => boolean = () => false): Promise<number[]> {
  const stale = await db.selectFrom('eval_imports').select('id').where('status', 'in', UNFINISHED)
    .where((eb) => eb(eb.fn.coalesce('beat_at', 'created_at'), '<', now - IMPORT_STALE_MS)).execute();
  const undone: number[] = [];
  for (const { id } of stale) {
    if (stopping()) break;
    // taken by this process (one statement: a second process finds it moved and leaves it); the
    // process that ran it, if it still runs, finds it no longer running and stops
    const taken = await db.updateTable('eval_imports')
      .set({ status: 'undoing', beat_at: clock(), report: JSON.stringify({ error: 'The import stopped before it ended (the process running it stopped); the cases it had written are being removed.' }) })
      .where('id', '=', id).where('status', 'in', UNFINISHED)
      .where((eb) => eb(eb.fn.coalesce('beat_at', 'created_at'), '<', now - IMPORT_STALE_MS)).executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) continue;
    // a stopping server leaves the rest to the next start: the row stays being undone
    if (!(await undoAndFail(db, Number(id), clock, 'The import stopped before it ended (the process running it stopped).', 'interrupted', stopping))) break;
    undone.push(Number(id));
  }
  return undone;
}
