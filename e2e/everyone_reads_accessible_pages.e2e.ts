import axe from 'axe-core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, type JourneyPage } from './support/browser.js';
import { signInThroughForm, startJourneyServer, type TestServer } from './support/journey.js';

/**
 * Every role's main pages pass the automatic checks of GB/T 37668-2019 (which follows WCAG 2.1 AA):
 * axe-core reads the sign-in page, the workbench, the case desk and a case with its action dialog,
 * the map, the division tree, the team, the leader's dashboard and indicator tables, the admin
 * pages, the field app on a phone and the resident's report and track pages, in Chinese and a few
 * in English. A serious or critical finding fails the journey with the rule, the elements and the
 * page, and so does a page without exactly one h1. On the way, the sign-in form, the main menu, the
 * language switch, a case's action dialog, the dashboard's drill-downs (a ranking's figure, its cases,
 * one case; a chart's data table and a class's cases; a ranking's name and the map's table into
 * another area) and the weights dialog are used by keyboard alone, with the focus visible, given back
 * when a dialog or drawer closes (however soon) and given to the title that names the new area; the
 * dashboard's charts say in words what they draw, and its map's table prints every row.
 */
describe('everyone reads accessible pages', () => {
  let server: TestServer;
  let browser: Browser;
  const opened: JourneyPage[] = [];
  const findings: Finding[] = [];

  beforeAll(async () => {
    server = await startJourneyServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh desktop page (its own cookies), watched for errors. */
  const desk = async () => {
    const j = await newPage(browser, { baseURL: server.url });
    opened.push(j);
    return j.page;
  };

  /** A phone, as the grid worker and the resident hold it; the offline journey covers the service worker. */
  const phone = async () => {
    const context = await browser.newContext({
      baseURL: server.url, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      locale: 'zh-CN', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block',
    });
    const page = await context.newPage();
    const j: JourneyPage = { context, page, errors: [] };
    page.on('pageerror', (err) => j.errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => msg.type() === 'error' && !/status of 40[13]/.test(msg.text()) && j.errors.push(`console: ${msg.text()}`));
    opened.push(j);
    return page;
  };

  const check = async (page: Page, name: string) => findings.push(...(await scan(page, name)));

  it('passes the automatic checks on every role’s pages, and works by keyboard', async () => {
    // Sign-in, then signing in by keyboard alone: the name field has the focus, Tab leads on, Enter sends.
    const dispatcher = await desk();
    await dispatcher.goto('/signin');
    await dispatcher.getByLabel('用户名').waitFor();
    await check(dispatcher, '登录');
    await expect.poll(() => focusedLabel(dispatcher), { timeout: 5_000 }).toBe('用户名');
    await expect.poll(() => focusShows(dispatcher), { message: 'the focused name field shows its focus', timeout: 5_000 }).toBe(true);
    await dispatcher.keyboard.type(server.users.district.username);
    await dispatcher.keyboard.press('Tab');
    expect(await focusedLabel(dispatcher)).toBe('密码');
    await dispatcher.keyboard.type(server.users.district.password);
    await dispatcher.keyboard.press('Enter');
    await dispatcher.waitForURL((url) => url.pathname === '/');

    // the district dispatcher's workbench, and the main menu by keyboard: Tab to an entry, Enter opens it
    await dispatcher.locator('.og-stat-value').first().waitFor();
    await check(dispatcher, '工作台');
    // the workbench's title is its greeting
    const me = (await dispatcher.getByTestId('current-user').textContent()) ?? '';
    expect(await dispatcher.getByRole('heading', { level: 1 }).allTextContents()).toEqual([expect.stringContaining(me)]);
    await tabTo(dispatcher, () => document.activeElement?.closest('nav')?.contains(document.activeElement) === true && document.activeElement?.textContent === '指挥中心');
    await expect.poll(() => focusShows(dispatcher), { message: 'the focused menu entry shows its focus', timeout: 5_000 }).toBe(true);
    await dispatcher.keyboard.press('Enter');
    await dispatcher.waitForURL((url) => url.pathname === '/cases');
    const row = dispatcher.locator('tr[data-case-id]').first();
    await row.waitFor();
    await check(dispatcher, '指挥中心');

    // the language switch: one Tab stop that names the language on, and Enter and Space switch it
    await languageSwitchByKeyboard(dispatcher, ['中文', 'English']);

    // a case, and one of its actions by keyboard: the dialog takes the focus, Escape gives it back
    await dispatcher.goto(`/cases/${await row.getAttribute('data-case-id')}`);
    await dispatcher.locator('.og-action-bar [data-action]').first().waitFor();
    await check(dispatcher, '案件详情');
    await tabTo(dispatcher, () => document.activeElement?.closest('.og-action-bar [role="toolbar"]') !== null);
    await expect.poll(() => focusShows(dispatcher), { message: 'the focused action shows its focus', timeout: 5_000 }).toBe(true);
    const action = await dispatcher.evaluate(() => document.activeElement?.getAttribute('data-action'));
    await dispatcher.keyboard.press('Enter');
    const dialog = dispatcher.locator('.ant-modal');
    await dialog.waitFor();
    await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement)), { timeout: 5_000 }).toBe(true);
    await zoomedIn(dialog);
    await check(dispatcher, '案件办理对话框');
    await dispatcher.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // the close animation runs first
    await expect.poll(() => dispatcher.evaluate(() => document.activeElement?.getAttribute('data-action')), { timeout: 5_000 }).toBe(action);

    await dispatcher.goto('/map');
    await dispatcher.getByTestId('grid-map').waitFor();
    await dispatcher.getByTestId('map-counts').waitFor();
    await check(dispatcher, '网格地图');
    await dispatcher.goto('/divisions');
    await dispatcher.locator('.og-division-tree [data-division-code]').first().waitFor();
    await check(dispatcher, '行政区划');
    await dispatcher.goto('/team');
    await dispatcher.getByTestId('team-total').waitFor();
    await check(dispatcher, '网格团队');
    // in English (a link can ask for it; the choice is kept)
    await dispatcher.goto('/?lang=en');
    await dispatcher.locator('.og-stat-value').first().waitFor();
    expect(await dispatcher.evaluate(() => document.documentElement.lang)).toBe('en');
    await check(dispatcher, 'Workbench (en)');
    await dispatcher.goto('/cases');
    await dispatcher.locator('tr[data-case-id]').first().waitFor();
    await check(dispatcher, 'Dispatch desk (en)');

    // the leader: the dashboard of the demo year, and the indicator table
    const leader = await desk();
    await signInThroughForm(leader, server.users.leader);
    expect(await leader.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await leader.goto('/dashboard');
    await leader.getByTestId('headline').waitFor();
    await chartsDrawn(leader);
    await check(leader, '综合评价');
    expect(await leader.evaluate(() => document.activeElement?.tagName), 'the title takes the focus after a drill-down, not as the page opens').not.toBe('H1');
    await chartsSayWhatTheyShow(leader, '至');
    await drillDownByKeyboard(leader, (name) => check(leader, name));
    await chartTableByKeyboard(leader, (name) => check(leader, name));
    await mapTablePrints(leader);
    await intoAreasByKeyboard(leader);
    await leader.goto('/evaluation/indicators?period=2013&subject=worker');
    await leader.getByTestId('indicator-table').locator('.ant-table-row').first().waitFor();
    await check(leader, '指标表');
    // the table of streets: a street's name opens the table of its communities, and the title, naming it, takes the focus
    await leader.goto('/evaluation/indicators?period=2013&subject=street');
    const streetName = leader.getByTestId('indicator-table').locator('.ant-table-row').first().getByRole('link').first();
    const street = (await streetName.textContent())!;
    await streetName.focus();
    await leader.keyboard.press('Enter');
    await leader.waitForURL((url) => url.searchParams.get('subject') === 'community');
    await expect.poll(() => leader.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null)),
      { message: `the indicator table's title takes the focus and names ${street}`, timeout: 10_000 }).toBe(`${street} · 考核指标`);
    await leader.goto('/dashboard?lang=en');
    await leader.getByTestId('headline').waitFor();
    await chartsDrawn(leader);
    await check(leader, 'Dashboard (en)');
    await chartsSayWhatTheyShow(leader, 'to');
    expect(await leader.getByTestId('children-ranking').getByRole('button', { name: /^[\d,]+: cases behind Reported of \S/ }).count(), 'a figure says in English what it opens').toBeGreaterThan(0);

    // the administrator: accounts and grants, the audit log, the grid and historical imports, the weights
    const admin = await desk();
    await signInThroughForm(admin, server.users.admin);
    await admin.goto('/admin/users');
    await admin.locator('.ant-table-row').first().waitFor();
    await check(admin, '用户与授权');
    await admin.goto('/admin/audit');
    await admin.locator('.ant-table-row').first().waitFor();
    await check(admin, '审计日志');
    await admin.goto('/admin/grids');
    await admin.getByRole('heading', { name: '网格导入与覆盖检查' }).waitFor();
    await check(admin, '网格导入');
    await admin.goto('/admin/calendar');
    await admin.getByRole('button', { name: /^1\D*\d{4}-01-01 / }).waitFor();
    await check(admin, '工作日历');
    await admin.goto('/evaluation/import');
    await admin.locator('input[type="file"]').waitFor({ state: 'attached' });
    await check(admin, '历史数据导入');
    await admin.goto('/evaluation/indicators');
    await admin.getByTestId('indicator-table').locator('.ant-table-row').first().waitFor();
    const weights = admin.getByRole('button', { name: '权重设置' });
    await weights.focus();
    await admin.keyboard.press('Enter');
    await admin.getByRole('dialog').locator('fieldset').first().waitFor();
    await zoomedIn(admin.locator('.ant-modal'));
    await check(admin, '权重设置');
    await admin.keyboard.press('Escape');
    await admin.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => weights.evaluate((b) => b === document.activeElement), { message: 'the focus is back on 权重设置', timeout: 5_000 }).toBe(true);

    // the grid worker's field app on a phone: its sign-in, then the home, the tasks and the records
    const worker = await phone();
    await worker.goto('/field');
    await worker.getByLabel('用户名').waitFor();
    await check(worker, '外业·登录');
    await worker.getByLabel('用户名').fill(server.users.gridworker.username);
    await worker.getByLabel('密码').fill(server.users.gridworker.password);
    await worker.getByRole('button', { name: '登录' }).click();
    await worker.getByTestId('home-where').waitFor();
    await check(worker, '外业·我的网格');
    await worker.goto('/field/tasks');
    await worker.getByTestId('tab-report').waitFor();
    await check(worker, '外业·任务');
    await worker.goto('/field/mine');
    await worker.getByTestId('outbox-empty').waitFor();
    await check(worker, '外业·记录');

    // the resident, without an account: report a problem, follow it by its code; and in English
    const resident = await phone();
    await resident.goto('/report');
    await resident.getByRole('heading', { name: '身边有问题？拍下来告诉我们' }).waitFor();
    await check(resident, '我要反映');
    await languageSwitchByKeyboard(resident, ['中文', 'EN']);
    await resident.goto('/track');
    await resident.getByTestId('track-input').waitFor();
    await check(resident, '查询进度');
    expect(await resident.getByRole('heading', { level: 1 }).allTextContents()).toEqual(['查询进度']);
    await resident.goto('/report?lang=en');
    await resident.getByRole('heading', { level: 1 }).waitFor();
    expect(await resident.evaluate(() => document.documentElement.lang)).toBe('en');
    await check(resident, 'Report a problem (en)');

    expect(findings.map(describeFinding), 'serious or critical accessibility violations (axe-core, WCAG 2.1 AA)').toEqual([]);
    expect(opened.flatMap((j) => j.errors)).toEqual([]);
  });
});

