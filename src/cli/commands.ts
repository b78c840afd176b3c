import { InvalidArgumentError, Option, type Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { IMPORT_FIELDS, splitMapPair } from '../shared/evaluation/import-headers.js';
import { LAYERS, type Layer } from '../shared/geo.js';
import { AppError } from '../server/platform/errors.js';
import { sourceSystemOf } from '../server/modules/evaluation/import/system.js';
import { config, SKIPPED_EXIT, withDb } from './db.js';

/**
 * Numbers on the command line are read strictly: Number() would take `1e0` for 1, `0x10` for 16 and
 * an empty argument for 0, so a slip of the keyboard could act on another object than the one meant.
 * Commander reports a refused value naming the argument, and exits with USAGE_EXIT (index.ts).
 */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('Give a whole number in digits.');
  return Number(value);
}

/** A number that may have a decimal part (0.5), in digits. */
export function decimalNumber(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(Number(value))) throw new InvalidArgumentError('Give a number in digits, such as 2 or 0.5.');
  return Number(value);
}

/** A source system's name (`import cases --system`), refused as a bad argument as the upload refuses it. */
function systemName(value: string): string | null {
  try {
    return sourceSystemOf(value);
  } catch (e) {
    if (e instanceof AppError) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

/** `import cases --map column=field …`, each pair refused as a bad argument when it is not one (exit code 2), before the file is read. */
function mapPairs(value: string, previous: string[] | undefined): string[] {
  if (!splitMapPair(value)) throw new InvalidArgumentError(`"${value}" is not column=field (fields: ${IMPORT_FIELDS.join(', ')}).`);
  return [...(previous ?? []), value];
}

/** The sizes `demo --cases` takes (a number of reports in digits); the demo's plan says which it can build. */
const DEMO_CASES = /^(full|quick|off|\d+)$/;

/** The geo module's grid services, loaded when a grids command runs. */
const gridServices = () => import('../server/modules/geo/grids.service.js');

/** Commands of the domain modules: demo, grids, cases, … */
export function registerExtraCommands(program: Command): void {
  const grids = program.command('grids').description('Grids: import, coverage check, export');
  grids
    .command('import <file>')
    .description('Import grids from a GeoJSON FeatureCollection (properties code, name, community_code); nothing is imported when a feature is invalid')
    .option('--skip-invalid', 'import the valid features and report the skipped ones')
    .option('--retire-missing', 'the file redraws each community it names: retire that community\'s grids the file leaves out')
    .option('--merge <codes>', 'with --retire-missing: comma-separated communities merged into the file\'s communities of their street (社区合并), retired with all their grids')
    .action(async (file: string, o: { skipInvalid?: boolean; retireMissing?: boolean; merge?: string }) => {
      let fc: unknown;
      try {
        fc = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new AppError('import_failed', `${file} is not readable JSON: ${(e as Error).message}`);
      }
      const { importGrids } = await gridServices();
      await withDb(async ({ db }) => {
        const mergeCommunities = o.merge?.split(',').map((c) => c.trim()).filter(Boolean) ?? [];
        const r = await importGrids(db, { actor: null, now: Date.now(), ip: 'cli' }, fc, { skipInvalid: !!o.skipInvalid, retireMissing: !!o.retireMissing, mergeCommunities });
        const also = [r.revived ? `${r.revived} of them back in use` : '', r.reshaped ? `${r.reshaped} of them with a new outline` : ''].filter(Boolean);
        console.log(`Imported ${r.imported} grids (${r.inserted} new, ${r.updated} updated${also.map((a) => `, ${a}`).join('')}).`);
        if (r.retired.length > 0) console.log(`Retired ${r.retired.length} grids the file leaves out:`);
        for (const g of r.retired) {
          const left = [
            g.openCases ? `${g.openCases} open cases finish there` : '', g.teamMembers ? `${g.teamMembers} team members still assigned` : '',
            g.grants ? `${g.grants} roles still granted on it` : '',
          ].filter(Boolean);
          console.log(`  ${g.code} ${g.name}${left.length ? ` — ${left.join('; ')}` : ''}`);
        }
        if (r.retiredCommunities.length > 0) console.log(`Merged and retired ${r.retiredCommunities.length} communities:`);
        for (const c of r.retiredCommunities) {
          const left = [c.openCases ? `${c.openCases} open cases finish in its grids` : '', c.grants ? `${c.grants} roles still granted on it` : ''].filter(Boolean);
          console.log(`  ${c.code} ${c.name}${left.length ? ` — ${left.join('; ')}` : ''}`);
        }
        for (const p of r.skipped) console.log(`  skipped feature ${p.index}${p.code ? ` (${p.code})` : ''}: ${p.reason} — ${p.message}`);
      });
    });
  grids
    .command('check')
    .description('Coverage check: overlaps between grids and gaps against the district boundary (exit code 1 on problems)')
    .option('--sliver <m2>', 'problems smaller than this many m² are reported as slivers and do not fail', decimalNumber, 1)
    .option('--json', 'print the full report as JSON')
    .action(async (o: { sliver: number; json?: boolean }) => {
      const { coverageOf } = await gridServices();
      await withDb(async ({ db }) => {
        const r = await coverageOf(db, o.sliver);
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(`${r.gridCount} grids; district ${(r.boundaryAreaM2 / 1e6).toFixed(3)} km², grids ${(r.gridsAreaM2 / 1e6).toFixed(3)} km²`);
          for (const x of r.overlaps) console.log(`  overlap ${x.a} × ${x.b}: ${x.areaM2.toFixed(1)} m² at ${x.location.map((v) => v.toFixed(6)).join(',')}${x.sliver ? ' (sliver)' : ''}`);
          for (const x of r.gaps) console.log(`  gap: ${x.areaM2.toFixed(1)} m² at ${x.location.map((v) => v.toFixed(6)).join(',')}${x.sliver ? ' (sliver)' : ''}`);
          for (const x of r.outside) console.log(`  outside the district: ${x.areaM2.toFixed(1)} m² at ${x.location.map((v) => v.toFixed(6)).join(',')}${x.sliver ? ' (sliver)' : ''}`);
          console.log(`Verdict: ${r.verdict === 'ok' ? 'ok — the grids tile the district' : 'problems found'}`);
        }
        if (r.verdict !== 'ok') process.exitCode = 1;
      });
    });
  grids
    .command('export <file>')
    .description('Export a layer as GeoJSON (grids in the import format; streets and communities as their own layers)')
    .addOption(new Option('--layer <layer>', 'the layer').choices(LAYERS).default('grids'))
    .action(async (file: string, o: { layer: Layer }) => {
      const { exportLayer } = await gridServices();
      await withDb(async ({ db }) => {
        const fc = await exportLayer(db, o.layer, null);
        writeFileSync(file, JSON.stringify(fc));
        console.log(`Wrote ${fc.features.length} ${o.layer} to ${file}.`);
      });
    });

  program
    .command('demo')
    .description('Build the Tongzhou demo district into an empty database')
    .option('--seed <n>', 'seed of the generator (reproducible output)', wholeNumber, 1)
    .option('--quick', 'a twentieth of the year 2013 (1,409 reports), for tests and trials')
    .option('--cases <size>', 'the year 2013: full (28,172 reports), quick, off, or a number of reports (default: ONEGRID_DEMO_CASES, else full)')
    .action(async (o: { seed: number; quick?: boolean; cases?: string }, command: Command) => {
      const cases = o.quick ? 'quick' : o.cases;
      const { demoYearTargets } = await import('../server/modules/evaluation/demo/plan.js');
      // a size it does not know is refused as a bad argument, before anything is written
      const badCases = `error: --cases must be full, quick, off or a number of reports, not ${cases}`;
      if (cases !== undefined && !DEMO_CASES.test(cases)) command.error(badCases);
      try {
        if (cases !== undefined) demoYearTargets(cases);
      } catch {
        command.error(badCases);
      }
      config(); // a bad setting is told before the demo's modules load
      const [{ databaseIsEmpty, runDemo }] = await Promise.all([import('../server/demo/index.js'), import('../server/demo/steps.js')]);
      await withDb(async ({ db }) => {
        if (!(await databaseIsEmpty(db))) throw new Error('The database is not empty; the demo is built into an empty database only.');
        const t0 = performance.now();
        const r = await runDemo(db, { seed: o.seed, cases, log: (l) => console.log(l) });
        console.log(`Demo built in ${((performance.now() - t0) / 1000).toFixed(1)} s. Accounts (password "${r.password}"): ${r.accounts.map((a) => a.username).join(', ')}`);
      }, { create: true });
    });

  // ── evaluation (综合评价): historical import of cases from other systems ─────────────────────
  program
    .command('import')
    .description('Import data from other systems')
    .command('cases <file>')
    .description('Import historical cases from a CSV (dates, category, status, department, location, source); nothing is imported when a row is invalid')
    .option('--map <column=field...>', 'which column holds which field: external_id, reported_at, category, status, department, lon, lat, grid, address, description, source, dispatched_at, handled_at, closed_at, reporter_name (columns named like a field map themselves)', mapPairs)
    .option('--no-guess', 'map only the columns --map names (a column named like a field but holding something else, a row counter called 编号, say)')
    .option('--system <name>', 'the system the file comes from (12345热线, 数字城管 …): its numbers (external_id) are compared with those imported from the same system only; without it, with those of every import given none', systemName)
    .option('--skip-invalid', `import the valid rows and report the invalid ones (exit code ${SKIPPED_EXIT} when rows were skipped)`)
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { map?: string[]; guess?: boolean; system?: string | null; skipInvalid?: boolean; json?: boolean }) => {
      const { importCasesCommand } = await import('../server/modules/evaluation/import/import.cli.js');
      const report = await withDb(({ db }) => importCasesCommand(db, file, o));
      // 0: every row went in; 1: nothing did, for the file's problems; SKIPPED_EXIT: in, without the rows skipped
      if (report.status === 'invalid') process.exitCode = 1;
      else if (report.skipped > 0) {
        console.error(`${report.skipped.toLocaleString('en')} of ${report.total.toLocaleString('en')} rows skipped (exit code ${SKIPPED_EXIT})`);
        process.exitCode = SKIPPED_EXIT;
      }
    });
  program
    .command('evaluation')
    .description('Evaluation (综合评价) upkeep')
    .command('recount')
    .description('Count the cases whose latest events the figures have yet to take in; with --all, recount every figure from the case events (for an idle system)')
    .option('--all', 'empty the figures and recount them all from the case events')
    .action(async (o: { all?: boolean }) => {
      const { catchUpAll, rebuildStats } = await import('../server/modules/evaluation/index.js');
      await withDb(async ({ db }) => {
        const t0 = performance.now();
        const counted = o.all
          ? (await rebuildStats(db, { onProgress: (n) => process.stderr.write(`\r${n.toLocaleString('en')} cases recounted`) })).cases
          : await catchUpAll(db);
        if (o.all) process.stderr.write('\n');
        console.log(`${counted.toLocaleString('en')} cases counted in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
      });
    });
  // ── end of evaluation ───────────────────────────────────────────────────────────────────────
}
