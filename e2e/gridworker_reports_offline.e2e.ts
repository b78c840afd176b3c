import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon, MultiPolygon } from 'geojson';
import { labelPoint } from '../src/web/modules/cases/field/map/projection.js';
import { launchBrowser, screenshot } from './support/browser.js';
import type { TestServer } from './support/journey.js';
import { ensureWebBuild } from './support/web-build.js';

// Service workers fetch past context.setOffline (playwright#2311); with these events on, their
// requests can be refused too, so "offline" holds for the app shell as it does on a phone.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

type Db = TestServer['ctx']['dbh']['db'];

/**
 * A grid worker on a phone loses the connection, files two reports with photos, sees them waiting
 * on the phone (and the app still opens from the home screen without a network), then the
 * connection returns: exactly two cases exist, each with its photo. The first send is cut after
 * the server committed, and both reports are sent again after a reload: still two cases.
 */
describe('grid worker reports offline', () => {
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
      permissions: ['geolocation'],
      geolocation: { longitude: spot.lon, latitude: spot.lat, accuracy: 12 },
      serviceWorkers: 'allow',
    });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // requests refused while offline are the point of this journey
      if (msg.type() === 'error' && !/status of 40[13]|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_FAILED|Failed to load resource/.test(msg.text())) {
        errors.push(`console: ${msg.text()}`);
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps two reports on the phone while offline and sends each exactly once', async () => {
    const db = server.ctx.dbh.db;
    const { username, password } = server.users.gridworker;

    // Signing in once, online: the app shell is kept for offline starts.
    await page.goto('/field');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('home-where').getByText('您在').waitFor({ timeout: 60_000 });
    await expect.poll(() => shellFiles(page), { timeout: 20_000 }).toBeGreaterThan(5);
    await page.locator('.fa-map-area-mine').first().waitFor();
    await screenshot(page, 'field-home');

    // The first report is filled in online (the screenshot of the form), then the network goes.
    await page.getByTestId('tab-report').click();
    await chooseCategory(page, '私搭', '06001');
    await page.getByTestId('photo-camera').setInputFiles(await photo('shed', 1));
    await page.getByTestId('report-where').locator('.fa-ok').waitFor({ timeout: 60_000 });
    await page.getByTestId('report-description').fill('小区北门外人行道上新搭了一个彩钢板棚子，占了大半个人行道。');
    await page.locator('.fa-photo-cell img').first().waitFor();
    await screenshot(page, 'field-report');

    await goOffline(context);
    await page.getByTestId('report-offline').waitFor();
    await page.getByTestId('report-submit').click();
    await page.waitForURL('**/field/mine');
    await expect.poll(() => page.getByTestId('outbox-item').count()).toBe(1);

    // The second one: the category is a recent one now, the place a pin next to the worker.
    await page.getByTestId('tab-report').click();
    await page.locator('.fa-chips .fa-chip', { hasText: '私搭乱建' }).click();
    await page.getByTestId('photo-camera').setInputFiles(await photo('fence', 2));
    await page.getByTestId('loc-pin').click();
    const map = page.locator('.fa-report [data-testid="field-map"]');
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 14, box.y + box.height / 2 - 10);
    await page.getByTestId('report-where').getByText('地图选点').waitFor();
    await page.getByTestId('report-description').fill('绿地里用铁丝网围了一块地种菜。');
    await page.getByTestId('report-submit').click();
    await page.waitForURL('**/field/mine');
    const waiting = page.locator('[data-testid="outbox-item"][data-status="waiting"]');
    await expect.poll(() => waiting.count()).toBe(2);
    await expect.poll(() => page.getByTestId('sync-chip').getAttribute('data-tone')).toBe('offline');
    expect(await page.getByTestId('sync-chip').textContent()).toContain('2 条待发送');
    await page.getByTestId('toast').first().waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => page.getByTestId('toast').count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, 'field-offline');
    expect(await countCases(db)).toBe(0);

    // Still offline, the app opens again from the phone (service worker) with both reports kept.
    await page.reload();
    await expect.poll(() => waiting.count(), { timeout: 15_000 }).toBe(2);
    const keys = await waiting.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    // a copy of both, to send them again after they have gone
    await page.evaluate(stashOutbox);

    // Back online: the first send reaches the server, but its answer is lost on the way back.
    const sent: string[] = [];
    let cut = false;
    await page.route('**/api/cases', async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent.push(route.request().headers()['idempotency-key'] ?? '');
      if (!cut) {
        cut = true;
        await route.fetch(); // committed on the server
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await goOnline(context);
    await page.getByTestId('outbox-empty').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('sync-chip').getAttribute('data-tone')).toBe('ok');

    expect(await countCases(db)).toBe(2);
    // three sends: the cut one went again with the same key (after its backoff), the other once
    expect(sent).toHaveLength(3);
    expect(sent.filter((k) => k === sent[0])).toHaveLength(2);
    expect(new Set(sent)).toEqual(new Set(keys));
    const cases = await db.selectFrom('cases').select(['id', 'number', 'source', 'state', 'description']).orderBy('id').execute();
    expect(cases.map((c) => c.source)).toEqual(['grid_worker', 'grid_worker']);
    expect(cases.map((c) => c.state)).toEqual(['pending_acceptance', 'pending_acceptance']);
    expect(cases[0]!.description).toContain('彩钢板棚子');
    for (const c of cases) {
      const photos = await db.selectFrom('case_photos').select(['sha256', 'kind']).where('case_id', '=', c.id).execute();
      expect(photos.map((p) => p.kind)).toEqual(['report']);
    }
    // both show in the worker's list, marked as sent from this phone
    for (const c of cases) await page.locator(`[data-testid="report-card"][data-number="${c.number}"]`).getByText('本机上报').waitFor();

    // Both reports put back on the phone as if never sent, and the app reloaded: it sends them
    // again with their keys, and the server answers with the cases it already has.
    sent.length = 0;
    await page.evaluate(restoreOutbox);
    await page.reload();
    await expect.poll(() => sent.length, { timeout: 30_000 }).toBe(2);
    await page.getByTestId('outbox-empty').waitFor({ timeout: 30_000 });
    expect(new Set(sent)).toEqual(new Set(keys));
    expect(await countCases(db)).toBe(2);
    expect(Number((await db.selectFrom('case_photos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(2);

    expect(errors).toEqual([]);
  });

  it('shows the worker\'s 核实 and 核查 tasks, sends a verification online and a check made offline', async () => {
    // A resident's report in the worker's grid waits for 核实; one of the worker's own reports is
    // accepted, dispatched, handled by the department and waits for 核查.
    const resident = await api(server.url);
    await resident.postForm('/api/public/cases', { description: '楼下垃圾桶周围堆满了装修垃圾，好几天没人清理。', lon: spot.lon, lat: spot.lat, address: '3号楼东侧' }, await photo('rubbish', 3));
    const own = await server.ctx.dbh.db.selectFrom('cases').select(['id']).where('source', '=', 'grid_worker').orderBy('id').executeTakeFirstOrThrow();
    await handleToCheck(server, Number(own.id));

    await page.unroute('**/api/cases');
    await page.goto('/field/tasks');
    const cards = page.getByTestId('task-card');
    await expect.poll(() => cards.count()).toBe(2);
    await cards.filter({ hasText: '核查' }).first().waitFor();
    await screenshot(page, 'field-tasks');

    // 核实 on site: the finding, a photo, sent at once (online).
    await cards.filter({ hasText: '核实' }).first().click();
    await page.getByTestId('action-panel').waitFor();
    await page.getByRole('button', { name: '情况属实' }).click();
    await page.getByTestId('action-photos').getByTestId('photo-camera').setInputFiles(await photo('verified', 4));
    await page.getByTestId('action-photos').locator('.fa-photo-cell img').waitFor();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await screenshot(page, 'field-verify');
    await page.getByTestId('act-verify').click();
    await page.waitForURL('**/field/tasks');
    await expect.poll(async () => (await server.ctx.dbh.db.selectFrom('cases').select(['state']).where('source', '=', 'resident').executeTakeFirstOrThrow()).state, { timeout: 15_000 }).toBe('pending_acceptance');
    await expect.poll(() => cards.count()).toBe(1);

    // 核查 without a network: the task was kept on the phone with the list; the finding waits and
    // goes out when the connection returns.
    const stateOf = async () => (await server.ctx.dbh.db.selectFrom('cases').select(['state']).where('id', '=', own.id).executeTakeFirstOrThrow()).state;
    await expect.poll(() => keptOnPhone(page, `case:${own.id}`)).toBe(true);
    await goOffline(context);
    await cards.first().click();
    await page.getByTestId('action-panel').waitFor();
    await page.getByTestId('action-photos').getByTestId('photo-camera').setInputFiles(await photo('checked', 7));
    await page.getByTestId('act-check_pass').click();
    await page.waitForURL('**/field/tasks');
    await page.getByTestId('task-card').getByText('已办理，待发送').waitFor();
    expect(await stateOf()).toBe('pending_check');
    await goOnline(context);
    await expect.poll(stateOf, { timeout: 20_000 }).toBe('checked');
    const checkPhotos = await server.ctx.dbh.db.selectFrom('case_photos').select(['kind']).where('case_id', '=', own.id).where('kind', '=', 'check').execute();
    expect(checkPhotos).toHaveLength(1);
    await expect.poll(() => cards.count()).toBe(0);

    // The console's menu leads into the field app, which runs in a document of its own.
    await page.goto('/');
    await page.getByRole('button', { name: '打开导航菜单' }).click();
    await page.getByRole('link', { name: '外业（手机）', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/field');
    await page.getByTestId('home-where').waitFor();
    expect(errors).toEqual([]);
  });

  it('changes the worker\'s password on the phone', async () => {
    const { username, password } = server.users.gridworker;
    await page.goto('/field/me');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByLabel('当前密码').fill(password);
    await page.getByLabel('新密码', { exact: true }).fill('rain-2027-phone');
    await page.getByLabel('确认新密码').fill('rain-2027-phonx');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('alert').getByText('两次输入的新密码不一致').waitFor();
    await page.getByLabel('确认新密码').fill('rain-2027-phone');
    await screenshot(page, 'field-password');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('密码已修改，其他设备上的登录已退出').waitFor();
    await page.getByRole('button', { name: '修改密码' }).waitFor();
    // this phone stays signed in; the password is the new one
    expect((await page.request.get('/api/auth/me')).status()).toBe(200);
    for (const [pw, status] of [[password, 401], ['rain-2027-phone', 200]] as const) {
      expect((await page.request.post('/api/auth/login', { data: { username, password: pw } })).status(), pw).toBe(status);
    }
    expect(errors).toEqual([]);
  });
});

// ---------- the phone ----------

async function chooseCategory(page: Page, search: string, code: string) {
  await page.getByTestId('category-open').click();
  await page.getByTestId('category-search').fill(search);
  await page.locator(`.fa-sheet button[data-code="${code}"]`).click();
}

/** Offline as a phone is: no page request, no service-worker request gets through. */
async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route('**', swOffline);
}

async function goOnline(context: BrowserContext) {
  await context.unroute('**', swOffline);
  await context.setOffline(false);
}

function swOffline(route: Route) {
  return route.request().serviceWorker() ? route.abort('internetdisconnected') : route.fallback();
}

/** How many files the service worker keeps for offline starts. */
function shellFiles(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!navigator.serviceWorker.controller) return 0;
    const cache = await caches.open('onegrid-shell-v1');
    return (await cache.keys()).length;
  });
}