// ---------- the checks ----------

/** axe-core's code, given to each page as it opens (the page's own CSP forbids a script tag of it). */
const AXE_SOURCE = axe.source;

/** WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668-2019 asks of a web page. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * What axe cannot judge, and only that: the pixels the dashboard's charts (ECharts) and the maps
 * (MapLibre) draw on a canvas are not in the document; the figures they show are on the page as text
 * as well (the headline cards, the ranking tables, the map's counts and legend, each chart's name).
 */
const CANVASES = [['.og-eval-chart canvas'], ['canvas.maplibregl-canvas']];

interface Finding {
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * The serious and critical findings on the page as it is now. The caller has waited for the page's
 * data; what loads after it (a list of names, the map's shapes) gets a moment more. The case pages
 * keep a live connection open, so the network is never quite idle there: the moment is bounded.
 */
async function scan(page: Page, name: string): Promise<Finding[]> {
  await page.waitForLoadState('networkidle', { timeout: 1_500 }).catch(() => undefined);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    ([exclude, tags]) => window.axe.run({ exclude }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      rule: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')),
    }))),
    [CANVASES, TAGS] as const,
  );
  // a page's title is its one h1: what a screen reader's user jumps to first (axe counts it best practice only)
  const h1s = await page.getByRole('heading', { level: 1 }).allTextContents();
  if (h1s.length !== 1) violations.push({ rule: 'one-h1', impact: 'serious', help: `A page has one h1, its title; this one has ${h1s.length}`, targets: h1s });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ ...v, page: name }));
}

