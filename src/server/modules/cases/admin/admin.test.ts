import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryTree } from '../../../../shared/cases/index.js';
import { STREET_A, createTestApp, signIn } from '../../../../../test/support/app.js';
import { jpeg, must, mustWithPhotos, report, type CasesTestContext, type Headers, withCaseDistrict } from '../cases.testing.js';

/**
 * Admin screens through HTTP: categories are versioned and a case keeps the limit it was filed
 * under; the calendar and office hours move due times set afterwards; everything is audited and
 * district-wide, so a street's administrator gets 404.
 */
let t: CasesTestContext;
let streetAdmin: Headers;
const HOUR = 3_600_000;
/** Beijing wall time → epoch ms. */
const at = (local: string) => Date.parse(`${local}:00+08:00`);

beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  const made = await t.app.inject({
    method: 'POST', url: '/api/users', headers: t.as.admin,
    payload: { username: 'admina', displayName: '中仓街道管理员', password: 'admina-2026x', grants: [{ role: 'admin', divisionCode: STREET_A }] },
  });
  expect(made.statusCode).toBe(201);
  streetAdmin = await signIn(t.app, 'admina', 'admina-2026x');
});
afterAll(() => t?.close());

const get = (url: string, headers = t.as.admin) => t.app.inject({ method: 'GET', url, headers });
const put = (url: string, payload: object, headers = t.as.admin) => t.app.inject({ method: 'PUT', url, headers, payload });
const audits = async (action: string) =>
  (await t.dbh.db.selectFrom('audit_log').select(['action', 'target_id', 'detail', 'actor_name']).where('action', '=', action).orderBy('id').execute())
    .map((r) => ({ ...r, detail: JSON.parse(r.detail ?? 'null') }));

/** A dispatched case under 01001-01 (cover missing), as the district files it now. */
async function dispatchedUnder(condition: string) {
  let c = await report(t, 'gridworker');
  c = await must(t, 'district', c, 'accept', { condition_code: condition });
  return must(t, 'district', c, 'dispatch', { department: 'CG' });
}

