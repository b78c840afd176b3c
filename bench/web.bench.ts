/**
 * Web performance: the JavaScript each entry point downloads (gzip) and how fast the command centre
 * and the map load with the whole demo district (1,809 grids and the demo year's cases).
 *
 *   npm run build:web && npm run bench:web            (full demo year, ~30,000 cases)
 *   npm run bench:web -- --cases quick                (a twentieth of the year, for a quick look)
 *
 * Load times are medians of three cold page loads in headless Chromium on localhost, with the sign-in
 * page (static, no data) measured the same way as the baseline in the same run; CSS is reported
 * beside JavaScript (the console's Ant Design styles come prebuilt). Panning: the mouse drags the
 * grid map (all 1,809 grids) and the command centre's map of cases in a slow circle for three
 * seconds, three times each; frames per second and the longest frame are what requestAnimationFrame
 * saw (software WebGL here: no GPU).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, newPage } from '../e2e/support/browser.js';

const args = process.argv.slice(2);
const casesArg = args.includes('--cases') ? args[args.indexOf('--cases') + 1] : 'full';
process.env.ONEGRID_DEMO_CASES = casesArg;
const WEB = join(process.cwd(), 'dist', 'web');
if (!existsSync(join(WEB, 'index.html'))) {
  console.error('Build the web app first: npm run build:web');
  process.exit(1);
}

const { startTestServer } = await import('../test/support/server.js');
const t0 = performance.now();
const server = await startTestServer({}, { demo: true });
const cases = Number((await server.ctx.dbh.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
console.log(`server with the demo district and ${cases.toLocaleString('en')} cases ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const browser = await launchBrowser();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Loads a path in a fresh context and returns ms until `ready` holds, and the JS and CSS files fetched. */
async function load(path: string, ready: string, opts: { signIn?: string; width?: number; height?: number } = {}) {
  const { context, page } = await newPage(browser, { baseURL: server.url, width: opts.width, height: opts.height });
  if (opts.signIn) {
    const res = await context.request.post('/api/auth/login', { data: { username: opts.signIn, password: server.users.admin.password } });
    if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
  }
  const scripts = new Set<string>();
  const styles = new Set<string>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith('.js')) scripts.add(url.pathname);
    if (url.pathname.endsWith('.css')) styles.add(url.pathname);
  });
  const start = performance.now();
  await page.goto(path);
  await page.locator(ready).first().waitFor({ timeout: 60_000 });
  const ms = performance.now() - start;
  await context.close();
  return { ms, scripts: [...scripts], styles: [...styles] };
}

function gzipBytes(files: string[]) {
  return files.reduce((sum, p) => {
    const file = join(WEB, p.replace(/^\//, ''));
    return existsSync(file) ? sum + gzipSync(readFileSync(file), { level: 9 }).length : sum;
  }, 0);
}

const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
const rows: { what: string; ms: number; js: number; css: number }[] = [];
async function measure(what: string, path: string, ready: string, opts: Parameters<typeof load>[2] = {}) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await load(path, ready, opts));
  rows.push({ what, ms: median(runs.map((r) => r.ms)), js: gzipBytes(runs[0].scripts), css: gzipBytes(runs[0].styles) });
}

await measure('sign-in page (baseline)', '/signin', 'input[type=password]');
await measure('command centre, district dispatcher', '/cases?queue=all', '.ant-table-row', { signIn: 'district', width: 1920, height: 1080 });
await measure('grid map, district dispatcher', '/map', '[data-ready="true"]', { signIn: 'district' });
await measure('dashboard, leader', '/dashboard', '[data-testid^="figure-"]', { signIn: 'leader' });
await measure('field app, grid worker (phone)', '/field', 'nav.fa-tabs', { signIn: 'gridworker', width: 390, height: 844 });
await measure('resident report page (phone)', '/report', 'textarea', { width: 390, height: 844 });

/** Drags the map to and fro for `ms` and counts the frames the page drew meanwhile. */
async function pan(path: string, ready: string, canvas: string, ms = 3000) {
  const { context, page } = await newPage(browser, { baseURL: server.url, width: 1440, height: 900 });
  await context.request.post('/api/auth/login', { data: { username: 'district', password: server.users.admin.password } });
  await page.goto(path);
  await page.locator(ready).first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1000); // the first tiles and labels settle
  const box = (await page.locator(canvas).boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const runs = [];
  for (let i = 0; i < 3; i++) {
    // a string, not a function: tsx would wrap a named function in a helper the page does not have
    await page.evaluate(`window.ogFrames = []; window.ogRaf = requestAnimationFrame(function tick(t) { window.ogFrames.push(t); window.ogRaf = requestAnimationFrame(tick); });`);
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    const start = performance.now();
    for (let t = 0; t < ms; t = performance.now() - start) {
      // a slow circle of 150 px: every frame shows new ground, the map ends where it began
      await page.mouse.move(cx + 150 * Math.sin((2 * Math.PI * t) / ms), cy + 150 * (1 - Math.cos((2 * Math.PI * t) / ms)));
    }
    await page.mouse.up();
    const frames = await page.evaluate<number[]>(`cancelAnimationFrame(window.ogRaf); window.ogFrames`);
    const gaps = frames.slice(1).map((f, j) => f - frames[j]!);
    runs.push({ fps: (1000 * gaps.length) / (frames[frames.length - 1] - frames[0]), worst: Math.max(...gaps) });
  }
  await context.close();
  return { fps: median(runs.map((r) => r.fps)), worst: median(runs.map((r) => r.worst)) };
}

const panned = [
  { what: 'grid map, 1,809 grids', ...(await pan('/map', '[data-ready="true"]', '[data-testid="grid-map"]')) },
  { what: 'command centre, map view', ...(await pan('/cases?view=map&status=all', '.og-cases-map-canvas canvas', '.og-cases-map-canvas')) },
];

const base = rows[0].ms;
console.log(`\n| page | load (median of 3) | ratio to sign-in page | JavaScript (gzip) | CSS (gzip) |`);
console.log(`|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.what} | ${Math.round(r.ms)} ms | ${(r.ms / base).toFixed(2)} | ${kb(r.js)} | ${kb(r.css)} |`);
console.log(`\n| panning (median of 3 drags of 3 s) | frames per second | longest frame |`);
console.log(`|---|---|---|`);
for (const p of panned) console.log(`| ${p.what} | ${p.fps.toFixed(0)} | ${Math.round(p.worst)} ms |`);

await browser.close();
await server.close();
