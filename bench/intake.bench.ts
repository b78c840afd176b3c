/**
 * Case intake over HTTP: `POST /api/cases` (API key auth, point → grid, category, due time on the
 * working calendar, case number, the case row and its first case_events row in one transaction,
 * and the duplicate check when one is registered) against a bare route in the same server that
 * only validates the same body and inserts one row. On SQLite, then on PostgreSQL.
 *
 *   npx tsx bench/intake.bench.ts                  (50 connections, 20 s per route and database)
 *   npx tsx bench/intake.bench.ts --duration 5     (a quick run)
 *   npx tsx bench/intake.bench.ts --only sqlite    (or postgres)
 *   npx tsx bench/intake.bench.ts --core-only      (without the evaluation's marks, the inbox, duplicates and dispatch rules, to see their share)
 *   npx tsx bench/intake.bench.ts --without evaluation,inbox   (some of them: evaluation, inbox, duplicates, dispatch)
 *   npx tsx bench/intake.bench.ts --profile DIR    (the server writes a V8 CPU profile into DIR)
 *   npx tsx bench/intake.bench.ts --allocations DIR   (the server writes a sampled profile of every allocation, collected or not, into DIR)
 *   EVALUATION_THREAD=off npx tsx bench/intake.bench.ts   (the evaluation counted in the server's thread)
 *   npx tsx bench/intake.bench.ts --tool autocannon   (the load from autocannon even where wrk is installed: see below)
 *
 * PostgreSQL: ONEGRID_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 * database is created and dropped. The server runs in a child process so the load generator does
 * not share its event loop; both share the machine's cores, as in the reference baselines.
 *
 * The load generator: wrk (`apt-get install wrk`), one thread, where it is installed, else autocannon.
 * autocannon runs in this Node process and takes a good part of one of the two cores at these rates;
 * wrk sends the same bodies from a Lua script at a fraction of that CPU. wrk runs one thread: with
 * two, its threads, the server's and the catch-up's share two cores, and a wrk thread waiting for a
 * core delays the answers it has not yet read (client-side tails of 100–600 ms while the server
 * held no report longer than 65 ms). The bench prints the server's own time per report beside
 * the client's latencies, so the two can be told apart. The table says which tool ran.
 *
 * Targets (2-core machine): ≥ 1,500 reports/s on SQLite, p99 ≤ 50 ms, ratio to the bare route ≥ 0.4.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { args, flag, PG_URL } from './args.js';

const here = fileURLToPath(import.meta.url);
const DURATION = Number(flag('duration') ?? 20);
const CONNECTIONS = Number(flag('connections') ?? 50);
const TOOL = flag('tool') ?? (spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk');
if (TOOL !== 'autocannon' && TOOL !== 'wrk') throw new Error(`--tool is autocannon or wrk, not ${TOOL}`);

// the district: 100 grids of 0.005° in a 10 × 10 block of one community
const X0 = 116.6, Y0 = 39.8, STEP = 0.005, N = 10;
const COMMUNITY = '110112001006';
// every sub-category of the shipped tree, so the duplicate check sees realistic neighbours
const CATEGORIES: string[] = JSON.parse(readFileSync(new URL('../data/categories.json', import.meta.url), 'utf8'))
  .classes.flatMap((c: { subcategories: { code: string }[] }) => c.subcategories.map((s) => s.code));

async function serve(dialect: 'sqlite' | 'postgres'): Promise<void> {
  process.env.ONEGRID_TEST_DB = dialect;
  process.env.ONEGRID_TEST_PG ??= PG_URL;
  const { z } = await import('zod');
  const { loadConfig } = await import('../src/server/config.js');
  const { buildApp } = await import('../src/server/app.js');
  const { openDatabase } = await import('../src/server/platform/db.js');
  const { migrateToLatest } = await import('../src/server/db/migrator.js');
  const { seedDepartments, seedTongzhouDivisions, TONGZHOU_CODE } = await import('../src/server/demo/base.js');
  const { createDemoAccounts, demoAccounts } = await import('../src/server/demo/accounts.js');
  const { createApiKey } = await import('../src/server/modules/people/users.service.js');
  const { importGrids } = await import('../src/server/modules/geo/grids.service.js');
  const { setDivisionShape } = await import('../src/server/modules/geo/grids.repo.js');
  const { bboxOf, multiPolygonAreaM2 } = await import('../src/server/modules/geo/geometry/index.js');
  const { PublicReportSchema } = await import('../src/server/modules/cases/cases.schemas.js');
  const { createTestDatabase } = await import('../test/support/db.js');

  const tdb = await createTestDatabase();
  const config = loadConfig({ ONEGRID_DATA_DIR: tdb.dataDir, LOG_LEVEL: 'silent', ONEGRID_DEMO: 'off', EVALUATION_THREAD: process.env.EVALUATION_THREAD, CHECKPOINT_THREAD: process.env.CHECKPOINT_THREAD });
  config.database = tdb.database;
  const dbh = openDatabase(config.database);
  await migrateToLatest(dbh.db);
  const now = Date.now();
  await seedTongzhouDivisions(dbh.db, now);
  await seedDepartments(dbh.db, TONGZHOU_CODE, [{ code: 'CG', name: '区城管执法局', nameEn: 'City management' }], now);
  await createDemoAccounts(dbh.db, demoAccounts({ district: TONGZHOU_CODE, street: '110112001', community: COMMUNITY, grid: null, department: 'CG' }), now);
  const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
  const boundary = [square(X0, Y0, X0 + N * STEP, Y0 + N * STEP)];
  await setDivisionShape(dbh.db, TONGZHOU_CODE, { polygon: boundary, bbox: bboxOf(boundary), areaM2: multiPolygonAreaM2(boundary) }, now);
  const features = [];
  for (let i = 0; i < N * N; i++) {
    const x = X0 + (i % N) * STEP, y = Y0 + Math.floor(i / N) * STEP;
    features.push({ type: 'Feature', properties: { code: `${COMMUNITY}${String(i + 1).padStart(3, '0')}`, name: `网格${i + 1}`, community_code: COMMUNITY }, geometry: { type: 'Polygon', coordinates: square(x, y, x + STEP, y + STEP) } });
  }
  await importGrids(dbh.db, { actor: null, now }, { type: 'FeatureCollection', features }, { skipInvalid: false });
  const key = await createApiKey(dbh.db, { actor: null, now }, { name: 'bench', role: 'district_dispatcher', divisionCode: TONGZHOU_CODE, departmentCode: null });

  const app = await buildApp(config, { dbh, migrate: false, logger: false });
  // --core-only, or --without with some of evaluation,inbox,duplicates: hooks left out to see their share
  const without = process.argv.includes('--core-only') ? ['evaluation', 'inbox', 'duplicates', 'dispatch'] : (flag('without') ?? '').split(',');
  const services = app.ctx.services as Record<string, unknown[] | unknown>;
  const hookOf: Record<string, string> = { evaluation: 'markCasePending', inbox: 'notifyWithEvent', dispatch: 'autoDispatchAfterChange' };
  const listenerOf: Record<string, string> = { evaluation: 'scheduleCatchUp', dispatch: 'autoDispatchAfterChange' };
  const keep = (list: unknown, names: Record<string, string>) => (list as ((...a: unknown[]) => unknown)[] | undefined)
    ?.filter((f) => !without.some((w) => names[w] && String(f).includes(names[w]!)));
  services.caseEventHooks = keep(services.caseEventHooks, hookOf);
  services.caseListeners = keep(services.caseListeners, listenerOf);
  if (without.includes('duplicates')) delete services.caseDuplicates;
  // the baseline: the same body validated, one row inserted, nothing else (registered only here)
  await dbh.db.schema.createTable('bench_bare').ifNotExists()
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull()).addColumn('lon', 'double precision').addColumn('lat', 'double precision')
    .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
  app.post('/bench/bare', {
    schema: { hide: true, body: PublicReportSchema, response: { 201: z.object({ id: z.number() }) } },
  }, async (req, reply) => {
    const body = req.body as { description: string; lon?: number; lat?: number };
    const row = await (dbh.db as any).insertInto('bench_bare').values({ description: body.description, lon: body.lon ?? null, lat: body.lat ?? null, created_at: Date.now() }).returning('id').executeTakeFirstOrThrow();
    return reply.code(201).send({ id: Number(row.id) });
  });
  // how long the server's event loop was held up, reset before each measured run
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // how long the server held each report, from its first byte read to its answer written (µs)
  const { createHistogram } = await import('node:perf_hooks');
  const held = createHistogram();
  app.addHook('onResponse', async (req, reply) => {
    if (req.url === '/api/cases') held.record(Math.max(1, Math.round(reply.elapsedTime * 1000)));
  });
  app.get('/bench/loop', { schema: { hide: true } }, async () => {
    const out = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, held: held.count ? { p50: held.percentile(50) / 1e3, p99: held.percentile(99) / 1e3, p999: held.percentile(99.9) / 1e3, max: held.max / 1e3 } : null };
    delay.reset();
    held.reset();
    return out;
  });
  // --allocations DIR: what the reports allocate, including what the collector has already freed
  const allocations = flag('allocations');
  let session: import('node:inspector/promises').Session | null = null;
  if (allocations) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, apiKey: key.key })}`);
  const stop = async () => {
    const cases = await dbh.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const events = await dbh.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(`ROWS ${JSON.stringify({ cases: Number(cases.n), events: Number(events.n) })}`);
    if (session) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      const { writeFileSync: write } = await import('node:fs');
      write(`${allocations}/intake-${dialect}-${process.pid}.heapprofile`, JSON.stringify(profile));
    }
    await app.close();
    await dbh.close();
    await tdb.drop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

function startServer(dialect: string): Promise<{ child: ChildProcess; url: string; apiKey: string; rows: Promise<string> }> {
  const extra = [...(args.includes('--core-only') ? ['--core-only'] : []), ...(flag('without') ? ['--without', flag('without')!] : []), ...(flag('allocations') ? ['--allocations', flag('allocations')!] : [])];
  const profile = flag('profile'); // a directory: the server writes a V8 CPU profile there when it stops
  const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), '--import', 'tsx', here, '--serve', dialect, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout! });
  let resolveRows: (s: string) => void;
  const rows = new Promise<string>((r) => (resolveRows = r));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server for ${dialect} exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve({ child, rows, ...JSON.parse(line.slice(6)) });
      else if (line.startsWith('ROWS ')) resolveRows(line.slice(5));
      else console.log(`  [server] ${line}`);
    });
  });
}

let seed = 1;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}

/**
 * The same load from wrk: its Lua script builds each body like reportBody (same area, categories,
 * description and address; its own random numbers per thread) and reports in autocannon's shape.
 */
