import { sql } from 'kysely';
import { onPostgres, type Executor } from '../../../platform/db.js';
import { insertRows } from '../../../platform/insert.js';
import type { ImportRow, RowProblem } from './rows.js';

/**
 * A case's number in the system it comes from (原系统编号, `external_id`) is imported once per
 * system: each is kept with its case and the system's name (`import_source_ids`, one row per
 * system and number; '' names the shared namespace of the imports given no system), and a row
 * whose number an earlier import from the same system brought in, or an earlier line of the same
 * file has, is a row problem (`already_imported`, `repeated_in_file`). So a file imported again, or
 * an interrupted one run again whole, brings no case in twice, while the old 12345 hotline's case
 * 1001 and the old 数字城管's case 1001 both come in. A case removed (its import undone) frees its
 * number. Rows without a number are not compared.
 */

/** How the key's first column names the system: '' for none. */
const keyOf = (system: string | null) => system ?? '';

/** "A-1" as the messages name it: with its system, when the import has one. */
const named = (sourceId: string, system: string | null) => (system === null ? `"${sourceId}"` : `"${sourceId}" of ${system}`);

/**
 * The numbers of one file (an import has one system, so within the file the number alone tells two
 * rows apart). Keeps the line that first had each number (the one thing the first pass keeps of
 * every row) and the numbers waiting to be looked up, a batch at a time.
 */
export class FileNumbers {
  private readonly firstLine = new Map<string, number>();
  private waiting: { line: number; sourceId: string }[] = [];

  constructor(private readonly system: string | null) {}

  /** Notes a line's number: its problem when an earlier line of the file has it. */
  note(line: number, sourceId: string): RowProblem | null {
    const first = this.firstLine.get(sourceId);
    if (first === undefined) {
      this.firstLine.set(sourceId, line);
      this.waiting.push({ line, sourceId });
      return null;
    }
    return { line, field: 'external_id', code: 'repeated_in_file', value: String(first), message: `${named(sourceId, this.system)} is the number of line ${first} already` };
  }

  /** Numbers noted and not yet looked up. */
  get pending(): number {
    return this.waiting.length;
  }

  /** The problems of the lines noted since the last call whose number an earlier import from this system brought in. */
  async imported(db: Executor): Promise<RowProblem[]> {
    const found = await importedSourceIds(db, this.system, this.waiting.map((n) => n.sourceId));
    const problems: RowProblem[] = [];
    for (const { line, sourceId } of this.waiting) {
      const was = found.get(sourceId);
      if (!was) continue;
      problems.push({
        line, field: 'external_id', code: 'already_imported', value: was.number,
        message: `${named(sourceId, this.system)} was imported already, as case ${was.number}${was.importId === null ? '' : ` (import ${was.importId})`}`,
      });
    }
    this.waiting = [];
    return problems;
  }
}

/** Numbers of this system already imported (their cases in place): number → that case's number and the import that brought it. */
async function importedSourceIds(db: Executor, system: string | null, sourceIds: readonly string[]): Promise<Map<string, { number: string; importId: number | null }>> {
  const out = new Map<string, { number: string; importId: number | null }>();
  for (let i = 0; i < sourceIds.length; i += 500) {
    const some = sourceIds.slice(i, i + 500);
    // PostgreSQL: one array parameter, so the statement's text is the same for any number of them (as platform/insert.ts does)
    const found = await db.selectFrom('import_source_ids').select(['source_id', 'case_id', 'import_id'])
      .where('source_system', '=', keyOf(system))
      .where((eb) => (onPostgres(db) ? sql<boolean>`source_id = any(cast(${some} as text[]))` : eb('source_id', 'in', some))).execute();
    if (found.length === 0) continue;
    // the numbers the found ones' cases have here, for the report
    const numbers = new Map((await db.selectFrom('cases').select(['id', 'number']).where('id', 'in', found.map((f) => f.case_id)).execute())
      .map((c) => [Number(c.id), c.number]));
    for (const f of found) out.set(f.source_id, { number: numbers.get(Number(f.case_id)) ?? '?', importId: f.import_id === null ? null : Number(f.import_id) });
  }
  return out;
}

/**
 * Keeps the chunk's numbers with their cases, under the import's system. A number imported since
 * the first pass checked it (by an import from the same system running beside this one) fails the
 * import, which is undone; the key on (system, number) stops two chunks committing at the same
 * moment both getting through.
 */
export async function keepSourceIds(tx: Executor, importId: number, system: string | null, rows: readonly ImportRow[], caseIds: readonly number[]): Promise<void> {
  const numbered = rows.flatMap((r, i) => (r.externalId === null ? [] : [{ line: r.line, sourceId: r.externalId, caseId: caseIds[i]! }]));
  if (numbered.length === 0) return;
  const taken = await importedSourceIds(tx, system, numbered.map((n) => n.sourceId));
  const first = numbered.find((n) => taken.has(n.sourceId));
  if (first) {
    throw new Error(`line ${first.line}: ${named(first.sourceId, system)} was imported meanwhile, as case ${taken.get(first.sourceId)!.number}, by another import; run this one again to see which of its rows are imported already.`);
  }
  await insertRows(tx, 'import_source_ids', ['source_system', 'source_id', 'case_id', 'import_id'], numbered.map((n) => [keyOf(system), n.sourceId, n.caseId, importId]));
}
