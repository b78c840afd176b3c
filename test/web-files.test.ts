import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './support/app.js';

/**
 * The web build is served as it is on disk: a build written while the server runs is served whole,
 * and a piece of an older build that is gone is a 404 (which the page answers by loading itself
 * again), never the app's page in its place.
 */
let t: TestContext;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'onegrid-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>one</title><script type="module" src="/assets/main-old1.js"></script>');
  writeFileSync(join(root, 'assets', 'main-old1.js'), 'export const build = 1;');
  t = await createTestApp({}, { webRoot: root });
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('the web build', () => {
  it('serves the app for its addresses, and its files with a long cache', async () => {
    for (const url of ['/', '/cases/123', '/dashboard?area=110112']) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toContain('text/html');
      expect(page.body, url).toContain('<title>one</title>');
    }
    const script = await get('/assets/main-old1.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it('serves a build written after start, and answers 404 for a file of the build before', async () => {
    rmSync(join(root, 'assets', 'main-old1.js'));
    writeFileSync(join(root, 'assets', 'main-new2.js'), 'export const build = 2;');
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>two</title><script type="module" src="/assets/main-new2.js"></script>');

    const page = await get('/tasks');
    expect(page.body).toContain('<title>two</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    const fresh = await get('/assets/main-new2.js');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toBe('export const build = 2;');

    const gone = await get('/assets/main-old1.js');
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toContain('application/json');
    expect(gone.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect((await get('/api/no-such-thing')).json()).toMatchObject({ error: { code: 'route_not_found' } });
    // nothing outside the build is served
    for (const url of ['/assets/..%2f..%2fetc%2fpasswd', '/assets/..%2findex.html', '/assets/.hidden', '/assets/a/b.js']) {
      const outside = await get(url);
      expect(outside.statusCode, url).toBe(404);
      expect(outside.json(), url).toMatchObject({ error: { code: 'route_not_found' } });
    }
  });
});
