import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { act, withCaseDistrict, IN_A1, IN_B1, jpeg, multipart, must, report, type CasesTestContext, type CaseOut } from './cases.testing.js';

/**
 * Jurisdiction: a case outside the reader's scope does not exist (404) for reads, actions, lists
 * and its photos; a department sees what it holds and keeps seeing what it once held.
 */
let t: CasesTestContext;
let inB: CaseOut;
let photo: string;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  const body = multipart({ ...IN_B1, description: '新华街道的案件', category_code: '06010' }, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: await jpeg(99) }]);
  const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...t.as.district, ...body.headers }, payload: body.payload });
  expect(res.statusCode, res.body).toBe(201);
  inB = res.json().case;
  photo = res.json().case.photos[0].sha256;
});
afterAll(() => t?.close());

describe('out of scope', () => {
  it('street A, its community and grid worker, and the department get 404 for reads, actions and photos of street B\'s case', async () => {
    for (const who of ['street', 'community', 'gridworker', 'department'] as const) {
      const read = await t.app.inject({ method: 'GET', url: `/api/cases/${inB.id}`, headers: t.as[who] });
      expect(read.statusCode, who).toBe(404);
      expect(read.json().error.code).toBe('not_found');
      const action = await act(t, who, inB, 'accept', { condition_code: '06010-01' });
      expect(action.statusCode, who).toBe(404);
      const file = await t.app.inject({ method: 'GET', url: `/api/files/${photo}`, headers: t.as[who] });
      expect(file.statusCode, who).toBe(404);
      const list = await t.app.inject({ method: 'GET', url: '/api/cases?pageSize=200', headers: t.as[who] });
      expect(list.json().items.map((x: { id: number }) => x.id), who).not.toContain(inB.id);
    }
    const state = await t.dbh.db.selectFrom('cases').select(['state', 'version']).where('id', '=', inB.id).executeTakeFirstOrThrow();
    expect(state).toEqual({ state: 'pending_acceptance', version: 1 });
    // a photo's hash with a wrong tracking code is no way in either
    const pub = await t.app.inject({ method: 'GET', url: `/api/files/${photo}?tracking=ABCDEFGH23` });
    expect(pub.statusCode).toBe(404);
    // the district sees it all
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/${inB.id}`, headers: t.as.district })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${photo}/thumb`, headers: t.as.district })).statusCode).toBe(200);
  });

  it('a grid worker cannot report outside their jurisdiction', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.gridworker, payload: { ...IN_B1, description: 'x' } });
    expect(res.statusCode).toBe(403);
  });

  it('a department sees a case once it holds it, and keeps seeing it after returning it', async () => {
    let c = await report(t, 'gridworker', { ...IN_A1 });
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.department })).statusCode).toBe(404);
    c = await must(t, 'district', c, 'accept', { condition_code: '01001-03' });
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    const held = await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.department });
    expect(held.statusCode).toBe(200);
    expect(held.json().allowedActions).toEqual(expect.arrayContaining(['claim', 'return']));
    const queue = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=to_handle', headers: t.as.department })).json();
    expect(queue.items.map((x: { id: number }) => x.id)).toContain(c.id);
    c = await must(t, 'department', c, 'return', { reason: '不属于本部门职责' });
    expect(c).toMatchObject({ state: 'returned', holder: null, returnedFrom: { kind: 'department', code: 'CG' } });
    const after = await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.department });
    expect(after.statusCode).toBe(200);
    expect(after.json().allowedActions).not.toContain('claim');
    const stillQueued = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=to_handle', headers: t.as.department })).json();
    expect(stillQueued.items.map((x: { id: number }) => x.id)).not.toContain(c.id);
    // the dispatcher refuses the return: back to the department
    c = await must(t, 'district', c, 'refuse_return', { reason: '属于城管职责' });
    expect(c).toMatchObject({ state: 'dispatched', holder: { code: 'CG' } });
  });
});
