import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, newPage, type JourneyPage } from './browser.js';
import { ensureWebBuild } from './web-build.js';

/** What the journeys' server is (test/support/server.ts), without importing it before the build. */
export type TestServer = Awaited<ReturnType<(typeof import('../../test/support/server.js'))['startTestServer']>>;

/** The test server, started after the web build (the server looks for dist/web when its module loads). */
export async function startJourneyServer(opts: { demo?: boolean } = {}): Promise<TestServer> {
  await ensureWebBuild();
  const { startTestServer } = await import('../../test/support/server.js');
  // as a deployed server runs: the evaluation counts in its own thread
  const env = { EVALUATION_THREAD: 'on' };
  return opts.demo ? startTestServer(env, { demo: true }) : startTestServer(env);
}

export interface OnePageJourney {
  server: TestServer;
  browser: Browser;
  journey: JourneyPage;
}

/**
 * A server and one browser page for the journey of the enclosing `describe`, ready before its
 * tests and closed after them; read the fields inside the tests.
 */
export function onePageJourney(opts: { demo?: boolean; width?: number; height?: number } = {}): OnePageJourney {
  const j = {} as OnePageJourney;
  beforeAll(async () => {
    j.server = await startJourneyServer(opts);
    j.browser = await launchBrowser();
    j.journey = await newPage(j.browser, { baseURL: j.server.url, width: opts.width ?? 1440, height: opts.height ?? 900 });
  });
  afterAll(async () => {
    await j.browser?.close();
    await j.server?.close();
  });
  return j;
}

/** Signs in through the sign-in form, as a person would, and waits for the home page. */
export async function signInThroughForm(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('用户名').fill(who.username);
  await page.getByLabel('密码').fill(who.password);
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
}
