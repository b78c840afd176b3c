import { describe, expect, it } from 'vitest';
import { screenshot, type JourneyPage } from './support/browser.js';
import { onePageJourney } from './support/journey.js';

interface Division {
  code: string;
  name: string;
}

/**
 * A district dispatcher signs in (after one wrong password), finds their name on the home page,
 * opens the division tree and a street in it, changes their password, and signs out.
 */
describe('user signs in', () => {
  const j = onePageJourney();

  it('signs in, browses the division tree, changes the password and signs out', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    const account = server.users.district;
    expect(account, 'the test server seeds a district dispatcher').toBeDefined();
    const { username, password } = account!;

    // Not signed in: the home page sends us to sign-in.
    await page.goto('/');
    await page.waitForURL('**/signin');
    await expect.poll(() => page.title()).toContain('登录');
    const usernameField = page.getByLabel('用户名');
    const passwordField = page.getByLabel('密码');
    await usernameField.waitFor();
    await screenshot(page, 'signin');

    // A wrong password shows an error next to the form and keeps us here.
    await usernameField.fill(username);
    await passwordField.fill(`${password}-wrong`);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('用户名或密码不正确');
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(await passwordField.inputValue()).toBe('');

    // The right password lands on the home page, which greets the user by name.
    await passwordField.fill(password);
    await passwordField.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    const me = await getJson<{ user: { displayName: string } }>(page, '/api/auth/me');
    const name = me.user.displayName;
    await expect(page.getByTestId('current-user').textContent()).resolves.toBe(name);
    await page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(name)) }).waitFor();
    await expect.poll(() => page.title()).toContain('工作台');

    // The figures of the jurisdiction come from the tree API; wait for them before the picture.
    const top = await getJson<{ items: Division[] }>(page, '/api/divisions');
    const district = top.items[0]!;
    const streets = (await getJson<{ items: Division[] }>(page, `/api/divisions?parent=${district.code}`)).items;
    expect(streets.length).toBeGreaterThan(0);
    await page.locator('.og-stat-value', { hasText: String(streets.length) }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'home');

    // The menu leads to the division tree, which opens on the district with its streets listed.
    await page.getByRole('navigation').getByRole('link', { name: '行政区划' }).click();
    await page.waitForURL(`**/divisions/${district.code}`);
    const street = streets[0]!;
    const communities = (await getJson<{ items: Division[] }>(page, `/api/divisions?parent=${street.code}`)).items;
    expect(communities.length).toBeGreaterThan(0);
    const streetNode = treeNode(page, street.code);
    await streetNode.waitFor();
    expect(await treeNode(page, communities[0]!.code).count()).toBe(0);

    // Expanding a street loads its communities; choosing one shows its details.
    const community = communities[0]!;
    // a click that lands while the tree is still settling after navigation can be lost: click again
    // only while the street is still closed (a second click on an open street would close it)
    await expect.poll(async () => {
      const closed = await streetNode.evaluate((el) => el.classList.contains('ant-tree-treenode-switcher-close'));
      if (closed) await streetNode.locator('.ant-tree-switcher').click();
      return treeNode(page, community.code).count();
    }, { timeout: 60_000, interval: 1_500 }).toBeGreaterThan(0);
    await treeNode(page, community.code).waitFor();
    await page.locator(`[data-division-code="${community.code}"]`).click();
    await page.waitForURL(`**/divisions/${community.code}`);
    const detail = page.locator('.ant-descriptions');
    await detail.getByText(community.code, { exact: true }).waitFor();
    await detail.getByText('社区·村', { exact: true }).waitFor();
    await expect.poll(() => page.title()).toContain(community.name);

    // The account menu changes one's own password: the current one is checked first.
    const newPassword = 'changed-2027-pw';
    const dialog = page.getByRole('dialog', { name: '修改密码' });
    const menuItem = page.getByRole('menuitem', { name: '修改密码' });
    // a click that lands while the menu is still opening (or closing) can be lost: open it again
    await expect.poll(async () => {
      if (await dialog.isVisible()) return true;
      if (await menuItem.isVisible()) await menuItem.click({ timeout: 5_000 }).catch(() => undefined);
      else await page.getByRole('button', { name: '账号菜单' }).click();
      return dialog.isVisible();
    }, { timeout: 30_000, interval: 1_000 }).toBe(true);
    await dialog.getByLabel('当前密码').fill(`${password}-wrong`);
    await dialog.getByLabel('新密码', { exact: true }).fill(newPassword);
    await dialog.getByLabel('确认新密码').fill(`${newPassword}x`);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('两次输入的新密码不一致').waitFor();
    await dialog.getByLabel('确认新密码').fill(newPassword);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('当前密码不正确').waitFor();
    await screenshot(page, 'change-password');
    await dialog.getByLabel('当前密码').fill(password);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('密码已修改，其他设备上的登录已退出').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    // this session goes on
    expect((await page.request.get('/api/auth/me')).status()).toBe(200);

    // Signing out returns to sign-in, and the session is gone for good.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/signin');
    await page.getByText('您已安全退出平台').waitFor();
    const after = await page.request.get('/api/auth/me');
    expect(after.status()).toBe(401);
    await page.goto('/divisions');
    await page.waitForURL('**/signin');

    // The old password no longer opens the account; the new one does.
    for (const [pw, ok] of [[password, false], [newPassword, true]] as const) {
      const res = await page.request.post('/api/auth/login', { data: { username, password: pw } });
      expect(res.status(), pw).toBe(ok ? 200 : 401);
    }

    // the deliberately wrong current password was answered 400; nothing else went wrong
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(errors.filter((e) => /status of 400/.test(e))).toHaveLength(1);
  });
});

function treeNode(page: JourneyPage['page'], code: string) {
  return page.locator(`.og-division-tree .ant-tree-treenode:has([data-division-code="${code}"])`);
}

async function getJson<T>(page: JourneyPage['page'], path: string): Promise<T> {
  const res = await page.request.get(path);
  if (!res.ok()) throw new Error(`GET ${path} answered ${res.status()}`);
  return (await res.json()) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
