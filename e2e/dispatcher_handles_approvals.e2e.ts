import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelPoint } from '../src/web/modules/cases/field/map/projection.js';
import { launchBrowser, newPage, pickInList, screenshot, type JourneyPage } from './support/browser.js';
import type { TestServer } from './support/journey.js';
import { ensureWebBuild } from './support/web-build.js';

type Db = TestServer['ctx']['dbh']['db'];

/**
 * City management asks for more time on one case and returns another that is not theirs; the
 * street dispatcher finds both in the approvals list, approves the postponement (the due time
 * moves to the one asked for) and re-routes the returned case to municipal works. A third request
 * is decided on a page that missed a change: the server answers 409, the dialog shows the case as
 * it is now, and the retry goes through.
 */
describe('dispatcher handles approvals', () => {
  let server: TestServer;
  let browser: Browser;
  let dispatcher: JourneyPage;
  let department: JourneyPage;
  let web: string;
  const ids = { postpone: 0, ret: 0, late: 0 };

  beforeAll(async () => {
    await ensureWebBuild();
    web = await snapshotWeb();
    const { startTestServer } = await import('../test/support/server.js');
    process.env.ONEGRID_DEMO_CASES = 'off'; // the district without the demo year: only this journey's cases
    server = await startTestServer({}, { demo: true });
    Object.assign(ids, await seed(server));
    browser = await launchBrowser();
    dispatcher = await newPage(browser, { baseURL: server.url });
    department = await newPage(browser, { baseURL: server.url });
    for (const j of [dispatcher, department]) await watch(j, web);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (web) await rm(web, { recursive: true, force: true });
  });

  it('approves a postponement, re-routes a return, and retries a decision made on a stale page', async () => {
    const db = server.ctx.dbh.db;
    const d = dispatcher.page;
    const dept = department.page;

    // City management asks for two more days on one case and on another…
    await signIn(dept, server.users.department, '/cases/tasks');
    const wanted: number[] = [];
    for (const [id, reason] of [[ids.postpone, '需协调产权单位共同拆除，申请延期两天。'], [ids.late, '等待燃气公司配合断气后施工。']] as const) {
      await dept.locator(`.og-task[data-case-id="${id}"] [data-action="request_postpone"]`).click();
      const dialog = dept.locator('.ant-modal');
      await dialog.getByLabel('理由').fill(reason);
      const due = await dialog.getByLabel('延期至').inputValue();
      expect(due).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      wanted.push(Date.parse(`${due.replace(' ', 'T')}:00+08:00`));
      await dept.getByTestId('action-submit').click();
      await dialog.waitFor({ state: 'detached' });
      await dept.locator(`.og-task[data-case-id="${id}"]`).getByText('延期申请审批中').waitFor();
    }
    // … and sends back one that is not theirs, with the reason.
    const ret = dept.locator(`.og-task[data-case-id="${ids.ret}"]`);
    await ret.locator('[data-action="return"]').click();
    await dept.locator('.ant-modal').getByLabel('理由').fill('系燃气管线井盖破损，不属于城管执法职责，请派市政市容委。');
    await dept.getByTestId('action-submit').click();
    await ret.waitFor({ state: 'detached' });
    expect(await caseRow(db, ids.ret)).toMatchObject({ state: 'returned' });

    // The street dispatcher opens the approvals list: two postponements and one return.
    await signIn(d, server.users.street, '/cases/approvals');
    const items = d.locator('.og-approval-item');
    await items.nth(2).waitFor();
    expect(await items.count()).toBe(3);
    const postpone = d.locator(`.og-approval-item[data-kind="postpone"][data-case-id="${ids.postpone}"]`);
    const returned = d.locator(`.og-approval-item[data-kind="return"][data-case-id="${ids.ret}"]`);
    expect(await postpone.textContent()).toContain('需协调产权单位共同拆除');
    expect(await postpone.textContent()).toContain('城管执法 陈刚');
    expect(await returned.textContent()).toContain('不属于城管执法职责');
    // a request is approved or refused; a return is re-routed or sent back — nothing else is offered
    expect(await actionsOf(postpone)).toEqual(['approve_postpone', 'refuse_postpone']);
    expect(await actionsOf(returned)).toEqual(expect.arrayContaining(['dispatch', 'refuse_return']));
    await d.locator('.ant-segmented-item', { hasText: '回退 1' }).waitFor();
    await screenshot(d, 'approvals');

    // 同意延期: the due time becomes the one asked for, and the item leaves the list.
    await postpone.locator('[data-action="approve_postpone"]').click();
    await d.getByTestId('action-submit').click();
    await postpone.waitFor({ state: 'detached' });
    const approved = await caseRow(db, ids.postpone);
    expect(approved.request_kind).toBeNull();
    expect(approved.due_at).toBe(wanted[0]);

    // 改派: the return goes to municipal works instead.
    await returned.locator('[data-action="dispatch"]').click();
    const dialog = d.locator('.ant-modal');
    await dialog.getByTestId('dialog-case').waitFor();
    await pickInList(d, dialog.locator('.ant-select'), d.locator('.ant-select-item-option:visible', { hasText: '区市政市容委' }), '区市政市容委');
    await d.getByTestId('action-submit').click();
    await returned.waitFor({ state: 'detached' });
    const rerouted = await caseRow(db, ids.ret);
    expect(rerouted.state).toBe('dispatched');
    expect(await departmentCode(db, rerouted.department_id)).toBe('SZ');

    // A stale page: live updates are cut, the district centre urges the case meanwhile, and the
    // approval answers 409. The dialog says what the case is now; the retry goes through.
    const beforeCut = [...dispatcher.errors];
    await d.route('**/api/events', (route) => route.abort());
    await d.reload();
    const late = d.locator(`.og-approval-item[data-case-id="${ids.late}"]`);
    await late.locator('[data-action="approve_postpone"]').click();
    const districtApi = await api(server.url, server.users.district);
    const before = await districtApi.get<{ version: number }>(`/api/cases/${ids.late}`);
    await districtApi.post(`/api/cases/${ids.late}/actions/urge`, { comment: '请街道今日内给出审批意见。', version: before.version });
    await d.getByTestId('action-submit').click();
    const stale = d.getByTestId('stale-alert');
    await stale.waitFor();
    expect(await stale.textContent()).toContain('案件已被他人更新（现为“处置中”）');
    await d.getByTestId('action-submit').filter({ hasText: '按最新版本重试' }).click();
    await late.waitFor({ state: 'detached' });
    expect(await caseRow(db, ids.late)).toMatchObject({ request_kind: null, due_at: wanted[1] });
    await d.getByText('没有待审批的事项').waitFor();

    const events = await db.selectFrom('case_events').select(['case_id', 'action']).where('case_id', 'in', [ids.postpone, ids.ret, ids.late]).orderBy('id').execute();
    const actionsFor = (id: number) => events.filter((e) => Number(e.case_id) === id).map((e) => e.action);
    expect(actionsFor(ids.postpone)).toEqual(['report', 'accept', 'dispatch', 'claim', 'request_postpone', 'approve_postpone']);
    expect(actionsFor(ids.ret)).toEqual(['report', 'accept', 'dispatch', 'return', 'dispatch']);
    expect(actionsFor(ids.late)).toEqual(['report', 'accept', 'dispatch', 'claim', 'request_postpone', 'urge', 'approve_postpone']);
    // after the cut, the stream's refused reconnections and the expected 409 are the only console errors
    expect(beforeCut).toEqual([]);
    expect(dispatcher.errors.filter((e) => e.startsWith('http '))).toEqual([]);
    expect(department.errors).toEqual([]);
  });

  it('reads the case history with the cards the step earned, and adds a note to it', async () => {
    const db = server.ctx.dbh.db;
    const d = dispatcher.page;
    await d.unroute('**/api/events');
    // the postponed step runs past its new due time: the scheduler gives its yellow and red cards
    const { runSchedulerTick } = await import('../src/server/modules/cases/scheduler/scheduler.js');
    const { due_at: due } = await caseRow(db, ids.late);
    const tick = await runSchedulerTick(server.ctx.app.ctx, due! + 3_600_000);
    expect(tick.cards.filter((c) => c.caseId === ids.late).map((c) => c.kind)).toEqual(['yellow', 'red']);

    await d.goto(`/cases/${ids.late}`);
    const history = d.locator('.og-case-timeline');
    await history.locator('[data-action="red_card"]').waitFor();
    expect(await history.locator('[data-action="yellow_card"]').textContent()).toContain('黄牌预警');
    expect(await history.locator('[data-action="red_card"]').textContent()).toContain('系统督办');

    // 补充说明: a note with words; the stage stays and it lands on top of the history
    await d.locator('.og-action-bar [data-action="comment"]').click();
    const dialog = d.locator('.ant-modal');
    await dialog.getByLabel('说明').fill('已电话联系燃气公司，约定明日上午断气施工。');
    await d.getByTestId('action-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await history.locator('[data-action="comment"]').waitFor();
    expect(await history.locator('[data-action="comment"]').textContent()).toContain('已电话联系燃气公司');
    expect(await caseRow(db, ids.late)).toMatchObject({ state: 'handling' });
    const events = await db.selectFrom('case_events').select('action').where('case_id', '=', ids.late).orderBy('seq').execute();
    expect(events.map((e) => e.action).slice(-3)).toEqual(['yellow_card', 'red_card', 'comment']);
    expect(dispatcher.errors.filter((e) => e.startsWith('http '))).toEqual([]);
  });

  it('shows the case the address names when a case the dispatcher left answers late', async () => {
    const d = dispatcher.page;
    const page = d.locator('.og-case-page');
    // the read of one case is held back while the dispatcher goes on to another, within the app
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = `/api/cases/${ids.postpone}`;
    const isSlow = (url: URL) => url.pathname === slow;
    await d.route(isSlow, async (route) => {
      await held;
      await route.continue();
    });
    const within = (to: string) => d.evaluate((path) => {
      history.pushState(null, '', path);
      dispatchEvent(new PopStateEvent('popstate'));
    }, to);
    await within(`/cases/${ids.postpone}`);
    await d.waitForRequest((r) => new URL(r.url()).pathname === slow);
    await within(`/cases/${ids.ret}`);
    await d.locator(`.og-case-page[data-case-id="${ids.ret}"]`).waitFor();
    // the case left behind answers now: the page stays on the one the address names
    const late = d.waitForResponse((r) => new URL(r.url()).pathname === slow);
    release();
    await late;
    await d.waitForTimeout(500);
    expect(await page.getAttribute('data-case-id')).toBe(String(ids.ret));
    expect(new URL(d.url()).pathname).toBe(`/cases/${ids.ret}`);
    await d.unroute(isSlow);
  });
});

// ---------- the screens ----------

/** Opens `landing` (a bookmarked desk), is sent to sign-in, and comes back there signed in. */
async function signIn(page: Page, who: { username: string; password: string }, landing: string) {
  await page.goto(landing);
  await page.waitForURL('**/signin');
  await page.getByLabel('用户名').fill(who.username);
  await page.getByLabel('密码').fill(who.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => url.pathname === landing);
}

function actionsOf(item: ReturnType<Page['locator']>): Promise<(string | null)[]> {
  return item.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
}

/** Page files from a copy of the build (other journeys rebuild dist/web meanwhile); failed requests named. */
async function watch(j: JourneyPage, root: string) {
  await j.context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && !url.pathname.startsWith('/api/'),
    async (route) => {
      const file = join(root, new URL(route.request().url()).pathname);
      const isFile = await stat(file).then((s) => s.isFile(), () => false);
      await route.fulfill({ path: isFile ? file : join(root, 'index.html') });
    },
  );
  j.page.on('response', (res) => {
    if (res.status() >= 400 && res.status() !== 401 && res.status() !== 409) j.errors.push(`http ${res.status()} ${new URL(res.url()).pathname}`);
  });
}

