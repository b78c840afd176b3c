import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { redactUrl } from '../src/server/platform/http.js';
import { createTestApp } from './support/app.js';

/** Settings an operator gets wrong are refused at start-up with the variable named; proxies are trusted only as asked. */
describe('configuration', () => {
  it('takes the proxies to trust as addresses and ranges, true or false, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    for (const bad of ['proxy', '10.0.0.0/40', '300.1.1.1', '10.0.0.1/8/9', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  it('reads numbers written in digits only, naming the setting', () => {
    const c = loadConfig({ PORT: '9090', SESSION_TTL_HOURS: '1.5', ONEGRID_DEMO_SEED: '7' });
    expect([c.port, c.sessionTtlMs, c.demoSeed]).toEqual([9090, 1.5 * 3_600_000, 7]);
    expect(loadConfig({}).port).toBe(8080);
    for (const [name, bad] of [['PORT', '0x1f90'], ['PORT', '8e3'], ['ONEGRID_DEMO_SEED', '1e0'], ['LOGIN_RATE_PER_MINUTE', '-5'], ['SESSION_TTL_HOURS', '.5'], ['PORT', '70000']]) {
      expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(new RegExp(name));
    }
  });

  it('refuses a demo size it cannot build before anything is written', () => {
    expect(() => loadConfig({ ONEGRID_DEMO_CASES: 'lots' })).toThrow(/ONEGRID_DEMO_CASES: must be full, quick, off or a number of reports/);
    for (const ok of ['full', 'quick', 'off', '500']) expect(() => loadConfig({ ONEGRID_DEMO_CASES: ok }), ok).not.toThrow();
  });

  it('believes X-Forwarded-For only from the proxies named', async () => {
    const ipOfSignIn = async (trust: string) => {
      const t = await createTestApp({ TRUST_PROXY: trust });
      try {
        const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': '203.0.113.7' }, payload: { username: 'nobody', password: 'wrong-password-1' } });
        expect(res.statusCode).toBe(401);
        const row = await t.dbh.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login_failed').executeTakeFirstOrThrow();
        return row.ip;
      } finally {
        await t.close();
      }
    };
    // the test client is 127.0.0.1: named, its header is believed; another proxy named, it is not
    expect(await ipOfSignIn('127.0.0.1')).toBe('203.0.113.7');
    expect(await ipOfSignIn('10.0.0.0/8')).toBe('127.0.0.1');
  });
});

describe('the request log', () => {
  it('leaves secrets out of the addresses it writes', () => {
    expect(redactUrl('/open311/v2/requests.json?api_key=og_abc123&jurisdiction_id=tz')).toBe('/open311/v2/requests.json?api_key=[redacted]&jurisdiction_id=tz');
    expect(redactUrl('/open311/v2/services.json?jurisdiction_id=tz&API_KEY=og_x')).toBe('/open311/v2/services.json?jurisdiction_id=tz&API_KEY=[redacted]');
    expect(redactUrl('/api/public/cases/ABCDEFGH23')).toBe('/api/public/cases/[code]');
    expect(redactUrl('/api/public/cases/ABCDEFGH23/reopen')).toBe('/api/public/cases/[code]/reopen');
    expect(redactUrl('/track/ABCDEFGH23?x=1')).toBe('/track/[code]?x=1');
    expect(redactUrl('/api/cases/12?page=2')).toBe('/api/cases/12?page=2');
    expect(redactUrl('/api/public/cases')).toBe('/api/public/cases');
  });
});
