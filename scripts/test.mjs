#!/usr/bin/env node
// npm test: the whole suite. Server tests on SQLite, again on PostgreSQL when ONEGRID_TEST_PG is
// set, and the browser journeys against the built web app.
//
// The two server passes run at the same time (each database of each test file is its own, so they
// cannot meet); a PostgreSQL pass spends much of its time waiting for the database server, which
// leaves a core to the SQLite pass. The browser journeys (their own SQLite files) start when the
// SQLite pass ends, beside what is left of the PostgreSQL pass. Each pass's output is kept and
// printed whole when it ends.
import { spawn, spawnSync } from 'node:child_process';

const extra = process.argv.slice(2);
const before = [
  { name: 'typecheck server', cmd: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'typecheck web', cmd: ['npx', 'tsc', '-p', 'tsconfig.web.json', '--noEmit'] },
  { name: 'web unit tests', cmd: ['npx', 'vitest', 'run', '--project', 'web'] },
  { name: 'build web', cmd: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
];
// the default reporter, and at the end the tests that passed only when tried again (CI tries once more)
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

function runInline(step) {
  console.log(`\n=== ${step.name} ===`);
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: envOf(step) });
  if (r.status !== 0) failed.push(step.name);
}

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

for (const step of before) runInline(step);
if (together.length) {
  console.log(`\n=== ${[...together, ...after].map((s) => s.name).join(', ')} (the first two at the same time, the journeys when the first ends; each printed when it ends) ===`);
  const [first, ...others] = together.map(runKept);
  const runs = [first, ...others, ...after.map((step) => first.then(() => runKept(step)))];
  const results = await Promise.all(runs);
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
