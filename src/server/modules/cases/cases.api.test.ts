import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { buildApp } from '../../app.js';
import type { App } from '../../platform/http.js';
import { act, withCaseDistrict, IN_A1, IN_A4, jpeg, must, mustWithPhotos, report, setClock, type CasesTestContext } from './cases.testing.js';
import { PUBLIC_LOOKUPS_PER_MINUTE } from './public.routes.js';

/** Reporting sources, idempotency, due times on the calendar, versions, lists, masking, public tracking. */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const HOUR = 3_600_000;
/** Beijing wall time → epoch ms. */
const bj = (iso: string) => Date.parse(`${iso}+08:00`);

describe('reporting', () => {
  it('a resident reports without an account and follows the case by tracking code; staff names and comments stay internal', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/public/cases', payload: { ...IN_A4, description: '路灯不亮', reporter_name: '王小明', reporter_phone: '13800138000' } });
    expect(res.statusCode, res.body).toBe(201);
    const pub = res.json();
    expect(pub).toMatchObject({ state: 'pending_verification', timeline: [{ action: 'report', to: 'pending_verification' }] });
    expect(pub.trackingCode).toMatch(/^[A-Z2-9]{10}$/);
    const id = Number((await t.dbh.db.selectFrom('cases').select('id').where('tracking_code', '=', pub.trackingCode).executeTakeFirstOrThrow()).id);

    let c = await must(t, 'gridworker', { id, version: 1 }, 'verify', { comment: '内部：现场核实属实，联系人张三' });
    c = await must(t, 'district', c, 'accept', { condition_code: '01001-03' });
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    c = await must(t, 'department', c, 'claim');
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '内部：已处理' }, [await jpeg(7)]);
    c = await must(t, 'leader', c, 'urge', { comment: '内部督办' });
    c = await must(t, 'gridworker', c, 'check_pass');
    c = await must(t, 'district', c, 'close');

    const view = await t.app.inject({ method: 'GET', url: `/api/public/cases/${pub.trackingCode}` });
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body.timeline.map((e: { to: string }) => e.to)).toEqual(['pending_verification', 'pending_acceptance', 'accepted', 'dispatched', 'handling', 'pending_check', 'checked', 'closed']);
    // the department's code as a value ("CG": the random tracking code may hold the letters CG)
    for (const secret of ['刘洋', '王敏', '陈刚', '张丽', '内部', '王小明', '13800138000', '"CG"']) expect(view.body).not.toContain(secret);
    expect(body).toMatchObject({ state: 'closed', canReopen: true });
    expect(body.photos).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), kind: 'feedback' }]);
    // the resident may fetch their case's public photos with the tracking code, nobody else without signing in
    const photo = await t.app.inject({ method: 'GET', url: `/api/files/${body.photos[0].sha256}/thumb?tracking=${pub.trackingCode}` });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/webp');
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${body.photos[0].sha256}` })).statusCode).toBe(401);

    // staff see the reporter masked
    const staff = (await t.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: t.as.district })).json();
    expect(staff.reporter).toEqual({ name: '王**', phone: '138****8000', userId: null, masked: true });

    // the resident reopens within the window: back to the same department as rework
    const reopened = await t.app.inject({ method: 'POST', url: `/api/public/cases/${pub.trackingCode}/reopen`, payload: { reason: '又坏了', version: body.version } });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ state: 'rework', canReopen: false });
    const again = await t.app.inject({ method: 'POST', url: `/api/public/cases/${pub.trackingCode}/reopen`, payload: { reason: '又坏了', version: body.version + 1 } });
    expect(again.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/cases/ABCDEFGH23' })).statusCode).toBe(404);
  });

  it('the same report sent three times with one Idempotency-Key makes one case', async () => {
    const headers = { ...t.as.gridworker, 'idempotency-key': 'report-retry-0001' };
    const payload = { ...IN_A1, description: '重复提交测试', category_code: '06010' };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await t.app.inject({ method: 'POST', url: '/api/cases', headers, payload }));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().case.number)).size).toBe(1);
    expect(answers.map((a) => a.headers['idempotent-replayed'])).toEqual([undefined, 'true', 'true']);
    const rows = await t.dbh.db.selectFrom('cases').select('id').where('description', '=', '重复提交测试').execute();
    expect(rows).toHaveLength(1);
    expect(await t.dbh.db.selectFrom('case_events').select('id').where('case_id', '=', rows[0]!.id).execute()).toHaveLength(1);
  });

  it('the same report sent five times at once with one Idempotency-Key makes one case', async () => {
    const headers = { ...t.as.gridworker, 'idempotency-key': 'report-burst-0001' };
    const payload = { ...IN_A1, description: '同时重复提交', category_code: '06010' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.app.inject({ method: 'POST', url: '/api/cases', headers, payload })));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().case.number)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    const rows = await t.dbh.db.selectFrom('cases').select('id').where('description', '=', '同时重复提交').execute();
    expect(rows).toHaveLength(1);
  });

  it('an action retried with its Idempotency-Key is taken once, even with the version it first saw', async () => {
    const c = await report(t, 'gridworker', { description: '动作重试测试' });
    const headers = { ...t.as.district, 'idempotency-key': 'accept-retry-0001' };
    const send = () => t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers, payload: { version: c.version, condition_code: '01001-02' } });
    const answers = [await send(), await send(), await send()];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.headers['idempotent-replayed'])).toEqual([undefined, 'true', 'true']);
    expect(answers.map((a) => a.json().version)).toEqual([c.version + 1, c.version + 1, c.version + 1]);
    const events = await t.dbh.db.selectFrom('case_events').select('action').where('case_id', '=', c.id).execute();
    expect(events.map((e) => e.action)).toEqual(['report', 'accept']);
    // the same key for another action is a mistake, not a replay
    const other = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/dispatch`, headers, payload: { version: c.version + 1, department: 'CG' } });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('conflict');
    // without a key, the stale version is refused as before
    const stale = await act(t, 'district', c, 'accept', { condition_code: '01001-02' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
  });

  it('refuses a location outside the district, a missing location and sources the reporter cannot claim', async () => {
    const out = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.gridworker, payload: { lon: 117.5, lat: 40.5, description: 'x' } });
    expect(out.statusCode).toBe(422);
    expect(out.json().error.code).toBe('outside_district');
    const none = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.gridworker, payload: { description: 'x' } });
    expect(none.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'lon' } });
    const source = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.gridworker, payload: { ...IN_A1, description: 'x', source: 'hotline' } });
    expect(source.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'source' } });
    const condition = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.district, payload: { ...IN_A1, description: 'x', action: 'accept', condition_code: '01001-99' } });
    expect(condition.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'condition_code' } });
  });

  it('a hotline entry by staff waits for verification; staff who may accept can file directly', async () => {
    expect((await report(t, 'district', { source: 'hotline' })).state).toBe('pending_verification');
    const filed = await report(t, 'community', { action: 'accept', category_code: '05001', condition_code: '05001-01' });
    expect(filed).toMatchObject({ state: 'accepted', level: 'community', source: 'staff', filing: { conditionCode: '05001-01' } });
  });
});

