import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zh } from './locale.js';
import { actionKey, describeDetail, formatBytes, formatTime, generatePassword, passwordOk } from './format.js';

describe('passwords', () => {
  it('follows the server rule: 10+ characters with letters and digits', () => {
    expect(passwordOk('abcdefghij')).toBe(false);
    expect(passwordOk('1234567890')).toBe(false);
    expect(passwordOk('abc123')).toBe(false);
    expect(passwordOk('abcdefg123')).toBe(true);
  });

  it('generates passwords that pass the rule, drawing again when a draw has no digit', () => {
    const alphabetLength = 48 + 8;
    const draws = [new Uint32Array(14).fill(0), Uint32Array.from({ length: 14 }, (_, i) => (i % 2 ? 48 : 0))];
    let calls = 0;
    expect(generatePassword(() => draws[calls++]!)).toBe('a2a2a2a2a2a2a2');
    expect(calls).toBe(2);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 14, maxLength: 14 }), (values) => {
        // force one letter and one digit so a single draw always passes
        const draw = Uint32Array.from(values.map((v, i) => (i === 0 ? v % 48 : i === 1 ? 48 + (v % 8) : v % alphabetLength)));
        const password = generatePassword(() => draw);
        return passwordOk(password) && password.length === 14 && !/[01lIO]/.test(password);
      }),
    );
    expect(passwordOk(generatePassword())).toBe(true);
  });
});

describe('audit formatting', () => {
  it('has words for every action the server writes today', () => {
    for (const action of ['auth.login', 'auth.login_failed', 'user.create', 'grant.add', 'grids.import', 'personal_data.read', 'apikey.revoke']) {
      expect(zh.audit.actions[actionKey(action) as keyof typeof zh.audit.actions], action).toBeTruthy();
    }
  });

  it('reads JSON details as pairs and keeps anything else as it is', () => {
    expect(describeDetail('{"area":null,"count":3}')).toBe('count: 3');
    expect(describeDetail('{"grids":["110112001006001"]}')).toBe('grids.0: 110112001006001');
    expect(describeDetail('{"username":"wf","grants":[{"role":"street_dispatcher","division_code":"110112001","department_id":null}]}'))
      .toBe('username: wf; grants.0.role: street_dispatcher; grants.0.division_code: 110112001');
    // a setting changed: only what changed, from → to
    const weights = { area: { completion_rate: 40 }, grades: { A: 90, B: 75 } };
    expect(describeDetail(JSON.stringify({ before: weights, after: { ...weights, grades: { A: 85, B: 75 } } }))).toBe('grades.A: 90 → 85');
    expect(describeDetail(JSON.stringify({ before: { on: true }, after: { on: true, extra: 1 } }))).toBe('extra: — → 1');
    expect(describeDetail('not json')).toBe('not json');
    expect(describeDetail(null)).toBe('');
  });

  it('shows times in Beijing whatever the browser clock says', () => {
    expect(formatTime(Date.UTC(2026, 10, 2, 2, 0, 5), 'zh-CN')).toBe('2026-11-02 10:00:05');
    expect(formatTime(Date.UTC(2026, 11, 31, 17, 30, 0), 'en')).toBe('2027-01-01 01:30:00');
    expect(formatTime(null, 'en')).toBeNull();
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(873_405, 'en')).toBe('853 KB');
    expect(formatBytes(5 * 1024 * 1024, 'zh-CN')).toBe('5 MB');
  });
});
