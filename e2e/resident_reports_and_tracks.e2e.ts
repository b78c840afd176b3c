import type { MultiPolygon, Polygon } from 'geojson';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelPoint } from '../src/web/modules/cases/field/map/projection.js';
import { launchBrowser, screenshot } from './support/browser.js';
import type { TestServer } from './support/journey.js';
import { ensureWebBuild } from './support/web-build.js';

/**
 * A resident reports a problem from a phone without an account (the first answer is lost on the
 * way back, and pressing submit again gives the same case), keeps the tracking code, and follows
 * the case while staff verify, accept, dispatch, handle, check and close it through the API. The
 * public page shows each step, the photo after handling, and never a staff name or comment.
 */
describe('resident reports and tracks', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  let spot: { lon: number; lat: number };

  beforeAll(async () => {
    await ensureWebBuild();
    const { startTestServer } = await import('../test/support/server.js');
    process.env.ONEGRID_DEMO_CASES = 'off'; // the district without the demo year: only this journey's cases
    server = await startTestServer({}, { demo: true });
    spot = await insideWorkersGrid(server);
    browser = await launchBrowser();
    context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['geolocation', 'clipboard-read', 'clipboard-write'],
      geolocation: { longitude: spot.lon, latitude: spot.lat, accuracy: 15 },
    });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // the cut answer and the unknown tracking code are deliberate
      if (msg.type() === 'error' && !/status of 404|Failed to load resource|ERR_CONNECTION_RESET|Failed to fetch/.test(msg.text())) errors.push(`console: ${msg.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports without an account and follows the case by its tracking code', async () => {
    const db = server.ctx.dbh.db;
    await page.goto('/report');
    await page.getByRole('heading', { name: '身边有问题？拍下来告诉我们' }).waitFor();
    await page.getByTestId('resident-photos').getByTestId('photo-camera').setInputFiles(await photo('cover', 5));
    await page.getByTestId('report-where').getByText('手机定位').waitFor({ timeout: 60_000 });
    await page.getByTestId('resident-address').fill('悟仙观社区3号楼南侧人行道');
    await page.getByTestId('resident-description').fill('人行道上的井盖缺了一块，晚上路过很危险，已经有人差点踩空。');
    await page.getByLabel('手机号').fill('13800001234');
    await page.locator('.fa-photo-cell img').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'resident-report');

    // The answer to the first submit is lost after the server made the case; submitting again
    // (same form, same Idempotency-Key) gives that case back rather than a second one.
    const keys: string[] = [];
    let cut = false;
    await page.route('**/api/public/cases', async (route: Route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (!cut) {
        cut = true;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.getByTestId('resident-submit').click();
    await page.getByTestId('resident-error').getByText('无法连接服务器').waitFor();
    await page.getByTestId('resident-submit').click();
    const code = (await page.getByTestId('tracking-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    const rows = await db.selectFrom('cases').select(['id', 'tracking_code', 'state', 'reporter_phone']).where('source', '=', 'resident').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tracking_code: code, state: 'pending_verification', reporter_phone: '13800001234' });
    const id = Number(rows[0]!.id);
    await screenshot(page, 'resident-code');

    // Following the code: submitted, waiting for 核实.
    await page.getByTestId('resident-follow').click();
    await page.waitForURL(`**/track/${code}`);
    await expect.poll(() => page.getByTestId('public-status').textContent()).toBe('已提交，等待核实');
    await expect.poll(() => page.getByTestId('public-timeline').locator('li').count()).toBe(1);

    // Staff work on it, with names and comments of their own.
    const worker = await api(server.url, server.users.gridworker);
    const street = await api(server.url, server.users.street);
    const department = await api(server.url, server.users.department);
    const staffNames = await Promise.all([worker, street, department].map(async (s) => (await s.get<{ user: { displayName: string } }>('/api/auth/me')).user.displayName));
    const comments = ['现场核实属实，井盖破损约三分之一（内部备注）', '已派城管执法局，请尽快处理（内部备注）', '已更换新井盖并加固（内部备注）'];
    let c = await worker.get<CaseOut>(`/api/cases/${id}`);
    c = await worker.post<CaseOut>(`/api/cases/${id}/actions/verify`, { comment: comments[0], version: c.version });
    c = await street.post<CaseOut>(`/api/cases/${id}/actions/accept`, { condition_code: '06001-01', version: c.version });
    if (c.state === 'accepted') c = await street.post<CaseOut>(`/api/cases/${id}/actions/dispatch`, { department: 'CG', comment: comments[1], version: c.version });
    c = await department.get<CaseOut>(`/api/cases/${id}`);
    if (c.state === 'dispatched') c = await department.post<CaseOut>(`/api/cases/${id}/actions/claim`, { version: c.version });
    c = await department.postForm<CaseOut>(`/api/cases/${id}/actions/feedback`, { comment: comments[2], version: c.version }, await photo('fixed', 6));
    expect(c.state).toBe('pending_check');

    await page.getByTestId('public-refresh').click();
    await expect.poll(() => page.getByTestId('public-status').textContent()).toBe('已处理，正在核查');
    await page.getByRole('heading', { name: '处理后' }).waitFor();

    // The grid worker's check passes and the street closes it: done, with reopening offered.
    c = await worker.get<CaseOut>(`/api/cases/${id}`);
    c = await worker.post<CaseOut>(`/api/cases/${id}/actions/check_pass`, { version: c.version });
    c = await street.post<CaseOut>(`/api/cases/${id}/actions/close`, { version: c.version });
    expect(c.state).toBe('closed');
    await page.reload();
    await expect.poll(() => page.getByTestId('public-status').textContent()).toBe('已办结');
    const timeline = page.getByTestId('public-timeline');
    for (const step of ['您的反映已提交', '网格员已到现场核实', '已受理立案', '已转交责任部门', '责任部门已处理完毕', '现场核查通过', '已办结']) {
      await timeline.getByText(step, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: '对处理结果不满意？重新反映' }).waitFor();
    // two photos: the resident's own and the department's after handling
    await expect.poll(() => page.locator('[data-testid="public-progress"] .fa-thumb img').count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid="public-progress"] .fa-thumb img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);

    // No staff name and no internal comment anywhere on the page or in what it was sent.
    const text = await page.locator('body').innerText();
    for (const name of staffNames) expect(text).not.toContain(name);
    for (const comment of comments) expect(text).not.toContain(comment);
    const publicJson = JSON.stringify(await (await page.request.get(`/api/public/cases/${code}`)).json());
    for (const secret of [...staffNames, ...comments, '13800001234']) expect(publicJson).not.toContain(secret);
    expect(await page.locator('.fa-note-error').count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'resident-track');

    // The same page in English.
    await page.getByRole('button', { name: '界面语言 中文 / EN，当前为中文' }).click();
    await expect.poll(() => page.getByTestId('public-status').textContent()).toBe('Done');
    await timeline.getByText('Checked on site: fixed', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Language 中文 / EN, now English' }).click();

    // A code typed by hand, loosely; and one that does not exist.
    await page.goto('/track');
    await page.getByTestId('track-input').fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`);
    await page.getByTestId('track-submit').click();
    await page.waitForURL(`**/track/${code}`);
    await expect.poll(() => page.getByTestId('public-code').textContent()).toBe(code);
    await page.goto('/track/ZZZZZZZZZZ');
    await page.getByText('未找到该内容').waitFor();

    expect(errors).toEqual([]);
  });
});

