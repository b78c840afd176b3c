import { readFileSync } from 'node:fs';
import type { Db } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { LocatorService } from '../../geo/locator.service.js';
import { basename } from 'node:path';
import { beginImport, importCases, recoverImports, type ImportReport } from './import.service.js';
import { decodeCsv } from './import.routes.js';
import { CsvError, readCsv } from '../../../platform/csv.js';
import { IMPORT_FIELDS, type ProblemCode } from './rows.js';
import { timeLeftMs, type ProgressSample } from '../../../../shared/evaluation/progress.js';
import { guessedPairs, splitMapPair } from '../../../../shared/evaluation/import-headers.js';
import { seedReferenceData } from '../../cases/reference.js';

/**
 * `onegrid import cases <file.csv> --map column=field …`: the historical import from the command
 * line, with a progress line on stderr and the row-level report on stdout. Columns `--map` leaves
 * out are matched to fields by their names in Chinese or English, as the admin screen matches them
 * (上报时间 → reported_at; stderr says which). `--system` names the system the file comes from. The
 * command (src/cli/commands.ts) turns the report into its exit code: 1 when nothing was imported for
 * the file's problems, SKIPPED_EXIT when --skip-invalid left rows out (the report's last line says
 * how many and for what), 0 when every row went in.
 */
export interface ImportCommandOptions {
  map?: string[];
  /** The system the file comes from, checked already (`sourceSystemOf`); null or absent: none. */
  system?: string | null;
  /** false (--no-guess): only the columns --map names are mapped */
  guess?: boolean;
  skipInvalid?: boolean;
  json?: boolean;
}

/** The time left, once the phase has a rate (`timeLeftMs`). */
function timeLeft(first: ProgressSample, now: ProgressSample, total: number): string {
  const ms = now.done < total ? timeLeftMs(first, now, total) : null;
  if (ms === null) return '';
  return ms < 60_000 ? '  under a minute left' : `  about ${Math.ceil(ms / 60_000)} min left`;
}