/** Whether the phone keeps a copy of this list or case for offline use. */
function keptOnPhone(page: Page, name: string): Promise<boolean> {
  return page.evaluate(
    (suffix) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('onegrid-field');
        open.onsuccess = () => {
          const read = open.result.transaction('snapshots').objectStore('snapshots').getAllKeys();
          read.onsuccess = () => resolve(read.result.some((k) => String(k).endsWith(`:${suffix}`)));
          read.onerror = () => resolve(false);
        };
        open.onerror = () => resolve(false);
      }),
    name,
  );
}

/** Copies the outbox records (Blobs and all) aside, in the page, to put them back later. */
function stashOutbox(): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('onegrid-field');
    open.onsuccess = () => {
      const read = open.result.transaction('outbox').objectStore('outbox').getAll();
      read.onsuccess = () => {
        const req = indexedDB.open('e2e-stash', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('items', { keyPath: 'key' });
        req.onsuccess = () => {
          const tx = req.result.transaction('items', 'readwrite');
          for (const item of read.result) tx.objectStore('items').put(item);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      };
    };
    open.onerror = () => reject(open.error);
  });
}

function restoreOutbox(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('e2e-stash', 1);
    req.onsuccess = () => {
      const read = req.result.transaction('items').objectStore('items').getAll();
      read.onsuccess = () => {
        const open = indexedDB.open('onegrid-field');
        open.onsuccess = () => {
          const tx = open.result.transaction('outbox', 'readwrite');
          for (const item of read.result as { status: string; nextAttemptAt: number }[]) tx.objectStore('outbox').put({ ...item, status: 'waiting', nextAttemptAt: 0 });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      };
    };
    req.onerror = () => reject(req.error);
  });
}

