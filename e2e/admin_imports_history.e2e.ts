import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { onePageJourney, signInThroughForm } from './support/journey.js';

/**
 * An administrator brings in cases from an earlier system: a file with mistakes is refused with each
 * problem by line and field (nothing imported); a large file is started and cancelled half-way, and
 * what it had written is removed again; a small valid file goes in.
 */
describe('admin imports historical cases', () => {
  const j = onePageJourney({ demo: true, width: 1440, height: 900 });
  const HEADER = '编号,上报时间,问题类别,状态,处置部门,网格,地址,描述,来源,派遣时间,处置时间,办结时间';

  it('refuses a file with mistakes, cancels a large one, and imports a valid one', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    const { db } = server.ctx.dbh;
    const grids = (await db.selectFrom('divisions').select('code').where('level', '=', 0).orderBy('code').limit(20).execute()).map((g) => g.code);
    const imported = async (prefix: string) => Number((await db.selectFrom('cases').where('description', 'like', `${prefix}%`)
      .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const rows = (n: number, text: string) => [HEADER, ...Array.from({ length: n }, (_, i) => {
      const day = new Date(Date.UTC(2011, 0, 1 + (i % 360))).toISOString().slice(0, 10);
      return `Y-${i},${day} 09:00,01001,已办结,CG,${grids[i % grids.length]},通州区某路${i}号,${text}${i},网格员上报,${day} 09:30,${day} 10:30,${day} 11:00`;
    })].join('\n');
    // a file is read before 开始导入 sends it (a large one takes a moment): its name shows once it is
    const upload = async (name: string, csv: string) => {
      await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 60_000 });
    };

    await signInThroughForm(page, server.users.admin);
    await page.getByRole('navigation').getByRole('link', { name: '历史数据导入' }).click();
    await page.waitForURL('**/evaluation/import');

    // mistakes: a month that does not exist, a category and a department that are not there
    const bad = rows(2, '旧系统问题').split('\n');
    bad.push(`Y-9,2011-13-06 09:00,01001,已办结,CG,${grids[0]},,有误的日期,网格员上报,,,2011-05-06 11:00`);
    bad.push(`Y-10,2011-05-06 09:00,99999,已办结,火星局,${grids[0]},,有误的类别,网格员上报,,,2011-05-06 11:00`);
    await upload('历史案件.csv', bad.join('\n'));
    await page.getByRole('button', { name: '开始导入' }).click();
    const job = page.getByTestId('import-job');
    await job.getByText('有 3 处错误，未导入任何数据').waitFor();
    await job.getByText('“2011-13-06 09:00”不是日期时间（YYYY-MM-DD HH:mm）').waitFor();
    await job.getByText('“火星局”不是已登记的部门').waitFor();
    expect(await imported('旧系统问题')).toBe(0);
    await screenshot(page, 'evaluation-import', { fullPage: true });

    // a large file, cancelled once it is writing: the cases it wrote go again
    // (50,000 rows: a hundred chunks to write, long enough to cancel on the way while the page and
    // the server share a process here, each step of the page waiting for the chunk being written;
    // the file is checked whole first)
    await upload('十年历史.csv', rows(50_000, '十年历史'));
    await page.getByRole('button', { name: '开始导入' }).click();
    await job.getByText('正在导入…').waitFor({ timeout: 120_000 });
    // rows done of the file's 50,000, and the time left once the import has a rate
    await expect.poll(() => job.getByTestId('import-progress-text').textContent(), { timeout: 30_000 })
      .toMatch(/^[\d,]+ \/ 50,000 行 · 预计还需(不到 1 分钟|约 \d+ 分钟)$/);
    // the list of recent imports follows the running one too
    const recent = page.locator('.ant-card').filter({ hasText: '最近的导入' });
    await recent.locator('tr', { hasText: '十年历史.csv' }).getByText(/^[1-9][\d,]* \/ 50,000$/).waitFor();
    await job.scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluation-import-progress');
    await job.getByRole('button', { name: '取消导入' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    // (it stops within a chunk, then removes the chunks it wrote: half a minute to a minute here,
    // longer on a busy machine)
    await job.getByText('导入已取消').waitFor({ timeout: 180_000 });
    await job.getByText('已写入的案件已全部撤回，可重新导入。').waitFor();
    expect(await imported('十年历史')).toBe(0);
    await recent.locator('tr', { hasText: '十年历史.csv' }).getByText('已取消').waitFor();
    await screenshot(page, 'evaluation-import-cancelled', { fullPage: true });

    // a valid file goes in, though the first looks at its progress do not reach the server
    let lost = 0;
    await page.route(/\/api\/evaluation\/imports\/\d+$/, (route) => (route.request().method() === 'GET' && lost++ < 3 ? route.abort('connectionreset') : route.fallback()));
    await upload('历史案件-修正.csv', rows(3, '旧系统问题'));
    await page.getByRole('button', { name: '开始导入' }).click();
    await job.getByText('暂时取不到导入进度，正在重试').waitFor();
    await job.getByText('已导入 3 行，跳过 0 行').waitFor({ timeout: 60_000 });
    expect(lost).toBeGreaterThanOrEqual(3);
    await page.unroute(/\/api\/evaluation\/imports\/\d+$/);
    expect(await imported('旧系统问题')).toBe(3);

    // the looks that did not reach the server are the only errors the browser saw
    expect(errors.filter((e) => !e.includes('net::ERR_CONNECTION_RESET'))).toEqual([]);
  }, 420_000);
});
