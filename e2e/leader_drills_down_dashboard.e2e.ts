import { unzipSync, strFromU8 } from 'fflate';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickInList, screenshot, SCREENSHOT_DIR, type JourneyPage } from './support/browser.js';
import { onePageJourney, signInThroughForm } from './support/journey.js';

/**
 * A district leader opens the dashboard of the demo year (2013, the quick size under the test
 * runner), reads the headline figures, drills down district → street → community → grid, opens
 * the cases behind a figure and one case with its history, then the indicator tables, and prints
 * the year's report and saves it as a Word file.
 */
describe('leader drills down the dashboard', () => {
  const j = onePageJourney({ demo: true, width: 1600, height: 1000 });

  it('reads the year, drills down to a grid and opens a case behind a figure', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    await signInThroughForm(page, server.users.leader);

    // the menu leads to the dashboard, which opens on the latest year with figures
    await page.getByRole('navigation').getByRole('link', { name: '综合评价' }).click();
    await page.waitForURL('**/dashboard');
    const api = await (await page.request.get('/api/evaluation/dashboard?period=2013')).json();
    const reported = api.figures.values.reported as number;
    expect(reported).toBeGreaterThan(1000);
    await page.getByTestId('figure-reported').getByText(reported.toLocaleString('zh-CN')).waitFor();
    await page.getByTestId('figure-completion_rate').getByText('98.3%').waitFor();
    await expect.poll(() => page.title()).toContain('综合评价');
    // 2013 is the demo's first year: nothing to compare it with (较上期)
    expect(await page.getByTestId('headline').locator('.og-eval-change').count()).toBe(0);
    await chartsDrawn(page);
    // a grid worker with too little work for a place is marked, and takes none; a ranked street shows its place.
    // When none did enough (a small demo's year), one note says so instead of a mark on every row.
    const workers = api.workers as (Row & { ranked: boolean; figures: { score: number | null } })[];
    const noneRanked = workers.length > 0 && workers.every((w) => !w.ranked);
    for (const w of workers) {
      expect(await page.getByTestId(`unranked-${w.id}`).count()).toBe(noneRanked || w.ranked || w.figures.score === null ? 0 : 1);
    }
    expect(await page.getByTestId('workers-ranking-none-ranked').count()).toBe(noneRanked ? 1 : 0);
    if (noneRanked) await page.getByTestId('workers-ranking-none-ranked').getByText(`均少于 ${api.rankMinimum} 件`).waitFor();
    // the mark says why, with the least in force
    const unplaced = workers.find((w) => !w.ranked && w.figures.score !== null);
    if (unplaced && !noneRanked) {
      await page.getByTestId(`unranked-${unplaced.id}`).hover();
      await page.getByText(`本期业务量少于 ${api.rankMinimum} 件，照常计分，不参与排名`).first().waitFor();
      await page.mouse.move(0, 0);
    }
    const topStreet = (api.children.rows as (Row & { ranked: boolean })[])[0]!;
    expect(topStreet.ranked).toBe(true);
    expect(await page.getByTestId('children-ranking').locator('tbody tr.ant-table-row').first().locator('.og-eval-rank').innerText()).toBe('1');
    await tallScreenshot(page, 'dashboard');
    // the same density as a heat map
    await page.getByText('热力图', { exact: true }).click();
    const heat = page.getByTestId('density-map-heat');
    await heat.waitFor();
    await page.waitForTimeout(800);
    await heat.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-heat.png') });
    await page.getByText('分布图', { exact: true }).click();
    // the categories' figures as a table under the chart (数据表), each a button to its cases
    const dataTable = page.getByRole('button', { name: '数据表：问题类别', exact: true });
    await dataTable.click();
    await page.getByTestId('categories-table').locator('.ant-table-row').first().waitFor();
    await page.mouse.move(0, 0);
    await page.locator('.ant-wave').first().waitFor({ state: 'detached' }); // the click's ripple on the toggle
    await page.locator('.ant-card').filter({ has: dataTable }).screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-data-table.png') });
    await dataTable.click();

    // district → the best-ranked street → its best-ranked community → its best-ranked grid (each with cases)
    const first = (rows: Row[]) => rows.slice(0, 10).find((r) => r.figures.values.reported > 0)!;
    const street = first(api.children.rows);
    await drill(page, street.id);
    await page.getByRole('heading', { name: new RegExp(street.name) }).waitFor();
    const streetApi = await (await page.request.get(`/api/evaluation/dashboard?period=2013&area=${street.id}`)).json();
    const community = first(streetApi.children.rows);
    await drill(page, community.id);
    const communityApi = await (await page.request.get(`/api/evaluation/dashboard?period=2013&area=${community.id}`)).json();
    const grid = first(communityApi.children.rows);
    await drill(page, grid.id);
    await page.getByRole('heading', { name: new RegExp(grid.name) }).waitFor();
    // the breadcrumb leads back up: district › street › community › grid
    const crumbs = page.locator('.og-page-header .ant-breadcrumb');
    for (const name of [street.name, community.name]) await crumbs.getByText(name, { exact: true }).waitFor();
    await page.getByTestId('figure-reported').locator('.og-stat-value').getByText(String(grid.figures.values.reported), { exact: true }).waitFor();
    await chartsDrawn(page);
    await tallScreenshot(page, 'dashboard-grid');

    // the cases behind a figure, and one case with its history and the figures it counts in
    await page.getByTestId('figure-reported').click();
    const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('cases-total') });
    await drawer.getByTestId('cases-total').getByText(`共 ${grid.figures.values.reported} 条`).waitFor();
    await drawer.locator('.ant-table-row').first().click();
    const detail = page.getByTestId('case-detail');
    await detail.waitFor();
    await detail.getByText('上报', { exact: true }).first().waitFor();
    await detail.getByText('上报数').first().waitFor();
    await screenshot(page, 'dashboard-case');
    await page.getByTestId('open-case').click();
    await page.waitForURL(/\/cases\/\d+$/);

    // a month is compared with the month before (较上期): June with May, as the API counts them
    await page.goto('/dashboard?period=2013-06');
    const june = await (await page.request.get('/api/evaluation/dashboard?period=2013-06')).json();
    expect(june.previous.range).toEqual({ from: '2013-05-01', to: '2013-05-31' });
    const [now, before] = [june.figures.values.reported as number, june.previous.figures.values.reported as number];
    expect(before).toBeGreaterThan(0);
    const change = Math.round(((now - before) / before) * 1000) / 10;
    const said = `较上期 ${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toFixed(1)}%`;
    await page.getByTestId('change-reported').getByText(said).waitFor();
    // a rate in points, coloured by whether it got better
    const rate = page.getByTestId('change-completion_rate');
    await rate.getByText(/个百分点|与上期持平/).waitFor();
    expect(['better', 'worse', 'same']).toContain(await rate.getAttribute('data-verdict'));
    await page.getByTestId('headline').screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-compared.png') });

    // the indicator tables: the grid workers of the district, scored and graded
    await page.goto('/evaluation/indicators?period=2013&subject=worker');
    const table = page.getByTestId('indicator-table');
    await table.locator('.ant-table-row').first().waitFor();
    await table.getByText(/^[A-E]$/).first().waitFor();
    await screenshot(page, 'indicators');

    // the year as a report to print: the same figures, the streets best first, the months adding up
    await page.getByRole('navigation').getByRole('link', { name: '年度报告' }).click();
    await page.waitForURL('**/evaluation/report');
    const report = page.locator('article.og-report');
    await report.getByRole('heading', { name: '通州区网格化社会服务管理2013年度运行报告' }).waitFor();
    await report.locator('.og-report-headline').getByText(reported.toLocaleString('zh-CN'), { exact: true }).waitFor();
    await report.locator('.og-report-headline').getByText('98.3%', { exact: true }).waitFor();
    await report.getByText(`2013 年，通州区共受理各类问题上报 ${reported.toLocaleString('zh-CN')} 件`).waitFor();
    const areaRows = report.getByTestId('report-areas').locator('tbody tr');
    expect(await areaRows.count()).toBe(api.children.rows.length);
    const best = [...(api.children.rows as (Row & { figures: { score: number | null } })[])].sort((a, b) => (b.figures.score ?? -1) - (a.figures.score ?? -1))[0]!;
    expect(await areaRows.first().locator('td').nth(1).innerText()).toBe(best.name);
    const months = report.getByTestId('report-months');
    expect(await months.locator('tbody tr').count()).toBe(12);
    expect(await months.locator('tfoot td').nth(1).innerText()).toBe(reported.toLocaleString('zh-CN'));
    // the demo has no year before 2013, so nothing is compared (同比)
    expect(await report.getByTestId('change-reported').count()).toBe(0);
    await screenshot(page, 'annual-report');
    // saved as a Word file, written in the browser, with the same figures
    const [word] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Word' }).click()]);
    expect(word.suggestedFilename()).toBe('通州区2013年度运行报告.docx');
    const docx = unzipSync(new Uint8Array(await readFile((await word.path())!)));
    const documentXml = strFromU8(docx['word/document.xml']!);
    expect(documentXml).toContain('通州区网格化社会服务管理2013年度运行报告');
    expect(documentXml).toContain(`上报 ${reported.toLocaleString('zh-CN')} 件`);
    expect(documentXml).toContain(best.name);
    // printed: the console's menu and header and the page's controls stay off the paper
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    expect(await report.isVisible()).toBe(true);
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    expect((pdf.match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(3);
    await page.emulateMedia({ media: 'screen' });
    // one street's report, picked from the areas below
    await pickInList(page, page.getByLabel('报告范围'), page.locator(`.ant-select-item-option[title="${street.name}"]`), street.name);
    await report.getByRole('heading', { name: `${street.name}网格化社会服务管理2013年度运行报告` }).waitFor();
    expect(new URL(page.url()).searchParams.get('area')).toBe(street.id);

    expect(errors).toEqual([]);
  });
});

interface Row {
  id: string;
  name: string;
  figures: { values: Record<string, number> };
}

async function drill(page: JourneyPage['page'], code: string): Promise<void> {
  await page.getByTestId(`drill-${code}`).first().click();
  await page.waitForURL((url) => url.searchParams.get('area') === code);
  await page.getByTestId('headline').waitFor();
}

/** The whole page in one picture, with the layout as tall as the page (the side menu included). */
async function tallScreenshot(page: JourneyPage['page'], name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  await page.waitForTimeout(600);
  await screenshot(page, name);
  await page.setViewportSize(viewport);
}

/** Every chart on the page has loaded ECharts and the map its shapes. */
async function chartsDrawn(page: JourneyPage['page']): Promise<void> {
  await page.locator('.og-eval-chart[data-ready="false"]').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(800); // the charts' entry animation
}