interface CaseOut {
  id: number;
  state: string;
  version: number;
}

async function photo(name: string, seed: number) {
  const hue = (seed * 53) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="hsl(${hue},12%,62%)"/>
    <ellipse cx="600" cy="520" rx="300" ry="150" fill="hsl(${hue},5%,${seed === 6 ? 30 : 18}%)" stroke="#555" stroke-width="16"/>
    ${seed === 6 ? '' : '<path d="M600 380 L760 520 L600 660 Z" fill="#111"/>'}
  </svg>`;
  return { name: `${name}.jpg`, mimeType: 'image/jpeg', buffer: await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer() };
}

async function api(base: string, who?: { username: string; password: string }) {
  let cookie = '';
  let csrf = '';
  if (who) {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    if (!res.ok) throw new Error(`login ${who.username}: ${res.status}`);
    cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }
  const headers = () => ({ ...(cookie ? { cookie, 'x-csrf-token': csrf } : {}) });
  const answer = async <T>(res: Response, what: string): Promise<T> => {
    if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    get: async <T>(path: string) => answer<T>(await fetch(`${base}${path}`, { headers: headers() }), `GET ${path}`),
    post: async <T>(path: string, body: unknown) =>
      answer<T>(await fetch(`${base}${path}`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: JSON.stringify(body) }), `POST ${path}`),
    postForm: async <T>(path: string, fields: Record<string, string | number>, file: { name: string; mimeType: string; buffer: Buffer }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
      form.append('photos', new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.name);
      return answer<T>(await fetch(`${base}${path}`, { method: 'POST', headers: headers(), body: form }), `POST ${path}`);
    },
  };
}

/** A point inside the demo grid worker's grid, so the worker and the street may act on the case. */
async function insideWorkersGrid(server: TestServer): Promise<{ lon: number; lat: number }> {
  const worker = await api(server.url, server.users.gridworker);
  const grids = await worker.get<{ features: { geometry: Polygon | MultiPolygon }[] }>('/api/geo/layers/grids');
  const p = labelPoint(grids.features[0]!.geometry);
  return { lon: Number(p.lon.toFixed(6)), lat: Number(p.lat.toFixed(6)) };
}
