import { readFileSync } from 'node:fs';
import type { Db } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { LocatorService } from '../../geo/locator.service.js';
import { basename } from 'node:path';
import { beginImport, importCases, recoverImports, type ImportReport } from './import.service.js';
import { decodeCsv } from './import.routes.js';
import { IMPORT_FIELDS } from './rows.js';
import { timeLeftMs, type ProgressSample } from '../../../../shared/evaluation/progress.js';

/**
 * `onegrid import cases <file.csv> --map column=field …`: the historical import from the command
 * line, with a progress line on stderr and the row-level report on stdout. Exit code 1 when rows
 * are invalid (and nothing was written, unless --skip-invalid).
 */
export interface ImportCommandOptions {
  map?: string[];
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

export function printReport(r: ImportReport, log: (line: string) => void = console.log): void {
  for (const p of r.problems.slice(0, 50)) log(`  line ${p.line}${p.field ? ` [${p.field}]` : ''}: ${p.message}`);
  if (r.problemCount > 50) log(`  … and ${r.problemCount - 50} more problems`);
  if (r.status === 'invalid') log(`Nothing imported: ${r.problemCount} problem(s) in ${r.total} rows. Fix them, or pass --skip-invalid to import the ${r.valid} valid rows.`);
  else log(`Imported ${r.imported} of ${r.total} rows${r.skipped ? ` (${r.skipped} skipped)` : ''}.`);
}

export async function importCasesCommand(db: Db, file: string, o: ImportCommandOptions): Promise<void> {
  const pairs = o.map ?? [];
  const bad = pairs.find((p) => !(IMPORT_FIELDS as readonly string[]).includes(p.slice(p.lastIndexOf('=') + 1).trim()));
  if (bad) throw new AppError('validation_failed', `"${bad}" is not column=field (fields: ${IMPORT_FIELDS.join(', ')})`);
  let text: string;
  try {
    text = decodeCsv(readFileSync(file));
  } catch (e) {
    throw new AppError('import_failed', `${file} cannot be read: ${(e as Error).message}`);
  }
  // an import a stopped process left is undone first (its row says so in the admin screen's list)
  for (const id of await recoverImports(db, Date.now())) console.error(`import ${id}, left unfinished by a stopped process, was undone`);
  const locator = new LocatorService(db);
  const importId = await beginImport(db, { fileName: basename(file), createdBy: null, now: Date.now() });
  // Ctrl-C: the import stops after the chunk it is writing and undoes itself
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const report = await importCases(db, text, pairs, {
    importId,
    skipInvalid: !!o.skipInvalid,
    now: Date.now(),
    locate: (points, times) => locator.locateManyAt(points, times),
    onProgress: progressLine(),
    signal: cancel.signal,
  }).finally(() => process.off('SIGINT', onSignal).off('SIGTERM', onSignal));
  if (o.json) console.log(JSON.stringify({ ...report, caseIds: undefined }, null, 2));
  else printReport(report);
  if (report.status === 'invalid') process.exitCode = 1;
}
