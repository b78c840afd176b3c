#!/usr/bin/env node
// npm test: the whole suite. Server tests on SQLite, again on PostgreSQL when ONEGRID_TEST_PG is
// set, and the browser journeys against the built web app.
//
// Everything runs beside everything else it does not depend on, since the machine's cores are the
// limit: the two server passes start at once (each database of each test file is its own, so they
// cannot meet; a PostgreSQL pass spends much of its time waiting for the database server), and
// beside them, one after another, the web build and the checks (type checks, web unit tests). The
// browser journeys (their own SQLite files) start when the SQLite pass and the web build have ended,
// beside what is left of the rest. Each run's output is kept and printed whole at the end.
import { spawn } from 'node:child_process';

const extra = process.argv.slice(2);
// the web build first (the journeys need it), then the checks, one at a time beside the passes
const beside = [
  { name: 'build web', cmd: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
  // the server's sources with their tests, the journeys and the benchmarks (tsconfig.json builds the sources alone)
  { name: 'typecheck server and tests', cmd: ['npx', 'tsc', '-p', 'tsconfig.test.json'] },
  { name: 'typecheck web', cmd: ['npx', 'tsc', '-p', 'tsconfig.web.json', '--noEmit'] },
  { name: 'web unit tests', cmd: ['npx', 'vitest', 'run', '--project', 'web'] },
];
// the default reporter, and at the end the tests that passed only when tried again (CI tries once more;
// a failed browser journey is run once more whole, after the rest, and named likewise)
const reporters = ['--reporter=default', '--reporter=./scripts/retried-reporter.mjs'];
const together = [
  { name: 'server tests on SQLite', cmd: ['npx', 'vitest', 'run', '--project', 'server', ...reporters, ...extra], env: { ONEGRID_TEST_DB: 'sqlite' } },
];
if (process.env.ONEGRID_TEST_PG) {
  together.push({ name: 'server tests on PostgreSQL', cmd: ['npx', 'vitest', 'run', '--project', 'server', ...reporters, ...extra], env: { ONEGRID_TEST_DB: 'postgres' } });
} else {
  console.log('ONEGRID_TEST_PG is not set: the PostgreSQL pass is skipped (CI always sets it).');
}
const after = process.env.ONEGRID_SKIP_E2E !== '1' ? [{ name: 'browser journeys', cmd: ['npx', 'vitest', 'run', '--project', 'e2e'] }] : [];

const failed = [];
/** What a failed pass said about its failures, printed again at the very end where a short log shows it. */
const failures = [];
/** The tests each pass tried again, printed again at the very end too. */
const notes = [];

/** A run's output without its colours. */
const plain = (output) => output.replace(/\x1b\[[0-9;]*m/g, '');

/** The part of a vitest run's output that says what failed (its summary of failed tests and errors), at most 150 lines. */
function failurePart(output) {
  const lines = plain(output).split('\n');
  const from = lines.findIndex((l) => /Failed Tests \d+|Unhandled Errors?|Failed Suites \d+/.test(l));
  const part = from === -1 ? lines.slice(-60) : lines.slice(from, from + 150);
  return part.join('\n');
}
const envOf = (step) => ({ ...process.env, ...step.env });

/** Runs a step with its output kept; resolves with the output and whether it passed. */
function runKept(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.cmd[0], step.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...envOf(step), FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => resolve({ step, ok: code === 0, output: Buffer.concat(chunks).toString(), seconds: (Date.now() - started) / 1000, signal }));
  });
}

{
  const names = [...together, ...beside, ...after].map((s) => s.name);
  console.log(`\n=== ${names.join(', ')} (the server passes at once, beside them the web build and the checks one after another, the journeys when the SQLite pass and the web build have ended; each printed whole at the end) ===`);
  const [first, ...others] = together.map(runKept);
  // the build and the checks one after another, each started when the one before has ended
  const besideRuns = [];
  for (const step of beside) besideRuns.push((besideRuns.at(-1) ?? Promise.resolve()).then(() => runKept(step)));
  const built = besideRuns[0];
  const notRun = (step, why) => ({ step, ok: false, output: `not run: ${why}\n`, seconds: 0 });
  const journeys = after.map((step) => Promise.all([first, built]).then(([, b]) => (b.ok ? runKept(step) : notRun(step, 'the web build failed'))));
  const results = await Promise.all([...besideRuns, first, ...others, ...journeys]);
  // CI tries a failed journey once more, alone, once everything else has ended (a journey is one
  // long test against a server of its own: it is run again whole, from a new server), and says so
  for (const [i, r] of results.entries()) {
    if (r.ok || !process.env.CI || !after.includes(r.step)) continue;
    const files = [...new Set(plain(r.output).match(/e2e\/[\w.-]+\.e2e\.ts/g) ?? [])].filter((f) => new RegExp(`FAIL .*${f.replace(/\./g, '\\.')}`).test(plain(r.output)));
    if (files.length === 0) continue;
    const again = await runKept({ ...r.step, cmd: [...r.step.cmd, ...files] });
    notes.push(`--- ${r.step.name}: journeys tried again (${again.ok ? 'passed' : 'failed again'}): ${files.join(', ')}\n${failurePart(r.output)}`);
    results[i] = { ...again, seconds: r.seconds + again.seconds, output: `${r.output}\n=== tried again: ${files.join(', ')} ===\n${again.output}` };
  }
  for (const r of results) {
    console.log(`\n=== ${r.step.name} (${r.seconds.toFixed(0)} s) ===`);
    process.stdout.write(r.output);
    // what scripts/retried-reporter.mjs printed at the end of the pass
    const retried = plain(r.output).split('\nTests tried again')[1];
    if (retried) notes.push(`--- ${r.step.name}: tests tried again${retried.trimEnd()}`);
    if (!r.ok) {
      failed.push(r.step.name + (r.signal ? ` (${r.signal})` : ''));
      failures.push(`--- ${r.step.name}: what failed ---\n${failurePart(r.output)}`);
    }
  }
}
for (const n of notes) console.log(`\n${n}`);

if (failed.length) {
  for (const f of failures) console.error(`\n${f}`);
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nAll test passes succeeded.');
