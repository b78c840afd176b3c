import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../platform/live.js';
import { COMMUNITY_A, createTestApp, signIn, type TestContext } from '../../../../../test/support/app.js';
import { announce, notifyForEvent, type CaseForNotice, type EventForNotice } from './notify.js';

type Headers = Record<string, string>;

/**
 * Who is told what: each event kind on a real database with the demo accounts' grants, then the
 * inbox through HTTP. (The end-to-end path through the workflow is in the scheduler and support tests.)
 */
let t: TestContext;
const ids: Record<string, number> = {};
const GRID_A = `${COMMUNITY_A}001`;
let caseSeq = 0;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  for (const u of await t.dbh.db.selectFrom('users').select(['id', 'username']).execute()) ids[u.username] = Number(u.id);
});
afterAll(() => t?.close());

/** A bare case row: the inbox only needs it to exist. */
async function caseRow(over: Partial<CaseForNotice> = {}): Promise<CaseForNotice> {
  const now = t.clock.now();
  const n = ++caseSeq;
  const base = { level: 'street', grid_code: GRID_A, state: 'dispatched', step: 'handle', holder_kind: 'department', holder_code: 'CG', ...over };
  const row = await t.dbh.db.insertInto('cases').values({
    number: `110112202611020${String(n).padStart(3, '0')}`, tracking_code: `T${n}`, state: base.state, level: base.level, source: 'grid_worker',
    reported_by: 'gridworker', grid_code: base.grid_code, lon: 116.65, lat: 39.9, description: '测试案件', version: 1, rework_count: 0, created_at: now, updated_at: now,
    step: base.step, holder_kind: base.holder_kind, holder_code: base.holder_code,
  }).returning(['id', 'number']).executeTakeFirstOrThrow();
  return { ...base, id: Number(row.id), number: row.number };
}

const event = (action: string, to: string, actor: string | null, input: Record<string, unknown> = {}): EventForNotice =>
  ({ action, to_state: to, actor_user_id: actor ? ids[actor]! : null, input: JSON.stringify(input), at: t.clock.now() });

async function told(c: CaseForNotice) {
  const rows = await t.dbh.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id')
    .select(['users.username', 'notifications.kind', 'notifications.title']).where('case_id', '=', c.id).orderBy('users.username').execute();
  return rows.map((r) => `${r.username}:${r.kind}`).sort();
}

describe('who is told', () => {
  it('a dispatch tells the department holding the case', async () => {
    const c = await caseRow();
    await notifyForEvent(t.dbh.db, event('dispatch', 'dispatched', 'street', { department: 'CG' }), c);
    expect(await told(c)).toEqual(['department:new_task']);
  });

  it('a return tells the dispatchers of the case level, with the reason', async () => {
    const c = await caseRow({ state: 'returned', step: 'dispatch', holder_kind: null, holder_code: null });
    await notifyForEvent(t.dbh.db, event('return', 'returned', 'department', { reason: '不属于本部门职责' }), c);
    expect(await told(c)).toEqual(['street:returned']);
    const title = (await t.dbh.db.selectFrom('notifications').select('title').where('case_id', '=', c.id).executeTakeFirstOrThrow()).title;
    expect(title).toContain('不属于本部门职责');
    const district = await caseRow({ level: 'district', state: 'returned', step: 'dispatch', holder_kind: null, holder_code: null });
    await notifyForEvent(t.dbh.db, event('return', 'returned', 'department', { reason: 'x' }), district);
    expect(await told(district)).toEqual(['district:returned']);
  });

  it('a failed check sends rework to the same holder', async () => {
    const c = await caseRow({ state: 'rework' });
    await notifyForEvent(t.dbh.db, event('check_fail', 'rework', 'gridworker', { reason: '井盖仍缺失' }), c);
    expect(await told(c)).toEqual(['department:rework']);
  });

  it('urging and instructing tell whoever owes the next move', async () => {
    const c = await caseRow({ state: 'handling' });
    await notifyForEvent(t.dbh.db, event('urge', 'handling', 'street', { comment: '请尽快处置' }), c);
    await notifyForEvent(t.dbh.db, event('instruct', 'handling', 'leader', { comment: '务必今日办结' }), c);
    expect(await told(c)).toEqual(['department:instructed', 'department:urged']);
    const atDispatch = await caseRow({ state: 'accepted', step: 'dispatch', holder_kind: null, holder_code: null });
    await notifyForEvent(t.dbh.db, event('urge', 'accepted', 'leader', { comment: '请派遣' }), atDispatch);
    expect(await told(atDispatch)).toEqual(['street:urged']);
  });

  it('a note tells whoever owes the next move, never its writer', async () => {
    const c = await caseRow({ state: 'handling' });
    await notifyForEvent(t.dbh.db, event('comment', 'handling', 'street', { comment: '居民来电：夜间积水更深' }), c);
    expect(await told(c)).toEqual(['department:noted']);
    const title = (await t.dbh.db.selectFrom('notifications').select('title').where('case_id', '=', c.id).executeTakeFirstOrThrow()).title;
    expect(title).toContain('补充说明');
    const own = await caseRow({ state: 'handling' });
    await notifyForEvent(t.dbh.db, event('comment', 'handling', 'department', { comment: '已联系物业' }), own);
    expect(await told(own)).toEqual([]);
  });

  it('a request goes to the approvers of the case level, or above when the requester is the only one', async () => {
    const c = await caseRow({ state: 'handling' });
    await notifyForEvent(t.dbh.db, event('request_postpone', 'handling', 'department', { reason: '需协调供水集团' }), c);
    expect(await told(c)).toEqual(['street:approval_needed']);
    const own = await caseRow({ state: 'accepted', step: 'dispatch', holder_kind: null, holder_code: null });
    await notifyForEvent(t.dbh.db, event('request_suspend', 'accepted', 'street', { reason: '待规划' }), own);
    expect(await told(own)).toEqual(['district:approval_needed']);
  });

  it('a public report tells the field staff of the grid to verify it; the actor is never told', async () => {
    const c = await caseRow({ state: 'pending_verification', step: 'verify', holder_kind: null, holder_code: null, level: 'street' });
    await notifyForEvent(t.dbh.db, event('report', 'pending_verification', null), c);
    expect(await told(c)).toEqual(['community:new_task', 'gridworker:new_task']);
    const checked = await caseRow({ state: 'pending_check', step: 'check', holder_kind: 'department' });
    await notifyForEvent(t.dbh.db, event('feedback', 'pending_check', 'gridworker'), checked);
    expect(await told(checked)).toEqual(['community:new_task']);
  });

  it('actions that nobody needs to hear about write nothing', async () => {
    const c = await caseRow({ state: 'handling' });
    expect(await notifyForEvent(t.dbh.db, event('claim', 'handling', 'department'), c)).toEqual({ caseId: c.id, kind: null, userIds: [] });
    expect(await told(c)).toEqual([]);
  });

  it('rows written in a rolled-back transaction vanish with it', async () => {
    const c = await caseRow();
    await expect(t.dbh.db.transaction().execute(async (tx) => {
      await notifyForEvent(tx, event('dispatch', 'dispatched', 'street'), c);
      throw new Error('the event failed');
    })).rejects.toThrow('the event failed');
    expect(await told(c)).toEqual([]);
  });
});

