import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { jpeg, must, mustWithPhotos, setClock, withCaseDistrict, type CaseOut, type RoleUser } from '../cases/cases.testing.js';
import {
  createApiKey, errorsOf, fmsReport, get, itemsOf, post, withOpen311Clients, type Open311TestContext,
} from './open311.testing.js';

/**
 * The round trip a client makes: report, then follow the case through the whole loop by polling
 * the request and the update stream; then the client's own updates coming back into the loop.
 */
let t: Open311TestContext;
beforeAll(async () => {
  t = await withOpen311Clients(await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' })));
});
afterAll(() => t?.close());

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 2, 1); // Monday 09:00 in Beijing
const FORMATS = ['xml', 'json'] as const;

async function report(extra: Record<string, string | undefined> = {}): Promise<string> {
  const a = await post(t, 'requests', 'json', fmsReport(t, extra));
  expect(a.status, a.body).toBe(200);
  return a.doc[0].service_request_id as string;
}

/** The case as staff see it, through the cases API. */
async function staffView(number: string, who: RoleUser = 'street'): Promise<CaseOut> {
  const row = await t.dbh.db.selectFrom('cases').select('id').where('number', '=', number).executeTakeFirstOrThrow();
  const res = await t.app.inject({ method: 'GET', url: `/api/cases/${row.id}`, headers: t.as[who] });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CaseOut;
}

async function eventsOf(number: string) {
  return t.dbh.db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id')
    .select(['case_events.id', 'case_events.action', 'case_events.to_state', 'case_events.comment', 'case_events.actor_id'])
    .where('cases.number', '=', number).orderBy('case_events.seq').execute();
}

async function updatesFor(number: string, format: 'xml' | 'json', query: Record<string, string> = {}) {
  const a = await get(t, 'servicerequestupdates', format, { api_key: t.key, ...query });
  expect(a.status, a.body).toBe(200);
  return itemsOf(a, format, 'service_request_updates', 'request_update').filter((u) => u.service_request_id === number);
}

const STAFF = ['李强', '刘洋', '陈刚', '张丽', '王敏'];

