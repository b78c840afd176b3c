import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { onePageJourney, signInThroughForm } from './support/journey.js';

/**
 * The system is upgraded while a dispatcher has the console open: the page they open next names a
 * file of the old build, which the server no longer has. The console loads itself again once and
 * shows the page from the new build; if the file cannot be had even then, it says so in words and
 * offers a reload, with the menu still there.
 */
const DIVISIONS_CODE = /\/assets\/DivisionsPage-[^/]*\.js$/;

/** Sends the browser's requests for the division tree's code to a file the server does not have, `times` times. */
async function removeFromBuild(page: Page, times: number): Promise<{ refused: () => number }> {
  let refused = 0;
  await page.route(DIVISIONS_CODE, async (route) => {
    if (refused >= times) return route.continue();
    refused++;
    // the server's own answer for a file of a build it no longer has
    return route.continue({ url: new URL('/assets/DivisionsPage-old0build.js', route.request().url()).href });
  });
  return { refused: () => refused };
}

async function loads(page: Page): Promise<() => number> {
  let n = 0;
  page.on('load', () => n++);
  return () => n;
}

describe('user meets an upgrade', () => {
  const j = onePageJourney();

  it('gets the new build by one reload, and words and a reload button when that is not enough', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    await signInThroughForm(page, server.users.district!);
    const loaded = await loads(page);

    // the old build's file is gone once: the console reloads and opens the division tree
    const once = await removeFromBuild(page, 1);
    await page.getByRole('navigation').getByRole('link', { name: '行政区划' }).click();
    await expect.poll(loaded, { timeout: 30_000 }).toBe(1);
    await page.getByRole('tree').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toMatch(/^\/divisions/);
    expect(once.refused()).toBe(1);
    await page.unroute(DIVISIONS_CODE);

    // gone for good: one reload, then the page says what happened, inside the console
    await page.goto('/');
    await page.getByRole('navigation').waitFor();
    const always = await removeFromBuild(page, Number.POSITIVE_INFINITY);
    await page.evaluate(() => sessionStorage.removeItem('onegrid.staleCodeReload'));
    const before = loaded();
    await page.getByRole('navigation').getByRole('link', { name: '行政区划' }).click();
    const alert = page.getByText('系统已升级，请刷新页面以载入新版本。');
    await alert.waitFor({ timeout: 30_000 });
    expect(loaded() - before).toBe(1);
    expect(always.refused()).toBeGreaterThanOrEqual(2);
    await page.getByRole('navigation').getByRole('link', { name: '工作台' }).waitFor();
    await screenshot(page, 'console-upgraded');

    // the reload button loads the page again, and with the file back it opens
    await page.unroute(DIVISIONS_CODE);
    await page.getByRole('button', { name: '刷新页面' }).click();
    await page.getByRole('tree').waitFor({ timeout: 30_000 });

    // the only errors are the refused downloads themselves
    const unexpected = errors.filter((e) => !/DivisionsPage|status of 404|dynamically imported module/.test(e));
    expect(unexpected).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