describe('categories', () => {
  let tree: CategoryTree;
  beforeAll(async () => {
    const res = await get('/api/admin/categories');
    expect(res.statusCode).toBe(200);
    expect(res.json().current.version).toBe(1);
    tree = res.json().tree;
  });

  const withLimit = (amount: number): CategoryTree => structuredClone({
    ...tree,
    classes: tree.classes.map((cls) => ({
      ...cls,
      subcategories: cls.subcategories.map((s) => (s.code !== '01001' ? s : {
        ...s, filing_conditions: s.filing_conditions.map((f) => (f.code === '01001-01' ? { ...f, limit: { amount, unit: 'urgent_hours' as const } } : f)),
      })),
    })),
  });

  it('a case filed before an edit keeps the limit it was filed under', async () => {
    const before = await dispatchedUnder('01001-01');
    expect(before).toMatchObject({ filing: { categoryVersion: 1, limit: { amount: 2, unit: 'urgent_hours' } }, dueAt: t.clock.now() + 2 * HOUR });

    const res = await put('/api/admin/categories', { baseVersion: 1, note: '井盖丢失放宽至8小时', tree: withLimit(8) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ version: 2, previousVersion: 1, changes: { added: [], removed: [], limitsChanged: [{ code: '01001-01', from: '2 urgent_hours', to: '8 urgent_hours' }] } });

    const after = await dispatchedUnder('01001-01');
    expect(after).toMatchObject({ filing: { categoryVersion: 2, limit: { amount: 8 } }, dueAt: t.clock.now() + 8 * HOUR });
    // the earlier case, handled again after a failed check, starts a new step: still on 2 hours
    let old = await must(t, 'department', before, 'claim');
    old = await mustWithPhotos(t, 'department', old, 'feedback', { comment: '已补齐' }, [await jpeg(5)]);
    t.clock.advance(HOUR);
    old = await must(t, 'gridworker', old, 'check_fail', { reason: '井盖尺寸不符' });
    expect(old).toMatchObject({ state: 'rework', filing: { categoryVersion: 1, limit: { amount: 2 } }, dueAt: t.clock.now() + 2 * HOUR });
    // every version stays readable
    expect((await get('/api/admin/categories/versions/1')).json().tree.classes[0].subcategories[0].filing_conditions[0].limit).toEqual({ amount: 2, unit: 'urgent_hours' });
    expect((await get('/api/admin/categories')).json().versions.map((v: { version: number; note: string | null }) => [v.version, v.note]))
      .toEqual([[2, '井盖丢失放宽至8小时'], [1, 'data/categories.json']]);
    const [row] = await audits('categories.publish');
    expect(row).toMatchObject({ target_id: '2', actor_name: '系统管理员', detail: { previousVersion: 1, limitsChanged: [{ code: '01001-01' }] } });
  });

  it('refuses an invalid tree with every problem named, and publishes nothing', async () => {
    const broken = structuredClone(withLimit(8));
    broken.classes[0]!.subcategories[0]!.code = '02999'; // not under its class
    (broken.classes[0]!.subcategories[1]! as { default_department: string }).default_department = 'NOPE';
    const res = await put('/api/admin/categories', { baseVersion: 2, tree: broken });
    expect(res.statusCode).toBe(400);
    const messages = res.json().error.details.issues.map((i: { message: string }) => i.message).join(' | ');
    expect(messages).toMatch(/02999 is not under class 01/);
    expect(messages).toMatch(/unknown department code/);
    expect((await get('/api/admin/categories')).json().current.version).toBe(2);
  });

  it('refuses an edit made on an old version instead of undoing the newer one', async () => {
    const res = await put('/api/admin/categories', { baseVersion: 1, tree: withLimit(4) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('stale_version');
  });
});

describe('working calendar', () => {
  it('shows a year with its holidays, adjusted working days and working-day count', async () => {
    const res = await get('/api/admin/calendar/2026');
    expect(res.statusCode).toBe(200);
    expect(res.json().holidays).toHaveLength(33);
    expect(res.json().workdays).toHaveLength(6);
    expect(res.json().workingDays).toBe(248);
  });

  it('a new holiday moves due times set afterwards', async () => {
    const year = (await get('/api/admin/calendar/2026')).json();
    // Monday 2 November (11:00): 2 working days → Wednesday 17:30 on the shipped calendar
    const plain = await dispatchedUnder('01001-03');
    expect(plain.dueAt).toBe(at('2026-11-04T17:30'));
    const res = await put('/api/admin/calendar/2026', {
      holidays: [...year.holidays, { date: '2026-11-03', name: '测试停工日' }],
      workdays: year.workdays,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ workingDays: 247 });
    expect(res.json().holidays).toContainEqual({ date: '2026-11-03', name: '测试停工日' });
    const moved = await dispatchedUnder('01001-03');
    expect(moved.dueAt).toBe(at('2026-11-05T17:30'));
    // the case dispatched before keeps its due time
    expect((await get(`/api/cases/${plain.id}`, t.as.district)).json().dueAt).toBe(at('2026-11-04T17:30'));
    const [row] = await audits('calendar.update');
    expect(row!.detail.after.holidays).toContain('2026-11-03');
    expect(row!.detail.before.holidays).not.toContain('2026-11-03');
  });

  it('refuses a change made on a year someone else has saved since (stale_version), and changes nothing', async () => {
    const read = (await get('/api/admin/calendar/2028')).json();
    expect(read).toMatchObject({ holidays: [], workdays: [], version: expect.stringMatching(/^[0-9a-f]{16}$/) });
    // the first of two administrators who read the empty year saves New Year's Day
    const first = await put('/api/admin/calendar/2028', { holidays: [{ date: '2028-01-01', name: '元旦' }], workdays: [], baseVersion: read.version });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().version).not.toBe(read.version);
    // the second, on the year as read before, would undo it: refused, with the year as it is now
    const second = await put('/api/admin/calendar/2028', { holidays: [{ date: '2028-05-01' }], workdays: [], baseVersion: read.version });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'stale_version', details: { current: { holidays: [{ date: '2028-01-01', name: '元旦' }], version: first.json().version } } } });
    expect((await get('/api/admin/calendar/2028')).json()).toEqual(first.json());
    // a name changed is a change too; a change without baseVersion (older clients, scripts) is taken as before
    const renamed = await put('/api/admin/calendar/2028', { holidays: [{ date: '2028-01-01', name: '新年' }], workdays: [], baseVersion: first.json().version });
    expect(renamed.json().version).not.toBe(first.json().version);
    expect((await put('/api/admin/calendar/2028', { holidays: [], workdays: [] })).statusCode).toBe(200);
    const last = (await audits('calendar.update')).at(-1);
    expect(last!.detail.before.holidays).toEqual(['2028-01-01']);
  });

  it('refuses a weekday as an adjusted working day, a date of another year, a date twice; changes nothing', async () => {
    const bad = [
      { holidays: [], workdays: [{ date: '2027-01-06' }] },
      { holidays: [{ date: '2026-01-01' }], workdays: [] },
      { holidays: [{ date: '2027-01-01' }, { date: '2027-01-01' }], workdays: [] },
      { holidays: [{ date: '2027-01-02' }], workdays: [{ date: '2027-01-02' }] },
    ];
    for (const body of bad) expect((await put('/api/admin/calendar/2027', body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await get('/api/admin/calendar/2027')).json()).toMatchObject({ holidays: [], workdays: [] });
  });
});