describe('the round trip', () => {
  let id: string;
  let reopenedBy: string;
  let c: CaseOut;
  const step = async (hours: number) => setClock(t, START + hours * HOUR);

  it('a client reports; staff verify, accept, dispatch, handle, check and close it through the cases API', async () => {
    await step(0);
    id = await report();
    c = await staffView(id, 'gridworker');
    expect(c.state).toBe('pending_verification');
    await step(1);
    c = await must(t, 'gridworker', c, 'verify', { comment: '现场确有彩钢房在搭建，刘洋核实' });
    await step(2);
    c = await must(t, 'street', c, 'accept', { condition_code: '06001-01' });
    c = await must(t, 'street', c, 'dispatch', { department: 'CG' });
    expect(c.state).toBe('dispatched');
  });

  it.each(FORMATS)('while it is with the department, the client sees who is responsible and by when (%s)', async (format) => {
    const a = await get(t, `requests/${id}`, format);
    const [r] = itemsOf(a, format, 'service_requests', 'request');
    expect(r).toMatchObject({
      service_request_id: id, status: 'open', status_notes: '已派遣至处置单位', agency_responsible: '区城管执法局',
      updated_datetime: '2026-11-02T11:00:00+08:00',
    });
    // 2 urgent hours from the dispatch at 11:00
    expect(r!.expected_datetime).toBe('2026-11-02T13:00:00+08:00');
  });

  it('the department handles it and the community closes it', async () => {
    await step(3);
    c = await must(t, 'department', c, 'claim');
    await step(4);
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '陈刚带队已拆除' }, [await jpeg(3)]);
    await step(5);
    c = await must(t, 'gridworker', c, 'check_pass');
    c = await must(t, 'community', c, 'close');
    expect(c.state).toBe('closed');
  });

  it.each(FORMATS)('the client reads the request closed, field by field (%s)', async (format) => {
    const a = await get(t, `requests/${id}`, format);
    expect(a.status).toBe(200);
    const [r] = itemsOf(a, format, 'service_requests', 'request');
    const empty = format === 'xml' ? '' : null;
    expect(r).toMatchObject({
      service_request_id: id, status: 'closed', status_notes: '已办结', service_code: '06001', service_name: '私搭乱建',
      agency_responsible: '区城管执法局', service_notice: '按规定时限处置：2 紧急工作时',
      requested_datetime: '2026-11-02T09:00:00+08:00', updated_datetime: '2026-11-02T14:00:00+08:00', expected_datetime: empty,
    });
    const closed = await get(t, 'requests', format, { status: 'closed' });
    expect(itemsOf(closed, format, 'service_requests', 'request').map((x) => x.service_request_id)).toContain(id);
  });

  it.each(FORMATS)('the update stream tells every change of state in order, in public words only (%s)', async (format) => {
    const updates = await updatesFor(id, format, { start_date: '2026-11-02T00:00:00+08:00', end_date: '2026-11-03T00:00:00+08:00' });
    expect(updates.map((u) => [u.status, u.external_status_code, u.updated_datetime])).toEqual([
      ['open', 'pending_verification', '2026-11-02T09:00:00+08:00'],
      ['investigating', 'pending_acceptance', '2026-11-02T10:00:00+08:00'],
      ['action_scheduled', 'accepted', '2026-11-02T11:00:00+08:00'],
      ['action_scheduled', 'dispatched', '2026-11-02T11:00:00+08:00'],
      ['in_progress', 'handling', '2026-11-02T12:00:00+08:00'],
      ['in_progress', 'pending_check', '2026-11-02T13:00:00+08:00'],
      ['fixed', 'checked', '2026-11-02T14:00:00+08:00'],
      ['fixed', 'closed', '2026-11-02T14:00:00+08:00'],
    ]);
    const u = updates[7]!;
    expect(Object.keys(u)).toEqual(['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url', 'external_status_code']);
    expect(u).toMatchObject({ service_request_id: id, description: '已办结', media_url: '' });
    const ids = updates.map((x) => Number(x.update_id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const events = await eventsOf(id);
    expect(ids).toEqual(events.map((e) => e.id));
    const body = JSON.stringify(updates);
    for (const name of STAFF) expect(body).not.toContain(name);
    expect(body).not.toContain('拆除');
  });

  it('the stream in English, and an empty window', async () => {
    const en = await get(t, 'servicerequestupdates', 'json', { start_date: '2026-11-02T00:00:00+08:00', end_date: '2026-11-03T00:00:00+08:00', locale: 'en' });
    expect(en.doc.filter((u: { service_request_id: string }) => u.service_request_id === id).at(-1).description).toBe('Closed: the problem is fixed');
    const none = await get(t, 'servicerequestupdates', 'xml', { start_date: '2026-10-01T00:00:00+08:00', end_date: '2026-10-02T00:00:00+08:00' });
    expect(none.doc.service_request_updates).toBe('');
  });

  it('REOPEN from the reporting client reopens the case for the same department (返工)', async () => {
    await step(30);
    const a = await post(t, 'servicerequestupdates', 'xml', {
      api_key: t.key, jurisdiction_id: '110112', service_request_id: id, update_id: 'fms-1001', updated_datetime: '2026-11-03T14:55:00+08:00',
      status: 'REOPEN', description: '彩钢房又搭起来了', first_name: '小明', last_name: '王', email: 'xiaoming@example.cn',
    });
    expect(a.status, a.body).toBe(200);
    const [u] = itemsOf(a, 'xml', 'service_request_updates', 'request_update');
    const events = await eventsOf(id);
    const reopen = events.at(-1)!;
    expect(reopen).toMatchObject({ action: 'reopen', to_state: 'rework', comment: 'Open311 REOPEN: 彩钢房又搭起来了', actor_id: expect.stringMatching(/^api_key:\d+$/) });
    expect(u).toEqual({ update_id: String(reopen.id) });
    reopenedBy = reopen.actor_id;
    c = await staffView(id, 'department');
    expect(c).toMatchObject({ state: 'rework', holder: { kind: 'department', code: 'CG' } });
    // the client sees it open again, and the reopening in the stream
    const [r] = itemsOf(await get(t, `requests/${id}`, 'json'), 'json', 'service_requests', 'request');
    expect(r).toMatchObject({ status: 'open', status_notes: '需重新处理' });
    const last = (await updatesFor(id, 'json', { start_date: '2026-11-03T00:00:00+08:00', end_date: '2026-11-04T00:00:00+08:00' })).at(-1)!;
    expect(last).toMatchObject({ update_id: String(reopen.id), status: 'in_progress', external_status_code: 'rework' });
  });

  it('a retried update answers the same update_id and does not act twice', async () => {
    const before = (await eventsOf(id)).length;
    const again = await post(t, 'servicerequestupdates', 'json', {
      api_key: t.key, service_request_id: id, update_id: 'fms-1001', updated_datetime: '2026-11-03T14:55:00+08:00', status: 'REOPEN', description: '彩钢房又搭起来了',
    });
    expect(again.status).toBe(200);
    expect(again.doc).toEqual([{ update_id: String((await eventsOf(id)).at(-1)!.id) }]);
    expect((await eventsOf(id)).length).toBe(before);
  });

  it('FIXED from the client on a handled case passes the check and closes it', async () => {
    await step(31);
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '再次拆除' }, [await jpeg(4)]);
    expect(c.state).toBe('pending_check');
    const a = await post(t, 'servicerequestupdates', 'json', {
      api_key: t.key, service_request_id: id, update_id: 'fms-1002', updated_datetime: '2026-11-03T16:00:00+08:00', status: 'FIXED', description: '确认已拆除，谢谢',
    });
    expect(a.status, a.body).toBe(200);
    const events = await eventsOf(id);
    expect(events.slice(-2).map((e) => [e.action, e.to_state, e.actor_id])).toEqual([['check_pass', 'checked', reopenedBy], ['close', 'closed', reopenedBy]]);
    expect(a.doc).toEqual([{ update_id: String(events.at(-1)!.id) }]);
    // an echo of a status the case already has changes nothing and answers the latest change
    const echo = await post(t, 'servicerequestupdates', 'json', {
      api_key: t.key, service_request_id: id, update_id: 'fms-1003', updated_datetime: '2026-11-03T16:05:00+08:00', status: 'CLOSED', description: '好评',
    });
    expect(echo.doc).toEqual([{ update_id: String(events.at(-1)!.id) }]);
    expect((await eventsOf(id)).length).toBe(events.length);
  });

  it('REOPEN by a client that did not report it is refused by the workflow', async () => {
    const a = await post(t, 'servicerequestupdates', 'xml', {
      api_key: t.otherKey, service_request_id: id, update_id: 'x-1', updated_datetime: '2026-11-03T17:00:00+08:00', status: 'REOPEN', description: '重开',
    });
    expect(a.status).toBe(400);
    expect(errorsOf(a, 'xml')).toEqual([{ code: 400, description: 'status REOPEN on a request that is closed: reopen is not allowed here: reporter is actor.' }]);
  });
});