function describeFinding(f: Finding): string {
  const shown = f.targets.slice(0, 5).join(' | ');
  const more = f.targets.length > 5 ? ` (+${f.targets.length - 5})` : '';
  return `${f.page}: ${f.rule} (${f.impact}) ${f.help} — ${shown}${more}`;
}

declare global {
  interface Window {
    axe: typeof axe;
  }
}

/** Every chart on the dashboard has loaded ECharts and drawn. */
async function chartsDrawn(page: Page): Promise<void> {
  await page.locator('.og-eval-chart[data-ready="false"]').first().waitFor({ state: 'detached', timeout: 30_000 });
}

/**
 * Each of the dashboard's four charts is an image named by what it draws: its card's title, the
 * period (`to` joins its days: 至, to), then its figures; the trend's name holds its first and last
 * points' reports as the API counts them.
 */
async function chartsSayWhatTheyShow(page: Page, to: string): Promise<void> {
  const charts = await page.locator('.og-eval-chart').evaluateAll((els) => els.map((el) => ({
    role: el.getAttribute('role'), title: el.closest('.ant-card')?.querySelector('.ant-card-head-title')?.textContent ?? '', trend: el.getAttribute('data-testid') === 'trend-chart',
  })));
  expect(charts).toHaveLength(4);
  const day = String.raw`\d{4}-\d\d-\d\d`;
  for (const { role, title } of charts) {
    expect(role, title).toBe('img');
    const named = page.getByRole('img', { name: new RegExp(`^${escapeRegExp(title)}[，,] ?${day} ${to} ${day}[：:] ?\\S`) });
    expect(await named.count(), `the chart ${title} says its period and figures`).toBe(1);
  }
  const dashboard = await latestDashboard<{ trend: { points: { reported: number }[] } }>(page);
  const [first, last] = [dashboard.trend.points[0]!, dashboard.trend.points.at(-1)!].map((p) => p.reported.toLocaleString('en-US'));
  const trend = charts.find((c) => c.trend)!.title;
  expect(await page.getByRole('img', { name: new RegExp(`^${escapeRegExp(trend)}.*\\b${first}\\b.*\\b${last}\\b`) }).count(), 'the trend names its first and last points').toBe(1);
}