describe('time limits on the working calendar', () => {
  it('a report on Friday 17:00 with a 4-working-hour limit is due on Monday at 14:00', async () => {
    await setClock(t, bj('2026-11-06T17:00:00'));
    try {
      let c = await report(t, 'district', { action: 'accept', condition_code: '01001-02' });
      // the dispatch step: 1 working hour = Friday 17:00–17:30 + Monday 9:00–9:30
      expect(c).toMatchObject({ state: 'accepted', step: 'dispatch', dueAt: bj('2026-11-09T09:30:00') });
      c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
      // handling under the filing's 4 working hours: 0.5 h Friday, 3 h Monday morning, 0.5 h after lunch
      expect(c).toMatchObject({ step: 'handle', stepLimit: { amount: 4, unit: 'working_hours' }, dueAt: bj('2026-11-09T14:00:00'), light: 'green' });
      const event = await t.dbh.db.selectFrom('case_events').select(['due_at', 'step']).where('case_id', '=', c.id).where('seq', '=', 2).executeTakeFirstOrThrow();
      expect(event).toEqual({ due_at: bj('2026-11-09T14:00:00'), step: 'handle' });
      // yellow once 80 % of the working time is used (3.2 h: Monday 13:42), red after the due time
      await setClock(t, bj('2026-11-09T13:43:00'));
      expect((await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.district })).json().light).toBe('yellow');
      const yellow = await t.app.inject({ method: 'GET', url: `/api/cases?light=yellow&state=dispatched`, headers: t.as.district });
      expect(yellow.json().items.map((x: { id: number }) => x.id)).toContain(c.id);
      t.clock.set(bj('2026-11-09T14:01:00'));
      const red = await t.app.inject({ method: 'GET', url: `/api/cases?light=red&state=dispatched`, headers: t.as.district });
      expect(red.json().items.map((x: { id: number; light: string }) => [x.id, x.light])).toContainEqual([c.id, 'red']);
    } finally {
      await setClock(t, bj('2026-11-02T10:00:00'));
    }
  });

  it('serves the category tree and the year\'s calendar', async () => {
    const cats = (await t.app.inject({ method: 'GET', url: '/api/categories' })).json();
    expect(cats.version).toBe(1);
    expect(cats.classes.length).toBeGreaterThanOrEqual(17);
    const cal = (await t.app.inject({ method: 'GET', url: '/api/calendar/2026' })).json();
    expect(cal.officeHours).toEqual([['09:00', '12:00'], ['13:30', '17:30']]);
    expect(cal.workdays.map((d: { date: string }) => d.date)).toContain('2026-10-10');
    expect(cal.holidays.map((d: { date: string }) => d.date)).toContain('2026-10-01');
  });
});