describe('the inbox', () => {
  let dept: Headers;
  beforeAll(async () => {
    dept = await signIn(t.app, 'department');
  });
  const inbox = async (h: Headers, q = '') => (await t.app.inject({ method: 'GET', url: `/api/inbox${q}`, headers: h })).json();

  it('lists newest first with the unread count, pages by id, and marks read', async () => {
    await t.app.inject({ method: 'POST', url: '/api/inbox/read-all', headers: dept });
    const made: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await caseRow();
      await notifyForEvent(t.dbh.db, event('dispatch', 'dispatched', 'street'), c);
      made.push(c.id);
    }
    const first = await inbox(dept, '?limit=2&unread=true');
    expect(first.unread).toBe(3);
    expect(first.items.map((i: { caseId: number }) => i.caseId)).toEqual([made[2], made[1]]);
    expect(first.items[0]).toMatchObject({ kind: 'new_task', readAt: null });
    expect(first.items[0].title).toContain(first.items[0].caseNumber);
    const second = await inbox(dept, `?limit=2&unread=true&before=${first.nextBefore}`);
    expect(second.items.map((i: { caseId: number }) => i.caseId)).toEqual([made[0]]);
    expect(second.nextBefore).toBeNull();

    const read = await t.app.inject({ method: 'POST', url: `/api/inbox/${first.items[0].id}/read`, headers: dept });
    expect(read.json()).toEqual({ ok: true, unread: 2 });
    const again = await t.app.inject({ method: 'POST', url: `/api/inbox/${first.items[0].id}/read`, headers: dept });
    expect(again.json()).toEqual({ ok: true, unread: 2 });
    const all = await t.app.inject({ method: 'POST', url: '/api/inbox/read-all', headers: dept });
    expect(all.json()).toEqual({ ok: true, marked: 2, unread: 0 });
    expect((await inbox(dept)).unread).toBe(0);
  });

  it("someone else's notification does not exist for you", async () => {
    const c = await caseRow();
    await notifyForEvent(t.dbh.db, event('dispatch', 'dispatched', 'street'), c);
    const mine = (await inbox(dept)).items[0];
    const street = await signIn(t.app, 'street');
    expect((await t.app.inject({ method: 'POST', url: `/api/inbox/${mine.id}/read`, headers: street })).statusCode).toBe(404);
    expect((await inbox(street)).items.map((i: { id: number }) => i.id)).not.toContain(mine.id);
    expect((await t.app.inject({ method: 'GET', url: '/api/inbox' })).statusCode).toBe(401);
  });

  it('announces to the open pages of exactly the users told', async () => {
    const seen: LiveEvent[] = [];
    const off = t.app.ctx.live.subscribe((e) => seen.push(e));
    const c = await caseRow();
    const n = await notifyForEvent(t.dbh.db, event('dispatch', 'dispatched', 'street'), c);
    announce(t.app.ctx.live, n);
    off();
    expect(seen).toEqual([{ type: 'inbox', divisionCode: null, departmentIds: [], userIds: [ids.department], data: { caseId: c.id, kind: 'new_task' } }]);
  });
});
