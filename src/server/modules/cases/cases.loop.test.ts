import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { withCaseDistrict, jpeg, must, mustWithPhotos, report, type CasesTestContext } from './cases.testing.js';

/** The whole loop through HTTP, as different people, with the case_events rows it leaves. */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const userId = async (username: string) => Number((await t.dbh.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id);

describe('the closed loop', () => {
  it('report → accept → dispatch → claim → feedback → check_fail → rework → feedback → check_pass → close', async () => {
    let c = await report(t, 'gridworker', { address: '新华西街 1 号' });
    expect(c).toMatchObject({ state: 'pending_acceptance', version: 1, source: 'grid_worker', level: 'district', gridCode: '110112001006001' });
    expect(c.number).toMatch(/^11011220261102\d{5}$/);
    c = await must(t, 'district', c, 'accept', { condition_code: '01001-02' });
    expect(c).toMatchObject({ state: 'accepted', filing: { conditionCode: '01001-02', limit: { amount: 4, unit: 'working_hours' } } });
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    expect(c).toMatchObject({ state: 'dispatched', holder: { kind: 'department', code: 'CG' } });
    c = await must(t, 'department', c, 'claim');
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '已更换井盖' }, [await jpeg(1)]);
    expect(c.state).toBe('pending_check');
    c = await must(t, 'gridworker', c, 'check_fail', { reason: '井盖不平' });
    expect(c).toMatchObject({ state: 'rework', reworkCount: 1 });
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '重新安装' }, [await jpeg(2)]);
    c = await must(t, 'gridworker', c, 'check_pass');
    c = await must(t, 'community', c, 'close');
    expect(c).toMatchObject({ state: 'closed', version: 9, allowedActions: [] });

    const events = await t.dbh.db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).orderBy('seq').execute();
    const users = { grid: await userId('gridworker'), district: await userId('district'), dept: await userId('department'), community: await userId('community') };
    expect(events.map((e) => [e.seq, e.action, e.from_state, e.to_state, e.actor_user_id])).toEqual([
      [1, 'report', 'new', 'pending_acceptance', users.grid],
      [2, 'accept', 'pending_acceptance', 'accepted', users.district],
      [3, 'dispatch', 'accepted', 'dispatched', users.district],
      [4, 'claim', 'dispatched', 'handling', users.dept],
      [5, 'feedback', 'handling', 'pending_check', users.dept],
      [6, 'check_fail', 'pending_check', 'rework', users.grid],
      [7, 'feedback', 'rework', 'pending_check', users.dept],
      [8, 'check_pass', 'pending_check', 'checked', users.grid],
      [9, 'close', 'checked', 'closed', users.community],
    ]);
    expect(events[5]).toMatchObject({ comment: '井盖不平', actor_name: '网格员 刘洋', actor_kind: 'user' });
    const photos = await t.dbh.db.selectFrom('case_photos').select(['kind', 'event_id']).where('case_id', '=', c.id).execute();
    expect(photos.map((p) => p.kind)).toEqual(['feedback', 'feedback']);
    const held = await t.dbh.db.selectFrom('case_departments').select('department_id').where('case_id', '=', c.id).execute();
    expect(held).toHaveLength(1);
  });
});