function progressLine(): (phase: string, done: number, total: number) => void {
  let last = '';
  let first = { phase: '', at: 0, done: 0 };
  const tty = process.stderr.isTTY;
  return (phase, done, total) => {
    const now = Date.now();
    if (first.phase !== phase) first = { phase, at: now, done };
    const pct = total ? Math.floor((done / total) * 100) : 100;
    // without a terminal, one line per phase and tenth
    if (!tty && (`${phase}${pct}` === last || (pct % 10 !== 0 && done !== total))) return;
    last = `${phase}${pct}`;
    const width = 30;
    const bar = '█'.repeat(Math.round((pct / 100) * width)).padEnd(width, '░');
    const line = `${phase === 'checking' ? 'checking ' : 'importing'} ${bar} ${String(pct).padStart(3)}%  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}${timeLeft(first, { at: now, done }, total)}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    if (tty && done === total) process.stderr.write('\n');
  };
}

/** What a row skipped for a problem had ("skipped 2 rows: 1 with …"). */
const WITH: Record<ProblemCode, string> = {
  bad_pair: 'a --map pair that is not column=field', no_column: 'a --map column the file does not have',
  unmapped: 'a required field no column is mapped to', no_location_mapping: 'no location column mapped',
  required: 'a required value missing', not_a_time: 'a time that is not a date and time', in_future: 'a time in the future',
  unknown_category: 'an unknown category', unknown_status: 'an unknown status', unknown_source: 'an unknown source',
  unknown_department: 'an unknown department', department_required: 'no department for its status',
  not_a_longitude: 'a value that is not a longitude', not_a_latitude: 'a value that is not a latitude', not_a_grid: 'a grid code of another district',
  location_required: 'no location', closed_at_required: 'no closing time for its status', before: 'its times out of order',
  outside_grids: "a point outside the district's grids", grid_mismatch: 'a point in another grid than the one given',
  no_such_grid: 'a grid that does not exist', refused: 'a history the workflow refuses', unclosed_quote: 'a quoted field never closed',
  already_imported: 'a number in the other system imported already', repeated_in_file: 'a number in the other system an earlier line has',
  too_long: 'a number in the other system too long to keep',
};
const MAPPING: readonly ProblemCode[] = ['bad_pair', 'no_column', 'unmapped', 'no_location_mapping'];
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** The rows with each problem, most first (of the problems the report holds: the first 1,000). */
export function skippedFor(r: ImportReport): Partial<Record<ProblemCode, number>> {
  const lines = new Map<ProblemCode, Set<number>>();
  for (const p of r.problems) {
    if (!lines.has(p.code)) lines.set(p.code, new Set());
    lines.get(p.code)!.add(p.line);
  }
  return Object.fromEntries([...lines].map(([code, l]) => [code, l.size] as const).sort((a, b) => b[1] - a[1]));
}

export function printReport(r: ImportReport, log: (line: string) => void = console.log): void {
  if (r.system !== null) log(`Source system: ${r.system} (numbers compared with those imported from it before).`);
  for (const p of r.problems.slice(0, 50)) log(`  line ${p.line}${p.field ? ` [${p.field}]` : ''}: ${p.message}`);
  if (r.problemCount > 50) log(`  … and ${r.problemCount - 50} more problems`);
  const problems = plural(r.problemCount, 'problem');
  if (r.status === 'invalid') {
    const unread = r.problems.find((p) => p.code === 'unclosed_quote');
    if (unread) log(`Nothing imported: the file cannot be read from line ${unread.line} on (a quoted field is never closed). Fix the file and run it again.`);
    else if (r.problems.some((p) => MAPPING.includes(p.code))) log(`Nothing imported: the columns are not mapped as the import needs (above), so no row was checked. Map them with --map column=field.`);
    else if (r.valid === 0) log(`Nothing imported: ${problems} in ${plural(r.total, 'row')}, and no row is valid: there is nothing valid to import. Fix them and run it again.`);
    else log(`Nothing imported: ${problems} in ${plural(r.total, 'row')}. Fix them, or pass --skip-invalid to import the ${plural(r.valid, 'valid row')}.`);
    return;
  }
  log(`Imported ${r.imported} of ${r.total} rows${r.skipped ? ` (${r.skipped} skipped)` : ''}.`);
  if (!r.skipped) return;
  const why = Object.entries(skippedFor(r)).map(([code, n]) => `${n.toLocaleString('en')} with ${WITH[code as ProblemCode] ?? code} (${code})`);
  const partial = r.problemCount > r.problems.length ? ` (counted in the first ${r.problems.length.toLocaleString('en')} of the ${problems})` : '';
  log(`Skipped ${plural(r.skipped, 'row')} for their problems${partial}: ${why.join(', ')}.`);
}

/** The header of a file's text: none when it cannot be read (the import then says why). */
function headerOf(text: string): string[] {
  try {
    return readCsv(text).next().value?.fields ?? [];
  } catch (err) {
    if (err instanceof CsvError) return [];
    throw err;
  }
}

export async function importCasesCommand(db: Db, file: string, o: ImportCommandOptions): Promise<ImportReport> {
  const given = o.map ?? [];
  const bad = given.find((p) => !splitMapPair(p));
  if (bad) throw new AppError('validation_failed', `"${bad}" is not column=field (fields: ${IMPORT_FIELDS.join(', ')})`);
  let text: string;
  try {
    text = decodeCsv(readFileSync(file));
  } catch (e) {
    throw new AppError('import_failed', `${file} cannot be read: ${(e as Error).message}`);
  }
  // the columns --map leaves out, matched by their names as the admin screen matches them (unless --no-guess)
  const guessed = o.guess === false ? [] : guessedPairs(headerOf(text), given);
  if (guessed.length) {
    console.error(`columns matched to fields by their names: ${guessed.map((p) => p.replace(/=([^=]*)$/, ' → $1')).join(', ')} (--map column=field chooses otherwise; --no-guess maps only what --map says)`);
  }
  const pairs = [...given, ...guessed];
  // an import a stopped process left is undone first (its row says so in the admin screen's list)
  for (const id of await recoverImports(db, Date.now())) console.error(`import ${id}, left unfinished by a stopped process, was undone`);
  // the cases are timed on the installation's calendar: one no server has started on yet gets the
  // shipped calendar and categories first, as the first start would give it
  await seedReferenceData(db, Date.now());
  const system = o.system ?? null;
  const locator = new LocatorService(db);
  const importId = await beginImport(db, { fileName: basename(file), system, createdBy: null, now: Date.now() });
  // Ctrl-C: the import stops after the chunk it is writing and undoes itself
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const report = await importCases(db, text, pairs, {
    importId,
    system,
    skipInvalid: !!o.skipInvalid,
    now: Date.now(),
    locate: (points, times) => locator.locateManyAt(points, times),
    onProgress: progressLine(),
    signal: cancel.signal,
  }).finally(() => process.off('SIGINT', onSignal).off('SIGTERM', onSignal));
  if (o.json) console.log(JSON.stringify({ ...report, caseIds: undefined, skippedFor: report.skipped ? skippedFor(report) : {} }, null, 2));
  else printReport(report);
  return report;
}