describe('timing settings', () => {
  it('shows the defaults, changes office hours and the yellow share, audited', async () => {
    expect((await get('/api/admin/workflow-settings')).json()).toEqual({
      yellowShare: 0.8, archiveAfterDays: 30, reopenWindowDays: 7, schedulerIntervalSeconds: 30, officeHours: [[540, 720], [810, 1050]],
    });
    const res = await put('/api/admin/workflow-settings', { yellowShare: 0.9, officeHours: [[480, 720], [780, 1020]] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ yellowShare: 0.9, archiveAfterDays: 30, reopenWindowDays: 7, schedulerIntervalSeconds: 30, officeHours: [[480, 720], [780, 1020]] });
    const [row] = await audits('cases.settings.update');
    expect(row!.detail).toMatchObject({ before: { yellowShare: 0.8, officeHours: [[540, 720], [810, 1050]] }, after: { yellowShare: 0.9, officeHours: [[480, 720], [780, 1020]] } });
  });

  it('new office hours count for working-hour limits set afterwards', async () => {
    // 4 working hours from Monday 11:00 with 8:00–12:00 and 13:00–17:00: 11–12, then 13–16
    // (on the old hours, 9:00–12:00 and 13:30–17:30, it would be 16:30)
    expect(t.clock.now()).toBe(at('2026-11-02T11:00'));
    const c = await dispatchedUnder('01001-02');
    expect(c.dueAt).toBe(at('2026-11-02T16:00'));
  });

  it('refuses values out of range and overlapping office hours', async () => {
    for (const body of [{ yellowShare: 1.5 }, { archiveAfterDays: 0 }, { officeHours: [[540, 720], [700, 800]] }, { officeHours: [] }]) {
      expect((await put('/api/admin/workflow-settings', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await get('/api/admin/workflow-settings')).json().yellowShare).toBe(0.9);
  });
});

describe('who may', () => {
  it('a street\'s administrator cannot change district-wide data: 404; other roles: 403', async () => {
    for (const [method, url, payload] of [
      ['GET', '/api/admin/categories', undefined],
      ['PUT', '/api/admin/calendar/2027', { holidays: [], workdays: [] }],
      ['PUT', '/api/admin/workflow-settings', { yellowShare: 0.7 }],
    ] as const) {
      expect((await t.app.inject({ method, url, headers: streetAdmin, payload })).statusCode, url).toBe(404);
      expect((await t.app.inject({ method, url, headers: t.as.district, payload })).statusCode, url).toBe(403);
    }
    expect((await get('/api/admin/workflow-settings')).json().yellowShare).toBe(0.9);
  });
});