async function snapshotWeb(): Promise<string> {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'onegrid-web-'));
    await cp(dist, dir, { recursive: true });
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    if ((await Promise.all(assets.map((a) => stat(join(dir, a)).then(() => true, () => false)))).every(Boolean)) return dir;
    await rm(dir, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 3000));
  }
  throw new Error('dist/web keeps changing; no consistent copy of the web app');
}

// ---------- the server ----------

async function caseRow(db: Db, id: number) {
  return db.selectFrom('cases').select(['state', 'request_kind', 'due_at', 'department_id']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function departmentCode(db: Db, id: number | null) {
  if (id === null) return null;
  return (await db.selectFrom('departments').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code;
}

async function api(base: string, who: { username: string; password: string }) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  if (!res.ok) throw new Error(`login ${who.username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  const send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}${path}`, {
      method, headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return { get: <T>(path: string) => send<T>('GET', path), post: <T>(path: string, body: unknown) => send<T>('POST', path, body) };
}

interface CaseOut { id: number; state: string; version: number }

/**
 * Three cases the street sub-centre filed and sent to city management: two claimed and being
 * handled, one waiting to be claimed.
 */
async function seed(server: TestServer): Promise<{ postpone: number; ret: number; late: number }> {
  const street = await api(server.url, server.users.street);
  const dept = await api(server.url, server.users.department);
  const grids = await street.get<{ features: { geometry: Polygon | MultiPolygon }[] }>('/api/geo/layers/grids');
  const file = async (i: number, category: string, condition: string, description: string, claim: boolean) => {
    const p = labelPoint(grids.features[i * 7]!.geometry);
    let c = (await street.post<{ case: CaseOut }>('/api/cases', { lon: p.lon, lat: p.lat, description, category_code: category, source: 'staff' })).case;
    c = await street.post<CaseOut>(`/api/cases/${c.id}/actions/accept`, { condition_code: condition, version: c.version });
    c = await street.post<CaseOut>(`/api/cases/${c.id}/actions/dispatch`, { department: 'CG', version: c.version });
    if (claim) c = await dept.post<CaseOut>(`/api/cases/${c.id}/actions/claim`, { version: c.version });
    return c.id;
  };
  return {
    postpone: await file(1, '06001', '06001-01', '小区内违规搭建的两层彩钢房，产权复杂', true),
    ret: await file(2, '06012', '06012-01', '人行道上井盖周边路面塌陷，有异味', false),
    late: await file(3, '06001', '06001-02', '底商后院私建锅炉房，需断气后拆除', true),
  };
}
