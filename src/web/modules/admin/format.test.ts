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
    expect(describeDetail('{"grids":["110112001006001","110112001006002"]}')).toBe('grids: 110112001006001, 110112001006002');
    expect(describeDetail('{"username":"wf","grants":[{"role":"street_dispatcher","division_code":"110112001","department_id":null},{"role":"department_staff","division_code":null,"department_id":4}]}'))
      .toBe('username: wf; grants: street_dispatcher · 110112001, department_staff · department_id 4');
    // in the reader's words: names, roles, lists and codes
    const words = {
      key: (k: string) => ({ username: '用户名', grants: '授权', reason: '原因', department_id: '部门编号' })[k],
      role: (r: string) => ({ street_dispatcher: '街道调度员', department_staff: '部门人员' })[r] ?? r,
      join: (xs: string[]) => xs.join('、'),
      value: (k: string, v: string) => (k === 'reason' && v === 'locked' ? '账号已锁定' : undefined),
    };
    expect(describeDetail('{"username":"wf","grants":[{"role":"street_dispatcher","division_code":"110112001","department_id":null},{"role":"department_staff","division_code":null,"department_id":4}]}', words))
      .toBe('用户名: wf; 授权: 街道调度员 · 110112001、部门人员 · 部门编号 4');
    expect(describeDetail('{"reason":"locked"}', words)).toBe('原因: 账号已锁定');
    expect(describeDetail('{"role":"street_dispatcher","division_code":"110112001"}', words)).toBe('role: 街道调度员; division_code: 110112001');
    // a setting changed: only what changed, from → to
    const weights = { area: { completion_rate: 40 }, grades: { A: 90, B: 75 } };
    expect(describeDetail(JSON.stringify({ before: weights, after: { ...weights, grades: { A: 85, B: 75 } } }))).toBe('grades.A: 90 → 85');
    expect(describeDetail(JSON.stringify({ before: { on: true }, after: { on: true, extra: 1 } }))).toBe('extra: — → 1');
    expect(describeDetail('not json')).toBe('not json');
    expect(describeDetail(null)).toBe('');
  });

  it('shows times in Beijing whatever the browser clock says', () => {
    expect(formatTime(Date.UTC(2026, 10, 2, 2, 0, 5))).toBe('2026-11-02 10:00:05');
    expect(formatTime(Date.UTC(2026, 11, 31, 17, 30, 0))).toBe('2027-01-01 01:30:00');
    expect(formatTime(null)).toBeNull();
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(873_405, 'en')).toBe('853 KB');
    expect(formatBytes(5 * 1024 * 1024, 'zh-CN')).toBe('5 MB');
  });
});