/** The API's dashboard of the latest year with cases, the one /dashboard opens on. */
async function latestDashboard<T>(page: Page): Promise<T> {
  const meta = (await (await page.request.get('/api/evaluation/meta')).json()) as { years: number[] };
  return (await (await page.request.get(`/api/evaluation/dashboard?period=${meta.years[0]}`)).json()) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A dialog has finished zooming in: half-faded, its text would be judged against the page behind. */
async function zoomedIn(dialog: Locator): Promise<void> {
  await dialog.evaluate((d) => Promise.all(d.getAnimations({ subtree: true }).map((a) => a.finished)).then(() => undefined));
}

/**
 * Notes on the page, as the next Escape arrives, whether a drawer is open and still sliding in (it
 * takes 0.3 s): `sliding`, `open` or `none` in the root's data-drawer-at-escape. Its motion is in
 * class names (…-appear, …-enter) set before the transition runs, so the animations that `zoomedIn`
 * waits for can be missing yet.
 */
async function noteDrawerAtEscape(page: Page): Promise<void> {
  await page.evaluate(() => {
    const note = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const drawer = document.querySelector('.ant-drawer-open');
      document.documentElement.dataset.drawerAtEscape = !drawer ? 'none' : drawer.querySelector('[class*="-appear"], [class*="-enter"]') ? 'sliding' : 'open';
      window.removeEventListener('keydown', note, true);
    };
    // before the drawer's own listener, which closes it
    window.addEventListener('keydown', note, true);
  });
}