describe.each(FORMATS)('the client\'s other updates (%s)', (format) => {
  const send = (fields: Record<string, string | undefined>) => post(t, 'servicerequestupdates', format, {
    api_key: t.key, updated_datetime: '2026-11-04T10:00:00+08:00', description: '还没处理', ...fields,
  });

  it('a comment on an open request is passed to the case as a note (comment, not 督办), without a change of state', async () => {
    const id = await report();
    const a = await send({ service_request_id: id, update_id: `c-${format}`, status: 'OPEN' });
    expect(a.status, a.body).toBe(200);
    const events = await eventsOf(id);
    expect(events.map((e) => [e.action, e.to_state])).toEqual([['report', 'pending_verification'], ['comment', 'pending_verification']]);
    expect(events[1]!.comment).toBe('Open311 OPEN: 还没处理');
    expect(itemsOf(a, format, 'service_request_updates', 'request_update')).toEqual([{ update_id: String(events[1]!.id) }]);
    expect(await updatesFor(id, format)).toHaveLength(1); // notes are not in the public stream
  });

  it('FIXED before anyone accepted the report withdraws it (不予立案)', async () => {
    const id = await report();
    const a = await send({ service_request_id: id, update_id: `f-${format}`, status: 'FIXED', description: '已自行拆除' });
    expect(a.status, a.body).toBe(200);
    expect((await eventsOf(id)).at(-1)).toMatchObject({ action: 'reject', to_state: 'rejected', comment: 'Open311 FIXED: 已自行拆除' });
    const [r] = itemsOf(await get(t, `requests/${id}`, format), format, 'service_requests', 'request');
    expect(r).toMatchObject({ status: 'closed', status_notes: '经核实不予立案' });
    const reopen = await send({ service_request_id: id, update_id: `r-${format}`, status: 'REOPEN' });
    expect(reopen.status).toBe(400);
    expect(errorsOf(reopen, format)[0]!.description).toBe('A rejected request cannot be reopened; report the problem again as a new request.');
  });

  it('400 for each missing argument, a status outside the list and a date without its zone', async () => {
    const missing = await post(t, 'servicerequestupdates', format, {});
    expect(missing.status).toBe(400);
    expect(errorsOf(missing, format).map((e) => e.description)).toEqual([
      'api_key is required.', 'service_request_id is required.', 'status is required.', 'description is required.', 'updated_datetime is required.',
    ]);
    const noUpdateId = await send({ service_request_id: '1', status: 'OPEN' });
    expect(errorsOf(noUpdateId, format)).toEqual([{ code: 400, description: 'update_id is required.' }]);
    const id = await report();
    const badStatus = await send({ service_request_id: id, update_id: 'b1', status: 'DONE' });
    expect(badStatus.status).toBe(400);
    expect(errorsOf(badStatus, format)[0]!.description).toMatch(/^status must be one of OPEN, CLOSED, FIXED/);
    const badDate = await send({ service_request_id: id, update_id: 'b2', status: 'OPEN', updated_datetime: '2026-11-04 10:00' });
    expect(errorsOf(badDate, format)[0]!.description).toMatch(/^updated_datetime must be a W3C date-time/);
    expect((await eventsOf(id)).length).toBe(1);
  });

  it('403 for a bad key, 404 for an unknown request, a foreign jurisdiction or a request outside the key\'s area', async () => {
    const id = await report();
    const bad = await send({ api_key: 'og_never-issued-key-000', service_request_id: id, update_id: 'k1', status: 'OPEN' });
    expect(bad.status).toBe(403);
    const unknown = await send({ service_request_id: '1101122026010100001', update_id: 'k2', status: 'OPEN' });
    expect(unknown.status).toBe(404);
    expect(errorsOf(unknown, format)).toEqual([{ code: 404, description: 'service_request_id 1101122026010100001 was not found.' }]);
    const foreign = await send({ service_request_id: id, update_id: 'k3', status: 'OPEN', jurisdiction_id: '110105' });
    expect(foreign.status).toBe(404);
    const { key: streetB } = await createApiKey(t, { name: `新华街道 ${format}`, role: 'street_dispatcher', divisionCode: '110112002' });
    const outside = await send({ api_key: streetB, service_request_id: id, update_id: 'k4', status: 'OPEN' });
    expect(outside.status).toBe(404);
    expect((await eventsOf(id)).length).toBe(1);
  });
});
