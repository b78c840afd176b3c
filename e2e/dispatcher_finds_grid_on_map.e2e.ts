import { describe, expect, it } from 'vitest';
import { screenshot, type JourneyPage } from './support/browser.js';
import { onePageJourney, signInThroughForm } from './support/journey.js';

/**
 * A district dispatcher opens the map of the whole demo district (1,809 grids), finds a grid by the
 * 15-digit code read off a report, and sees its card: where it is, how big, who heads it, its team.
 */
describe('dispatcher finds a grid on the map', () => {
  const j = onePageJourney({ demo: true, width: 1440, height: 900 });

  it('searches a grid by its code and sees its card with the grid head', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    const { db } = server.ctx.dbh;
    // A grid in the town centre, with its grid head, community and street as the database has them.
    const grid = await db
      .selectFrom('divisions as g')
      .innerJoin('divisions as c', 'c.code', 'g.parent_code')
      .innerJoin('divisions as s', 's.code', 'c.parent_code')
      .innerJoin('team_assignments as a', 'a.grid_code', 'g.code')
      .innerJoin('team_members as m', 'm.id', 'a.member_id')
      .where('g.level', '=', 0)
      .where('m.role', '=', 'grid_head')
      .where('g.code', 'like', '110112001%')
      .select(['g.code', 'g.name', 'c.name as community', 's.name as street', 'm.name as head'])
      .orderBy('g.code')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(grid.code).toMatch(/^\d{15}$/);

    await signInThroughForm(page, server.users.district);

    // The menu leads to the map, which frames the whole district with its streets named.
    await page.getByRole('navigation').getByRole('link', { name: '网格地图' }).click();
    await page.waitForURL('**/map');
    await expect.poll(() => page.title()).toContain('网格地图');
    const map = page.getByTestId('grid-map');
    await map.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 60_000 });
    await page.getByText('当前显示：街道·乡镇').waitFor();
    await page.getByRole('status').filter({ hasText: '正在加载区划图层' }).waitFor({ state: 'detached', timeout: 60_000 });
    await settled(page);
    const districtZoom = Number(await map.getAttribute('data-zoom'));
    expect(districtZoom).toBeLessThan(11);
    await page.locator('.og-map-legend').getByText('网格界').waitFor();
    await screenshot(page, 'map');

    // The code typed into the search and Enter: the map flies to the grid and opens its card.
    const search = page.getByLabel('搜索网格、社区或街道');
    await search.fill(grid.code);
    await search.press('Enter');
    await page.waitForURL(`**/map?grid=${grid.code}`);
    const card = page.getByTestId('grid-card');
    await card.getByTestId('grid-card-code').getByText(grid.code, { exact: true }).waitFor();
    await card.getByRole('heading', { name: grid.name }).waitFor();
    await card.getByTestId('grid-head').getByText(grid.head, { exact: true }).waitFor();
    expect(await card.textContent()).toContain(grid.street);
    expect(await card.textContent()).toContain(grid.community.replace(/居委会$|居民委员会$/, ''));
    expect(await card.textContent()).toMatch(/专职力量 \d+/);
    // a masked phone for a dispatcher: 3 digits, four stars, 4 digits
    expect(await card.getByTestId('grid-head').textContent()).toMatch(/\d{3}\*{4}\d{4}/);
    // the search moved keyboard focus into the card, for the next Tab
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe(grid.name);

    await page.waitForTimeout(200);
    await settled(page);
    expect(Number(await map.getAttribute('data-zoom'))).toBeGreaterThan(13);
    await page.getByText('当前显示：网格').waitFor();
    await page.mouse.move(10, 890); // no hover tooltip in the picture
    await screenshot(page, 'grid-card');

    const teamSize = Number((await card.textContent())!.match(/共 (\d+) 人/)![1]);

    // Escape closes the card and the address forgets the grid.
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    expect(new URL(page.url()).search).toBe('');

    // Back to the card, and on to the grid's team in the team list, already filtered to this grid.
    await search.fill(grid.code);
    await search.press('Enter');
    await card.getByTestId('grid-head').waitFor();
    await card.getByRole('link', { name: '在网格团队中查看' }).click();
    await page.waitForURL(`**/team?area=${grid.code}`);
    await expect.poll(() => page.title()).toContain('网格工作团队');
    const total = page.getByTestId('team-total');
    await total.getByText(`共 ${teamSize} 人`).waitFor();
    const members = page.locator('#og-team-members .ant-table-tbody');
    await members.getByText(grid.head, { exact: true }).waitFor();
    // phones stay masked for a dispatcher
    expect(await members.textContent()).toMatch(/\d{3}\*{4}\d{4}/);
    expect(await members.textContent()).not.toMatch(/(?<!\d)1\d{10}(?!\d)/);
    // the counts of the whole district, with the totals the demo promises
    const counts = page.locator('.og-team-counts');
    await counts.locator('.og-summary-row').getByText('15,082').waitFor();
    await page.getByText('其中网格长 1,809 人').waitFor();
    await screenshot(page, 'team', { fullPage: true });

    expect(errors).toEqual([]);
  });
});

/** The map has stopped moving and drawn everything it loaded. */
async function settled(page: JourneyPage['page']): Promise<void> {
  await page.locator('[data-testid="grid-map"][data-idle="true"]').waitFor({ timeout: 60_000 });
}
