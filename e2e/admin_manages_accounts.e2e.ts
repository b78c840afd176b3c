import { request, type APIRequestContext, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickInList, screenshot, type JourneyPage } from './support/browser.js';
import { onePageJourney, signInThroughForm } from './support/journey.js';

/**
 * An administrator opens an account for a new street dispatcher, gives and takes back grants,
 * resets the password and disables the account; issues an API key for the 12345 hotline, sees it
 * once, copies it and revokes it; adds a professional department; changes a grade band of the
 * evaluation's scores; enters next year's holidays on the working calendar and sets winter office
 * hours; renames a community;
 * and finds every one of those steps in the audit log.
 * Each step is checked against the API as the new user, the key or the evaluation would meet it.
 */
describe('admin manages accounts', () => {
  const j = onePageJourney();
  let outsider: APIRequestContext;

  beforeAll(async () => {
    await j.journey.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: j.server.url });
    // someone else's browser: the new account and the key are tried here, away from the admin's session
    outsider = await request.newContext({ baseURL: j.server.url });
  });

  afterAll(async () => {
    await outsider?.dispose();
  });

  it('creates an account, changes its grants and password, disables it, issues and revokes an API key, adds a department, changes the weights and next year\'s calendar', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    const signInAs = (username: string, password: string) => outsider.post('/api/auth/login', { data: { username, password } });

    await signInThroughForm(page, server.users.admin);
    await page.getByRole('navigation').getByRole('link', { name: '用户与授权' }).click();
    await page.waitForURL('**/admin/users');

    // A new account with a generated password and a first grant over one street.
    await page.getByRole('button', { name: '新建账号' }).click();
    let dialog = page.getByRole('dialog', { name: '新建账号' });
    await dialog.getByLabel('用户名').fill('wangfang');
    await dialog.getByLabel('姓名').fill('街道分中心调度员 王芳');
    await dialog.getByRole('button', { name: '生成强密码' }).click();
    const firstPassword = await dialog.locator('#createUser_password').inputValue();
    expect(firstPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{14}$/);
    await pick(page, dialog.getByLabel('角色'), '街道分中心调度员');
    await pickDivision(page, dialog.getByLabel('辖区'), '中仓街道');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByText('已创建账号 街道分中心调度员 王芳').waitFor();
    const row = page.locator('.ant-table-row', { hasText: 'wangfang' });
    await row.getByText('街道分中心调度员 · 中仓街道').waitFor();
    expect((await signInAs('wangfang', firstPassword)).status()).toBe(200);

    // A second grant, then the first one taken back.
    await row.getByRole('button', { name: /授权$/ }).click();
    dialog = page.getByRole('dialog', { name: '为 街道分中心调度员 王芳 授权' });
    await pick(page, dialog.getByLabel('角色'), '领导（只读）');
    await pickDivision(page, dialog.getByLabel('辖区'), '新华街道');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await row.getByText('领导（只读） · 新华街道').waitFor();
    await row.locator('.og-grant-tag', { hasText: '中仓街道' }).locator('.ant-tag-close-icon').click();
    await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText('已收回授权').waitFor();
    await row.locator('.og-grant-tag', { hasText: '中仓街道' }).waitFor({ state: 'detached' });
    await screenshot(page, 'admin-users');

    // A new password: the old one stops working, the new one works.
    await row.getByRole('button', { name: '重置密码' }).click();
    dialog = page.getByRole('dialog', { name: '重置 街道分中心调度员 王芳 的密码' });
    await dialog.locator('#resetPassword_password').fill('short1');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('密码至少 10 位，且须同时包含字母和数字').waitFor();
    const secondPassword = 'Tongzhou2026net';
    await dialog.locator('#resetPassword_password').fill(secondPassword);
    await dialog.getByLabel('确认新密码').fill(secondPassword);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已重置 街道分中心调度员 王芳 的密码').waitFor();
    expect((await signInAs('wangfang', firstPassword)).status()).toBe(401);
    expect((await signInAs('wangfang', secondPassword)).status()).toBe(200);

    // Disabled: the account can no longer sign in.
    await row.getByRole('button', { name: '停用' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
    await row.getByText('已停用').waitFor();
    const refused = await signInAs('wangfang', secondPassword);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('account_disabled');

    // An API key for the hotline: shown once, copied, working; then revoked and refused.
    await page.getByRole('navigation').getByRole('link', { name: '接口密钥' }).click();
    await page.waitForURL('**/admin/apikeys');
    await page.getByRole('button', { name: '新建密钥' }).click();
    dialog = page.getByRole('dialog', { name: '新建接口密钥' });
    await dialog.getByLabel('名称').fill('12345 热线对接');
    await pick(page, dialog.getByLabel('角色'), '区中心调度员');
    await pickDivision(page, dialog.getByLabel('辖区'), '通州区');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    const shown = page.getByRole('dialog', { name: '密钥已创建' });
    const key = (await shown.getByTestId('new-api-key').locator('code').textContent())!.trim();
    expect(key).toMatch(/^og_/);
    await shown.getByRole('button', { name: '复制密钥' }).click();
    await shown.getByRole('button', { name: '已复制' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await screenshot(page, 'admin-apikey-created');
    await shown.getByRole('button', { name: '我已保存' }).click();
    await shown.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(key);
    const keyRow = page.locator('.ant-table-row', { hasText: '12345 热线对接' });
    await keyRow.getByText(key.slice(0, 12)).waitFor();
    // where it works, by the area's name
    await keyRow.getByText('通州区', { exact: true }).waitFor();
    const asKey = () => outsider.get('/api/divisions', { headers: { authorization: `Bearer ${key}` } });
    expect((await asKey()).status()).toBe(200);
    await keyRow.getByRole('button', { name: '吊销' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
    await keyRow.getByText('已吊销').waitFor();
    expect((await asKey()).status()).toBe(401);

    // A professional department: the code typed in lower case is kept in capitals; listed with the
    // area it serves beside the departments there already.
    await page.getByRole('navigation').getByRole('link', { name: '部门管理' }).click();
    await page.waitForURL('**/admin/departments');
    const departments = page.locator('.ant-table-tbody .ant-table-row');
    await departments.filter({ hasText: '区城管执法局' }).waitFor();
    await page.getByRole('button', { name: '新建部门' }).click();
    dialog = page.getByRole('dialog', { name: '新建专业部门' });
    await dialog.getByLabel('部门代码').fill('sw');
    expect(await dialog.getByLabel('部门代码').inputValue()).toBe('SW');
    await dialog.getByLabel('部门名称').fill('区水务局');
    await dialog.getByLabel('英文名称').fill('Water authority');
    await pickDivision(page, dialog.getByLabel('服务范围'), '通州区');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByText('已创建部门 区水务局').waitFor();
    const department = departments.filter({ hasText: '区水务局' });
    await department.getByText('SW', { exact: true }).waitFor();
    await department.getByText('Water authority').waitFor();
    await department.getByText('通州区').waitFor();
    expect(await departments.count()).toBe(4);
    await page.getByText('共 4 个部门').waitFor();
    // renamed: the code and the area stay
    await department.getByRole('button', { name: '修改' }).click();
    dialog = page.getByRole('dialog', { name: '修改部门 SW' });
    await dialog.getByLabel('部门名称').fill('区水务局（区节水办）');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存部门 区水务局（区节水办）').waitFor();
    await departments.filter({ hasText: '区水务局（区节水办）' }).getByText('SW', { exact: true }).waitFor();
    await messagesGone(page);
    await screenshot(page, 'admin-departments');

    // The weights of the composite scores and the grade bands, as in force; grade A lowered to 85.
    await page.getByRole('navigation').getByRole('link', { name: '考核指标' }).click();
    await page.waitForURL('**/evaluation/indicators');
    await page.getByRole('button', { name: '权重设置' }).click();
    dialog = page.getByRole('dialog', { name: '综合得分权重与等级线' });
    for (const model of ['区域（街道、社区、网格）', '网格员', '调度员', '专业部门']) await dialog.getByText(model, { exact: true }).waitFor();
    const field = (label: string) => dialog.getByLabel(label, { exact: true });
    await field('办结率').waitFor();
    const shownWeights = await Promise.all(['办结率', '按期办结率', '有效上报率', '按时派遣率', '结案率', 'A', 'B', 'C', 'D'].map((label) => field(label).inputValue()));
    expect(shownWeights).toEqual(['40', '30', '40', '50', '40', '90', '75', '60', '40']);
    await messagesGone(page);
    await screenshot(page, 'evaluation-weights');
    await field('A').fill('85');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存，得分已按新权重重新计算').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    const weights = (await (await page.request.get('/api/evaluation/weights')).json()) as { grades: Record<string, number> };
    expect(weights.grades).toEqual({ A: 85, B: 75, C: 60, D: 40 });

    // Next year's holidays, as the State Council publishes them in December: New Year's Day off from
    // Friday to Sunday and the Saturday after worked; the year is saved whole and the clock runs on it.
    await page.getByRole('navigation').getByRole('link', { name: '工作日历' }).click();
    await page.waitForURL('**/admin/calendar');
    const yearCard = page.locator('.ant-card', { hasText: '全年工作日' });
    const thisYear = new Date().getFullYear();
    await page.getByRole('button', { name: '下一年' }).click();
    await page.getByText(`${thisYear + 1} 年尚未录入节假日`).waitFor();
    const year = thisYear + 1;
    const saturday = (m: number) => {
      for (let d = 1; ; d++) if (new Date(Date.UTC(year, m - 1, d)).getUTCDay() === 6) return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    };
    const worked = saturday(3);
    const markDay = async (date: string, choice: string) => {
      await page.getByRole('button', { name: new RegExp(`^\\d+\\D*${date} `) }).click();
      await page.getByRole('menuitem', { name: choice }).last().click();
    };
    for (const d of ['01', '02', '03']) await markDay(`${year}-01-${d}`, '标为放假');
    await markDay(worked, '标为调休上班');
    await page.getByRole('textbox', { name: `${year}-01-01 至 ${year}-01-03 放假的名称` }).fill('元旦');
    const weekdaysOff = [1, 2, 3].filter((d) => ![0, 6].includes(new Date(Date.UTC(year, 0, d)).getUTCDay())).length;
    const weekdays = Array.from({ length: new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1 ? 366 : 365 }, (_, i) => new Date(Date.UTC(year, 0, 1 + i)).getUTCDay())
      .filter((w) => w !== 0 && w !== 6).length;
    const workingDays = weekdays - weekdaysOff + 1;
    const figure = (title: string) => page.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content-value');
    expect(await figure('全年工作日').innerText()).toBe(String(workingDays));
    expect(await figure('放假').innerText()).toBe('3');
    // another year would drop the marks: asked first, and kept when the administrator cancels
    await page.getByRole('button', { name: '上一年' }).click();
    dialog = page.getByRole('dialog', { name: `放弃 ${year} 年未保存的修改？` });
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('有未保存的修改').waitFor();
    await yearCard.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(`已保存 ${year} 年工作日历：全年工作日 ${workingDays} 天`).waitFor();
    await page.getByText('有未保存的修改').waitFor({ state: 'hidden' });
    const calendar = (await (await page.request.get(`/api/admin/calendar/${year}`)).json()) as { holidays: unknown[]; workdays: unknown[]; workingDays: number; version: string };
    expect(calendar).toEqual({
      year, workingDays, version: expect.any(String),
      holidays: ['01', '02', '03'].map((d) => ({ date: `${year}-01-${d}`, name: '元旦' })),
      workdays: [{ date: worked, name: null }],
    });
    // the workflow's clock (what due times are computed on) counts the new year at once
    const clock = (await (await page.request.get(`/api/calendar/${year}`)).json()) as { workingDayCount: number };
    expect(clock.workingDayCount).toBe(workingDays);
    await page.evaluate(() => window.scrollTo(0, 0));
    await messagesGone(page);
    await screenshot(page, 'admin-calendar');
    // another administrator saves the year meanwhile: a save on the year as read here is refused, and
    // the page offers what is saved now rather than undoing theirs
    await markDay(`${year}-05-03`, '标为放假');
    const csrf = ((await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string }).csrfToken;
    const theirs = await page.request.put(`/api/admin/calendar/${year}`, {
      headers: { 'x-csrf-token': csrf },
      data: { holidays: [...calendar.holidays, { date: `${year}-05-01`, name: '劳动节' }], workdays: calendar.workdays, baseVersion: calendar.version },
    });
    expect(theirs.status(), await theirs.text()).toBe(200);
    await yearCard.getByRole('button', { name: /保\s*存/ }).click();
    dialog = page.getByRole('dialog', { name: `${year} 年的工作日历已被他人修改` });
    await dialog.getByRole('button', { name: '载入最新' }).click();
    await page.locator('.og-cal-breaks').getByText('05-01 · 1 天').waitFor();
    await page.getByText('有未保存的修改').waitFor({ state: 'hidden' });
    expect(((await (await page.request.get(`/api/admin/calendar/${year}`)).json()) as { holidays: unknown[] }).holidays).toHaveLength(4);
    // winter office hours: the afternoon from 13:00; a period overlapping the morning is refused first
    const timing = page.locator('.ant-card', { hasText: '办公时间与计时' });
    await timing.getByLabel('第 2 个时段开始').fill('11:00');
    await timing.getByRole('button', { name: /保\s*存/ }).click();
    await timing.getByText('第 2 个时段：结束时间须晚于开始时间').waitFor();
    await timing.getByLabel('第 2 个时段开始').fill('13:00');
    await timing.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存办公时间与计时设置').waitFor();
    const settings = (await (await page.request.get('/api/admin/workflow-settings')).json()) as { officeHours: number[][]; yellowShare: number };
    expect(settings).toMatchObject({ officeHours: [[540, 720], [780, 1050]], yellowShare: 0.8 });

    // A community renamed (its code stays): the tree and the panel show the new name at once.
    await page.goto(`${server.url}/divisions/110112001006`);
    const detail = page.locator('.ant-card', { has: page.getByRole('heading', { name: '悟仙观社区居委会' }) });
    await detail.getByRole('button', { name: '修改名称' }).click();
    dialog = page.getByRole('dialog', { name: '修改社区·村名称' });
    await dialog.getByLabel('名称').fill('');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('请输入名称').waitFor();
    await dialog.getByLabel('名称').fill('悟仙观社区');
    await screenshot(page, 'admin-division-rename');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已改名为“悟仙观社区”').waitFor();
    await page.getByRole('heading', { name: '悟仙观社区', exact: true }).waitFor();
    await page.locator('.og-division-tree [data-division-code="110112001006"]', { hasText: '悟仙观社区' }).waitFor();
    expect(await page.locator('.og-division-tree').getByText('悟仙观社区居委会').count()).toBe(0);
    const renamed = (await (await page.request.get('/api/divisions/110112001006')).json()) as { division: { name: string } };
    expect(renamed.division.name).toBe('悟仙观社区');

    // Every step is in the audit log, newest first.
    await page.getByRole('navigation').getByRole('link', { name: '审计日志' }).click();
    await page.waitForURL('**/admin/audit');
    const log = page.locator('.ant-table-tbody');
    await log.getByText('修改考核权重').waitFor();
    const actions = (await log.locator('.ant-tag').allInnerTexts()).map((s) => s.trim());
    for (const action of ['修改区划名称', '修改案件设置', '修改工作日历', '修改考核权重', '修改部门', '创建部门', '吊销接口密钥', '创建接口密钥', '停用账号', '重置密码', '收回授权', '授权', '创建账号']) expect(actions, action).toContain(action);
    expect(actions.indexOf('修改工作日历')).toBeLessThan(actions.indexOf('修改考核权重'));
    expect(actions.indexOf('修改考核权重')).toBeLessThan(actions.indexOf('创建部门'));
    expect(actions.indexOf('修改部门')).toBeLessThan(actions.indexOf('创建部门'));
    expect(actions.indexOf('创建部门')).toBeLessThan(actions.indexOf('吊销接口密钥'));
    expect(actions.indexOf('吊销接口密钥')).toBeLessThan(actions.indexOf('创建账号'));
    await messagesGone(page);
    await screenshot(page, 'admin-audit', { fullPage: true });

    // the calendar's refused save is the one error the browser saw
    expect(errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    expect(errors.filter((e) => e.includes('status of 409'))).toHaveLength(1);
  });
});

/** Waits until the confirmations of earlier steps (Ant Design's messages) have gone, for a picture of this one. */
async function messagesGone(page: JourneyPage['page']): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.ant-message-notice').length === 0, undefined, { timeout: 15_000 });
}

/** Opens a select by its label and picks the option with this exact label (support/browser: `pickInList`). */
async function pick(page: JourneyPage['page'], field: Locator, label: string): Promise<void> {
  await pickInList(page, field, page.locator(`.ant-select-item-option[title="${label}"]:visible`), label);
}

/** Opens a division picker and picks a division from the levels it shows without expanding. */
async function pickDivision(page: JourneyPage['page'], field: Locator, name: string): Promise<void> {
  await pickInList(page, field, page.locator('.ant-select-tree-node-content-wrapper:visible', { hasText: new RegExp(`^${name}$`) }), name);
}