describe('versions, allowed actions and lists', () => {
  it('a stale version answers 409 with the current case; refusals map to their codes', async () => {
    const c = await report(t, 'gridworker');
    const accepted = await must(t, 'district', c, 'accept', { condition_code: '01001-01' });
    const stale = await act(t, 'district', c, 'dispatch', { department: 'CG' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale_version', details: { version: 2, state: 'accepted', current: { id: c.id, state: 'accepted' } } });
    const wrongState = await act(t, 'district', accepted, 'claim');
    expect(wrongState.json().error).toMatchObject({ code: 'action_not_allowed', details: { refusal: 'not_allowed_in_state' } });
    const forbidden = await act(t, 'gridworker', accepted, 'dispatch', { department: 'CG' });
    expect(forbidden.statusCode).toBe(403);
    const missing = await act(t, 'district', accepted, 'dispatch');
    expect(missing.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'department' } });
    const unknownDept = await act(t, 'district', accepted, 'dispatch', { department: 'ZZ' });
    expect(unknownDept.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'department' } });
    // a street dispatcher does not command a district-level case
    const street = await act(t, 'street', accepted, 'dispatch', { department: 'CG' });
    expect(street.json().error).toMatchObject({ code: 'action_not_allowed', details: { guard: 'actor_at_or_above_case_level' } });
    const read = async (who: 'district' | 'street' | 'leader') => (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as[who] })).json().allowedActions;
    expect(await read('district')).toEqual(expect.arrayContaining(['dispatch', 'assign', 'merge', 'urge', 'request_suspend']));
    expect(await read('street')).not.toContain('dispatch');
    expect(await read('leader')).toEqual(['urge', 'instruct']);
  });

  it('lists: queues with counts, filters, paging; always in scope', async () => {
    const a = await report(t, 'gridworker', { description: '占道经营 东门', category_code: '09006', address: '通惠北路' });
    const b = await report(t, 'gridworker', { ...IN_A4, description: '暴露垃圾', category_code: '06010' });
    const counts = (await t.app.inject({ method: 'GET', url: '/api/cases/queues', headers: t.as.district })).json();
    const toAccept = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=to_accept&pageSize=200', headers: t.as.district })).json();
    expect(toAccept.total).toBe(counts.to_accept);
    expect(toAccept.items.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(toAccept.items.every((x: { state: string; allowedActions: string[] }) => x.state === 'pending_acceptance' && x.allowedActions.includes('accept'))).toBe(true);
    const gridCounts = (await t.app.inject({ method: 'GET', url: '/api/cases/queues', headers: t.as.gridworker })).json();
    expect(gridCounts).toMatchObject({ to_accept: 0, to_dispatch: 0 });

    const q = async (query: string) => (await t.app.inject({ method: 'GET', url: `/api/cases?${query}`, headers: t.as.district })).json();
    expect((await q('category=09006')).items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect((await q(`q=${encodeURIComponent('东门')}`)).items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect((await q(`q=${encodeURIComponent('通惠')}`)).items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect((await q(`q=${a.number}`)).items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect((await q('grid=110112001006004&category=06010')).items.map((x: { id: number }) => x.id)).toEqual([b.id]);
    expect((await q('street=110112002')).total).toBe(0);
    expect((await q('source=resident')).items.every((x: { source: string }) => x.source === 'resident')).toBe(true);
    const page1 = await q('pageSize=2&page=1&sort=created_at&order=asc');
    const page2 = await q('pageSize=2&page=2&sort=created_at&order=asc');
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0].id).toBeLessThan(page2.items[0].id);
    expect((await q('from=2026-11-02&to=2026-11-02')).total).toBe(page1.total - (await q('from=2026-11-03')).total - (await q('to=2026-11-01')).total);
    const bad = await t.app.inject({ method: 'GET', url: '/api/cases?state=nonsense', headers: t.as.district });
    expect(bad.statusCode).toBe(400);
  });

  it('personal data is unmasked only with the permission, and that read is audited', async () => {
    const c = await report(t, 'district', { reporter_name: '李四', reporter_phone: '13912345678', source: 'hotline' });
    const admin = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.admin })).json();
    expect(admin.reporter).toMatchObject({ name: '李四', phone: '13912345678', masked: false });
    const leader = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.leader })).json();
    expect(leader.reporter).toMatchObject({ name: '李*', phone: '139****5678', masked: true });
    const audited = await t.dbh.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'personal_data.read').where('target_type', '=', 'case').execute();
    expect(audited).toEqual([{ action: 'personal_data.read', target_id: String(c.id) }]);
  });

  it('a grid worker who reported under their own name is named on the card as in the timeline; a contact they typed in is masked', async () => {
    const own = await report(t, 'gridworker', { source: 'grid_worker' });
    const seen = (await t.app.inject({ method: 'GET', url: `/api/cases/${own.id}`, headers: t.as.leader })).json();
    expect(seen.timeline[0].actor.name).toBeTruthy();
    expect(seen.reporter).toMatchObject({ name: seen.timeline[0].actor.name, phone: null, masked: false }); // nothing of it was masked
    const typed = await report(t, 'gridworker', { source: 'grid_worker', reporter_name: '王五', reporter_phone: '13700001111' });
    const other = (await t.app.inject({ method: 'GET', url: `/api/cases/${typed.id}`, headers: t.as.leader })).json();
    expect(other.reporter).toMatchObject({ name: '王*', phone: '137****1111', masked: true });
  });

  it('requests wait on the case and need a second person; a suspension stops the clock', async () => {
    let c = await report(t, 'district', { action: 'accept', condition_code: '01001-03' });
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    c = await must(t, 'department', c, 'claim');
    const due = c.dueAt as number;
    c = await must(t, 'department', c, 'request_postpone', { reason: '需要采购', due_at: due + 48 * HOUR });
    expect(c).toMatchObject({ pendingRequest: 'postpone', request: { kind: 'postpone', dueAt: due + 48 * HOUR } });
    const approvals = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=approvals', headers: t.as.district })).json();
    expect(approvals.items.map((x: { id: number }) => x.id)).toContain(c.id);
    c = await must(t, 'district', c, 'approve_postpone');
    expect(c).toMatchObject({ dueAt: due + 48 * HOUR, pendingRequest: null });
    c = await must(t, 'department', c, 'request_suspend', { reason: '等待审批' });
    c = await must(t, 'district', c, 'approve_suspend');
    expect(c.state).toBe('suspended');
    await setClock(t, t.clock.now() + 24 * HOUR);
    c = await must(t, 'district', c, 'resume', { comment: '恢复' });
    expect(c.state).toBe('handling');
    expect(c.dueAt).toBeGreaterThan(due + 48 * HOUR);
    await setClock(t, bj('2026-11-02T10:00:00'));
  });
});