// ---------- the keyboard ----------

/** Presses Tab until `reached` holds in the page (a few dozen presses at most). */
async function tabTo(page: Page, reached: () => boolean): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(reached)) return;
  }
  throw new Error('Tab never reached the element');
}

/**
 * The dashboard's drill-downs by keyboard alone. A street's name in the ranking is a link to its own
 * dashboard. Tab reaches the first street's 上报数, a button named by its figure and what it opens, and
 * Enter opens the cases it counts; in that drawer Tab reaches a case's number, and Enter opens the
 * case. Escape closes one drawer at a time, and the focus goes back to what opened each, also when
 * it comes before the drawer has finished sliding in.
 */
async function drillDownByKeyboard(page: Page, check: (name: string) => Promise<unknown>): Promise<void> {
  const active = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
  const ranking = page.getByTestId('children-ranking');
  expect(await ranking.getByRole('link', { name: /^下钻到 \S/ }).first().getAttribute('href'), 'a street’s name links to its dashboard').toMatch(/^\/dashboard\?.*\barea=\d+/);
  // one control is one Tab stop: no button inside a link (考核指标 was both)
  expect(await page.locator('a button, a [role="button"], button a').count(), 'no control nested in another').toBe(0);
  await tabTo(page, () => !!document.activeElement?.closest('[data-testid="children-ranking"]') && /的上报数案件$/.test(document.activeElement.getAttribute('aria-label') ?? ''));
  await expect.poll(() => focusShows(page), { message: 'the focused figure shows its focus', timeout: 5_000 }).toBe(true);
  const figure = (await active())!;
  expect(figure).toMatch(/^[\d,]+，查看 \S+ 的上报数案件$/);
  const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('cases-total') });
  // Escape at once, while the drawer still slides in: it closes, and the focus goes back all the same
  await noteDrawerAtEscape(page);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => document.documentElement.dataset.drawerAtEscape), 'Escape came while the drawer slid in').toBe('sliding');
  await drawer.waitFor({ state: 'hidden' });
  await expect.poll(active, { message: 'the focus is back on the figure after a quick Escape', timeout: 5_000 }).toBe(figure);
  await page.keyboard.press('Enter');
  // the drawer lists as many cases as the figure said
  await drawer.getByTestId('cases-total').getByText(`共 ${figure.split('，')[0]!.replaceAll(',', '')} 条`).waitFor();
  await drawer.locator('.ant-table-row').first().waitFor();
  await zoomedIn(drawer);
  await check('案件明细');
  await tabTo(page, () => /^查看案件 \S+ 的详情$/.test(document.activeElement?.getAttribute('aria-label') ?? ''));
  await expect.poll(() => focusShows(page), { message: 'the focused case number shows its focus', timeout: 5_000 }).toBe(true);
  const opener = (await active())!;
  const number = await page.evaluate(() => document.activeElement!.textContent!);
  expect(opener).toBe(`查看案件 ${number} 的详情`);
  await page.keyboard.press('Enter');
  const detail = page.locator('.ant-drawer').filter({ has: page.getByTestId('case-detail') });
  await detail.getByText(`案件 ${number}`, { exact: true }).waitFor();
  await expect.poll(() => detail.evaluate((d) => d.contains(document.activeElement)), { message: 'the case takes the focus', timeout: 5_000 }).toBe(true);
  await zoomedIn(detail);
  await check('案件明细·案件');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'hidden' });
  expect(await drawer.isVisible(), 'Escape closes the case, not the list under it').toBe(true);
  await expect.poll(active, { message: 'the focus is back on the case number', timeout: 5_000 }).toBe(opener);
  // a drawer still sliding out takes Escape too (Ant Design's): the next is for the list once it has gone
  await page.locator('.ant-drawer-content-wrapper-hidden').waitFor({ state: 'attached' });
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  await expect.poll(active, { message: 'the focus is back on the figure', timeout: 5_000 }).toBe(figure);
  expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="children-ranking"]'))).toBe(true);
}

