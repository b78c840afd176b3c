import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../server/platform/errors.js';
import { ApiError, NETWORK_ERROR } from './api.js';
import { describeError } from './errors.js';
import { resources } from './resources.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources, lng: 'zh-CN', fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
});
const zh = (err: unknown) => describeError(err, i18n.getFixedT('zh-CN'), 'zh-CN');
const en = (err: unknown) => describeError(err, i18n.getFixedT('en'), 'en');

describe('describeError', () => {
  it('has its own words, in both languages, for every code in the server catalogue', () => {
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      const err = new ApiError(400, code, `server says ${code}`, null, 'req-1');
      expect(zh(err), code).not.toContain('server says');
      expect(en(err), code).not.toContain('server says');
      expect(zh(err), code).not.toMatch(/errors\./);
    }
  });

  it('tells a locked-out user until when, in local time', () => {
    const err = new ApiError(423, 'account_locked', 'locked', { until: '2026-11-02T02:30:00.000Z' });
    expect(zh(err)).toContain('账号已临时锁定');
    expect(zh(err)).toMatch(/\d{1,2}:\d{2}|\d{1,2}时/);
    expect(zh(new ApiError(423, 'account_locked', 'locked', null))).toBe('密码错误次数过多，账号已临时锁定，请稍后重试');
  });

  it('gives the request id of a server error so the user can quote it', () => {
    expect(zh(new ApiError(500, 'internal', 'x', { requestId: 'req-42' }, 'req-42'))).toContain('req-42');
    expect(en(new ApiError(500, 'internal', 'x'))).toBe('Server error. Please try again later');
  });

  it('falls back to the server message for a code the UI does not know', () => {
    expect(en(new ApiError(409, 'brand_new_code', 'Something new happened.'))).toBe('The request failed: Something new happened.');
    expect(zh(new ApiError(400, 'unknown', 'odd'))).toBe('操作失败：odd');
  });

  it('speaks of the network when no answer came', () => {
    expect(zh(new ApiError(0, NETWORK_ERROR, 'fetch failed'))).toBe('无法连接服务器，请检查网络后重试');
    expect(en(new Error('boom'))).toBe('The request failed: boom');
  });
});
