import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's chromium; CI installs it (`apt-get install -y chromium`) when it is missing. */
export const CHROMIUM_PATH = process.env.ONEGRID_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a headless run in containers and CI: no sandbox (we run as root), no GPU, and nothing
 * that phones home, so a journey never waits on the network. Playwright makes its own profile dir.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No browser at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PageOptions {
  baseURL: string;
  width?: number;
  height?: number;
  locale?: string;
}

export interface JourneyPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors seen so far; a journey ends by asserting it is empty. */
  errors: string[];
}

/** A fresh context (its own cookies) with a desktop viewport unless told otherwise. */
export async function newPage(browser: Browser, options: PageOptions): Promise<JourneyPage> {
  const context = await browser.newContext({
    baseURL: options.baseURL,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // 401 from the session check and the deliberate wrong password are expected network errors.
    if (msg.type() === 'error' && !/status of 40[13]/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors };
}

/** Saves docs/screenshots/<name>.png (the user guide embeds these) and returns the path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Fonts and the last layout pass settle before the picture is taken.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const viewport = page.viewportSize();
  if (!options.fullPage || !viewport) {
    await page.screenshot({ path, animations: 'disabled' });
    return path;
  }
  // A whole page is taken in a window as tall as the page: in a window's height the fixed menu would
  // end part-way down the picture (and scrolled, the fixed header would be drawn part-way down).
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  try {
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path, animations: 'disabled' });
  } finally {
    await page.setViewportSize(viewport);
  }
  return path;
}

/**
 * Waits until no select list (Ant Design's dropdowns) is showing: after a pick, a list fades out
 * over the fields and buttons below it and takes the next click meant for them.
 */
export async function selectListsClosed(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(noListShowing, undefined, { timeout: timeoutMs });
}

/** In the page: whether no select list is showing. */
const noListShowing = () => [...document.querySelectorAll('.ant-select-dropdown')].every((d) => !d.checkVisibility());

/**
 * Picks `label` in a select (or a tree select) opened from `field` (its input, or the select
 * itself): clicks `option` until the field shows the label, then waits for the list to close. A
 * click can land beside its option while the list still moves (a tree filling in as its levels
 * arrive, a list zooming in); the list then stays open without a pick, or closes without one, and
 * the pick is made again. The field is clicked only while no list is open (a click on it closes one).
 * A select of several values (`multiple`) keeps its list open after a pick: Escape closes it.
 */
export async function pickInList(page: Page, field: Locator, option: Locator, label: string, timeoutMs = 30_000, opts: { multiple?: boolean } = {}): Promise<void> {
  const select = field.locator('xpath=ancestor-or-self::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  // the chosen option's label shows in the field, titled with it
  const chosen = select.locator(`[title="${label.replaceAll('"', '\\"')}"]`);
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (!(await option.isVisible()) && (await page.evaluate(noListShowing))) await field.click();
    await option.click({ timeout: 5_000 }).catch(() => undefined);
    if (await chosen.waitFor({ timeout: 2_000 }).then(() => true, () => false)) break;
    if (Date.now() > end) throw new Error(`could not pick ${label}: the field does not show it`);
  }
  if (opts.multiple) await field.press('Escape');
  await selectListsClosed(page, Math.max(5_000, end - Date.now()));
}