describe('residents\' reports under a rate limit', () => {
  it('allow ten per address in ten minutes, counted for every node on the database', async () => {
    const other = await buildApp(t.config, { dbh: t.dbh, clock: t.clock, migrate: false, logger: false });
    try {
      // empty reports: refused by validation, yet counted, as every attempt is
      const send = (app: App) => app.inject({ method: 'POST', url: '/api/public/cases', payload: {}, remoteAddress: '10.20.30.40' });
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await send(i % 2 ? other : t.app)).statusCode);
      expect(codes).toEqual([...Array(10).fill(400), 429, 429]);
      // another address is not held back
      expect((await other.inject({ method: 'POST', url: '/api/public/cases', payload: {}, remoteAddress: '10.20.30.41' })).statusCode).toBe(400);
      t.clock.advance(10 * 60_000 + 1);
      expect((await send(other)).statusCode).toBe(400);
    } finally {
      await other.close();
      await setClock(t, bj('2026-11-02T10:00:00'));
    }
  });
});

describe('residents\' lookups by tracking code', () => {
  it('hold back an address that tries many codes, and no other', async () => {
    // codes of the right form that no case has: each answers 404 until the address is held back
    const look = (i: number, remoteAddress: string) =>
      t.app.inject({ method: 'GET', url: `/api/public/cases/ZZZZ${String(100000 + i).replace(/[01]/g, '9')}`, remoteAddress });
    const codes: number[] = [];
    for (let i = 0; i < PUBLIC_LOOKUPS_PER_MINUTE + 2; i++) codes.push((await look(i, '10.20.30.50')).statusCode);
    expect(codes).toEqual([...Array(PUBLIC_LOOKUPS_PER_MINUTE).fill(404), 429, 429]);
    const held = await look(0, '10.20.30.50');
    expect(held.json().error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    expect((await look(0, '10.20.30.51')).statusCode).toBe(404);
  });
});
