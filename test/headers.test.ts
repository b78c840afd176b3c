import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './support/app.js';

/** Every answer carries the security headers: API answers, errors and the ones refused before a handler runs. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('security headers', () => {
  it('are on answers, errors and refusals alike', async () => {
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/healthz' }),
      t.app.inject({ method: 'GET', url: '/api/no-such-route' }),
      t.app.inject({ method: 'GET', url: '/api/cases', headers: { authorization: 'Bearer og_not_a_real_key_at_all' } }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 404, 401]);
    for (const a of answers) {
      const csp = String(a.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(a.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['cross-origin-embedder-policy']).toBeUndefined();
    }
  });
});