/**
 * A chart's drill-downs by keyboard alone, through its data table (数据表): Tab reaches the categories
 * chart's toggle, Enter shows the table; Tab reaches the largest class's 上报数, a button named by its
 * figure and what it opens, the figure the API counts; Enter opens the cases, as many as it said, and
 * Escape gives the focus back to it. Then with every chart's table shown, the page passes the checks.
 */
async function chartTableByKeyboard(page: Page, check: (name: string) => Promise<unknown>): Promise<void> {
  const active = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
  // from the top of the page, each table hidden again: the page remembers them only while it is open
  await page.reload();
  await page.getByTestId('headline').waitFor();
  await chartsDrawn(page);
  const toggle = page.getByRole('button', { name: '数据表：问题类别', exact: true });
  expect(await toggle.getAttribute('aria-expanded'), 'the table is hidden at first').toBe('false');
  expect(await page.getByTestId('categories-table').count()).toBe(0);
  await tabTo(page, () => document.activeElement?.getAttribute('aria-label') === '数据表：问题类别');
  await expect.poll(() => focusShows(page), { message: 'the focused toggle shows its focus', timeout: 5_000 }).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => toggle.getAttribute('aria-expanded'), { timeout: 5_000 }).toBe('true');
  const table = page.getByRole('region', { name: '数据表：问题类别', exact: true }).getByTestId('categories-table');
  await table.locator('.ant-table-row').first().waitFor();
  await tabTo(page, () => !!document.activeElement?.closest('[data-testid="categories-table"]') && /的上报数案件$/.test(document.activeElement.getAttribute('aria-label') ?? ''));
  await expect.poll(() => focusShows(page), { message: 'the focused figure shows its focus', timeout: 5_000 }).toBe(true);
  const figure = (await active())!;
  const dashboard = await latestDashboard<{ categories: { name: string; reported: number }[] }>(page);
  const largest = dashboard.categories[0]!;
  expect(figure, 'the first class is the largest, with its figure on screen first').toBe(`${largest.reported.toLocaleString('en-US')}，查看 ${largest.name} 的上报数案件`);
  expect(await page.evaluate(() => document.activeElement!.textContent)).toBe(figure.split('，')[0]);
  await page.keyboard.press('Enter');
  const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('cases-total') });
  await drawer.getByTestId('cases-total').getByText(`共 ${largest.reported} 条`).waitFor();
  await drawer.locator('.ant-table-row').first().waitFor();
  await expect.poll(() => drawer.evaluate((d) => d.contains(document.activeElement)), { message: 'the cases take the focus', timeout: 5_000 }).toBe(true);
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  await expect.poll(active, { message: 'the focus is back on the class’s figure', timeout: 5_000 }).toBe(figure);
  // every chart's table, for the automatic checks
  for (const chart of ['案件趋势', '案件来源', '问题密度分布']) await page.getByRole('button', { name: `数据表：${chart}`, exact: true }).click();
  for (const id of ['trend-table', 'sources-table', 'map-table']) await page.getByTestId(id).locator('.ant-table-row').first().waitFor();
  await check('综合评价·数据表');
}

/**
 * The map's table (shown by `chartTableByKeyboard`) on paper: in pages on screen, every area of the
 * district when printed (the print medium, as the browser's print sets it), and in pages again after.
 */