/** A photo of something on a street, different for each `seed`. */
async function photo(name: string, seed: number) {
  const hue = (seed * 67) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="hsl(${hue},20%,70%)"/>
    <rect y="560" width="1200" height="340" fill="hsl(${hue},8%,45%)"/>
    <rect x="${300 + seed * 40}" y="300" width="520" height="300" fill="hsl(${(hue + 180) % 360},45%,50%)" stroke="#333" stroke-width="10"/>
    <path d="M${280 + seed * 40} 310 L${560 + seed * 40} 170 L${840 + seed * 40} 310 Z" fill="hsl(${(hue + 200) % 360},35%,40%)"/>
  </svg>`;
  const buffer = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  return { name: `${name}.jpg`, mimeType: 'image/jpeg', buffer };
}

// ---------- the server ----------

async function countCases(db: Db): Promise<number> {
  return Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** A signed-in (or anonymous) client of the API, with the session's cookie and CSRF token. */
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
    postForm: async <T>(path: string, fields: Record<string, string | number>, file?: { name: string; mimeType: string; buffer: Buffer }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
      if (file) form.append('photos', new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.name);
      return answer<T>(await fetch(`${base}${path}`, { method: 'POST', headers: headers(), body: form }), `POST ${path}`);
    },
  };
}

/** A point well inside the demo grid worker's grid, found through the API as the app would. */
async function insideWorkersGrid(server: TestServer): Promise<{ lon: number; lat: number }> {
  const worker = await api(server.url, server.users.gridworker);
  const grids = await worker.get<{ features: { properties: { code: string }; geometry: Polygon | MultiPolygon }[] }>('/api/geo/layers/grids');
  const grid = grids.features[0]!;
  const p = labelPoint(grid.geometry);
  const where = await worker.get<{ gridCode: string }>(`/api/geo/locate?lon=${p.lon}&lat=${p.lat}`);
  expect(where.gridCode).toBe(grid.properties.code);
  return { lon: Number(p.lon.toFixed(6)), lat: Number(p.lat.toFixed(6)) };
}

interface CaseOut {
  id: number;
  state: string;
  version: number;
  allowedActions: string[];
}

/** Staff take a case from 待立案 to 待核查: accepted and dispatched by the street, handled by the department. */
async function handleToCheck(server: TestServer, id: number) {
  const street = await api(server.url, server.users.street);
  const department = await api(server.url, server.users.department);
  let c = await street.get<CaseOut>(`/api/cases/${id}`);
  c = await street.post<CaseOut>(`/api/cases/${id}/actions/accept`, { condition_code: '06001-01', version: c.version });
  if (c.state === 'accepted') c = await street.post<CaseOut>(`/api/cases/${id}/actions/dispatch`, { department: 'CG', version: c.version });
  c = await department.get<CaseOut>(`/api/cases/${id}`);
  if (c.state === 'dispatched') c = await department.post<CaseOut>(`/api/cases/${id}/actions/claim`, { version: c.version });
  c = await department.postForm<CaseOut>(`/api/cases/${id}/actions/feedback`, { comment: '违建已拆除，人行道已清理。', version: c.version }, await photo('cleared', 9));
  expect(c.state).toBe('pending_check');
}