async function wrk(url: string, apiKey: string, seconds: number): Promise<{ '2xx': number; non2xx: number; errors: number; timeouts: number; statusCodeStats?: unknown; latency: { p50: number; p99: number; p99_9: number; max: number } }> {
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-wrk-'));
  const script = join(dir, 'report.lua');
  writeFileSync(script, `
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer ${apiKey}"
local categories = { ${CATEGORIES.map((c) => `"${c}"`).join(', ')} }
local thread_no = 0
function setup(thread) thread_no = thread_no + 1; thread:set("seed", thread_no) end
function init(args) math.randomseed(seed * 7919) end
function request()
  local body = string.format('{"lon":%.7f,"lat":%.7f,"description":"压测上报：占道经营 %d","category_code":"%s","address":"通州区新华西街"}',
    ${X0} + math.random() * ${N * STEP * 0.999}, ${Y0} + math.random() * ${N * STEP * 0.999}, math.random(0, 999999), categories[math.random(1, #categories)])
  return wrk.format(nil, nil, nil, body)
end
local failures = 0
function response(status, headers, body)
  if status >= 300 and failures < 3 then failures = failures + 1; io.write("FAILED " .. status .. " " .. body .. "\\n") end
end
function done(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %d %.3f %.3f %.3f %.3f\\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
`);
  try {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('wrk', ['-t', '1', '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, url], (e, stdout, stderr) => (e ? reject(new Error(`wrk: ${e.message} ${stderr}`)) : resolve(stdout))));
    const line = out.split('\n').find((l) => l.startsWith('WRK '));
    if (!line) throw new Error(`wrk printed no result: ${out}`);
    for (const failed of out.split('\n').filter((l) => l.startsWith('FAILED '))) console.log(`  ${failed}`);
    const [requests, status, errors, timeouts, p50, p99, p999, max] = line.slice(4).split(' ').map(Number) as number[];
    // wrk counts a non-2xx/3xx answer as a status error; none of these routes answer 3xx
    return { '2xx': requests! - status!, non2xx: status!, errors: errors!, timeouts: timeouts!, latency: { p50: Math.round(p50!), p99: Math.round(p99!), p99_9: Math.round(p999!), max: Math.round(max!) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function reportBody(): string {
  return JSON.stringify({
    lon: X0 + random() * N * STEP,
    lat: Y0 + random() * N * STEP,
    description: `压测上报：占道经营 ${Math.floor(random() * 1e6)}`,
    category_code: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
    address: '通州区新华西街',
  });
}

interface Run {
  rps: number; p50: number; p99: number; p999: number; max: number; ok: number; errors: number; cpuMs: number | null; mainMs: number | null;
  /** the server's event-loop delay during the run, and how long it held each report (first byte read to answer written), ms */
  loop: { p50: number; p99: number; max: number; held: { p50: number; p99: number; p999: number; max: number } | null } | null;
}

/** CPU time (user + system, ms) the server process has used so far; null where /proc is missing. */
function cpuOf(pid: number | undefined, thread = false): number | null {
  try {
    // the process (every thread), or its main thread alone (the one answering requests)
    const fields = readFileSync(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime in clock ticks (100/s)
  } catch {
    return null;
  }
}

async function load(url: string, path: string, apiKey: string, seconds: number, pid?: number): Promise<Run> {
  const cpu0 = cpuOf(pid);
  const main0 = cpuOf(pid, true);
  await fetch(url + '/bench/loop');
  const result = TOOL === 'wrk' ? await wrk(url + path, apiKey, seconds) : await autocannon({
    url: url + path,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: reportBody() }) }],
  });
  const ok = result['2xx'];
  const errors = result.non2xx + result.errors + result.timeouts;
  if (errors) console.log(`  ${path}: ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodeStats ?? {})}, ${result.errors} errors, ${result.timeouts} timeouts`);
  const cpu1 = cpuOf(pid);
  const main1 = cpuOf(pid, true);
  const loop = await (await fetch(url + '/bench/loop')).json() as Run['loop'];
  // the server's CPU per answered request: unlike requests per second, it hardly moves when other work shares the cores
  const cpuMs = cpu0 !== null && cpu1 !== null && ok > 0 ? (cpu1 - cpu0) / ok : null;
  const mainMs = main0 !== null && main1 !== null && ok > 0 ? (main1 - main0) / ok : null;
  return { rps: ok / seconds, p50: result.latency.p50, p99: result.latency.p99, p999: result.latency.p99_9, max: result.latency.max, ok, errors, cpuMs, mainMs, loop };
}

async function bench(dialect: 'sqlite' | 'postgres') {
  const server = await startServer(dialect);
  try {
    const warm = Math.min(3, DURATION);
    const profiling = flag('profile') !== undefined || flag('allocations') !== undefined; // the profile shows reports only: the bare route is left out
    if (!profiling) await load(server.url, '/bench/bare', server.apiKey, warm);
    await load(server.url, '/api/cases', server.apiKey, warm);
    const bare = profiling ? { rps: NaN, p50: NaN, p99: NaN, p999: NaN, max: NaN, ok: 0, errors: 0, cpuMs: null, mainMs: null, loop: null } : await load(server.url, '/bench/bare', server.apiKey, DURATION, server.child.pid);
    const intake = await load(server.url, '/api/cases', server.apiKey, DURATION, server.child.pid);
    return { dialect, bare, intake, ratio: intake.rps / bare.rps };
  } finally {
    server.child.kill('SIGTERM');
    const rows = await Promise.race([server.rows, new Promise((r) => setTimeout(() => r('?'), 15_000))]);
    if (rows === '?') server.child.kill('SIGKILL');
    // the server drops its database (and writes a profile) as it exits; this process's exit would kill it first
    else if (server.child.exitCode === null) await Promise.race([new Promise((r) => server.child.once('exit', r)), new Promise((r) => setTimeout(r, 15_000))]);
    console.log(`  ${dialect}: rows written ${rows}`);
  }
}

async function main() {
  if (args[0] === '--serve') return serve(args[1] as 'sqlite' | 'postgres');
  const only = flag('only');
  const dialects = (['sqlite', 'postgres'] as const).filter((d) => !only || d === only);
  console.log(`intake bench: ${TOOL}, ${CONNECTIONS} connections, ${DURATION} s per route, 100 grids, ${CATEGORIES.length} categories${args.includes('--core-only') ? ', core only (no inbox, no duplicate check)' : ''}`);
  const rows = [];
  for (const d of dialects) {
    try {
      rows.push(await bench(d));
    } catch (e) {
      console.log(`  ${d}: skipped (${(e as Error).message})`);
    }
  }
  const ms = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  console.log('\n| database | POST /api/cases reports/s | p50 ms | p99 ms | errors | server CPU ms/report (main thread) | bare route req/s | bare p99 ms | bare CPU ms/req (main thread) | ratio |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.dialect} | ${r.intake.rps.toFixed(0)} | ${r.intake.p50} | ${r.intake.p99} | ${r.intake.errors} | ${ms(r.intake.cpuMs)} (${ms(r.intake.mainMs)}) | ${r.bare.rps.toFixed(0)} | ${r.bare.p99} | ${ms(r.bare.cpuMs)} (${ms(r.bare.mainMs)}) | ${r.ratio.toFixed(2)} |`);
  }
  for (const r of rows) {
    const l = r.intake.loop;
    console.log(`${r.dialect}: reports' latency at the client: p99.9 ${r.intake.p999} ms, max ${r.intake.max} ms`);
    if (l) console.log(`${r.dialect}: the server's event loop held up during the reports: p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`);
    if (l?.held) console.log(`${r.dialect}: the server held a report (first byte read to answer written): p50 ${l.held.p50.toFixed(1)} ms, p99 ${l.held.p99.toFixed(1)} ms, p99.9 ${l.held.p999.toFixed(1)} ms, max ${l.held.max.toFixed(1)} ms`);
  }
  const sqlite = rows.find((r) => r.dialect === 'sqlite');
  if (sqlite) {
    const met = sqlite.intake.rps >= 1500 && sqlite.intake.p99 <= 50 && sqlite.ratio >= 0.4;
    console.log(`\nSQLite targets (≥ 1,500 reports/s, p99 ≤ 50 ms, ratio ≥ 0.4): ${met ? 'met' : 'NOT met'}`);
  }
}

await main();
if (args[0] !== '--serve') process.exit(0);