async function mapTablePrints(page: Page): Promise<void> {
  const rows = page.getByTestId('map-table').locator('.ant-table-row');
  const { map } = await latestDashboard<{ map: { items: unknown[] } }>(page);
  const onScreen = await rows.count();
  expect(onScreen, 'on screen, the map’s table shows one page of its areas').toBeLessThan(map.items.length);
  await page.emulateMedia({ media: 'print' });
  await expect.poll(() => rows.count(), { message: 'printed, the map’s table holds every area', timeout: 10_000 }).toBe(map.items.length);
  await page.emulateMedia({ media: 'screen' });
  await expect.poll(() => rows.count(), { message: 'on screen again, one page', timeout: 10_000 }).toBe(onScreen);
}

/**
 * Into another area by keyboard: Enter on a street's name in the ranking, then on a community's in
 * the map's table (still shown). The row that had the focus goes with the old area; the focus goes
 * to the page's title, which names the new area, and not to the page's body.
 */
async function intoAreasByKeyboard(page: Page): Promise<void> {
  const title = () => page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));
  const into = async (control: Locator, name: string) => {
    await control.focus();
    const before = new URL(page.url()).searchParams.get('area');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('area') !== before);
    await expect.poll(title, { message: `the title takes the focus and names ${name}`, timeout: 10_000 }).toBe(`${name} · 综合评价`);
  };
  const { children } = await latestDashboard<{ children: { rows: { id: string; name: string }[] } }>(page);
  const street = children.rows[0]!;
  await into(page.getByTestId(`drill-${street.id}`), street.name);
  const community = page.getByTestId('map-table').getByRole('button', { name: /，下钻到该区域$/ }).first();
  await into(community, (await community.textContent())!);
}

/**
 * The language switch is one Tab stop: Tab reaches it, the next Tab leaves it for something that is
 * not about the language. It shows both languages (`shown`), its name holds them and says which is on,
 * Enter switches to English and Space back, and the focus stays on it.
 */
async function languageSwitchByKeyboard(page: Page, shown: [string, string]): Promise<void> {
  const inChinese = page.getByRole('button', { name: `界面语言 ${shown.join(' / ')}，当前为中文`, exact: true });
  const inEnglish = page.getByRole('button', { name: `Language ${shown.join(' / ')}, now English`, exact: true });
  const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement);
  await tabTo(page, () => document.activeElement?.getAttribute('aria-label')?.startsWith('界面语言') === true);
  expect(await inChinese.count(), 'one button shows both languages and says Chinese is on').toBe(1);
  expect(await focused(inChinese)).toBe(true);
  for (const name of shown) expect(await inChinese.textContent()).toContain(name);
  await expect.poll(() => focusShows(page), { message: 'the focused language switch shows its focus', timeout: 5_000 }).toBe(true);
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const el = document.activeElement;
    return el && el !== document.body ? `${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''}` : null;
  });
  expect(next, 'Tab moves on from the language switch').not.toBeNull();
  expect(shown.some((n) => next!.includes(n)), `one Tab left the language switch, for «${next}»`).toBe(false);
  await page.keyboard.press('Shift+Tab');
  expect(await focused(inChinese)).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 5_000 }).toBe('en');
  expect(await focused(inEnglish), 'the switch, still focused, says English is on').toBe(true);
  await page.keyboard.press(' ');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 5_000 }).toBe('zh-CN');
  expect(await focused(inChinese)).toBe(true);
}

/** The label of the focused form field. */
function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const field = document.activeElement;
    return field?.id ? (document.querySelector(`label[for="${field.id}"]`)?.textContent ?? null) : null;
  });
}

/**
 * Whether the focused element shows that it has the focus: an outline, or Ant Design's ring (a box
 * shadow on the field's frame).
 */
function focusShows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const own = getComputedStyle(el);
    if (own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0) return true;
    const frame = el.closest('.ant-input-affix-wrapper');
    return !!frame && getComputedStyle(frame).boxShadow !== 'none';
  });
}
