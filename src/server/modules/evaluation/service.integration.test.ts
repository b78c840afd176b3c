import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { jpeg, must, mustWithPhotos, report, withCaseDistrict, type CasesTestContext } from '../cases/cases.testing.js';
import { catchUpAll, stopCatchUp } from './catchup.js';
import { rebuildStats } from './stats.js';

/**
 * The evaluation reads what the real cases service writes: a loop driven through the case API
 * (report, accept, dispatch, claim, feedback, check_fail, feedback, check_pass, close) is counted
 * as expected, and the counts the catch-up keeps from the cases each event marks equal a full
 * recount; the marks commit and roll back with their events, and recounting twice changes nothing.
 */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const figures = async () => (await t.app.inject({ method: 'GET', url: '/api/evaluation/dashboard?period=2026-11', headers: t.as.leader })).json().figures.values;

describe('cases written by the cases service', () => {
  it('count in every figure they reach', async () => {
    let c = await report(t, 'gridworker', { address: '新华西街 1 号' });
    c = await must(t, 'district', c, 'accept', { condition_code: '01001-02' });
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    c = await must(t, 'department', c, 'claim');
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '已更换井盖' }, [await jpeg(1)]);
    c = await must(t, 'gridworker', c, 'check_fail', { reason: '井盖不平' });
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '重新安装' }, [await jpeg(2)]);
    c = await must(t, 'gridworker', c, 'check_pass');
    c = await must(t, 'community', c, 'close');
    await report(t, 'gridworker', { address: '新华西街 2 号' });

    const kept = await figures();
    await rebuildStats(t.dbh.db);
    const recount = await figures();
    expect(kept).toEqual(recount); // the catch-up kept the counts from the marked cases
    expect(recount).toMatchObject({
      reported: 2, valid: 1, accepted: 1, dispatched: 1, dispatch_accurate: 0, handled: 2, due: 2, rework: 1,
      checked: 2, checked_on_time: 2, closed: 1, missed_rate: 0,
    });
    const workers = (await t.app.inject({ method: 'GET', url: '/api/evaluation/indicators?subject=worker&period=2026-11', headers: t.as.leader })).json().rows;
    const gridworker = workers.find((w: { name: string }) => w.name === '网格员 刘洋');
    expect(gridworker?.figures.values).toMatchObject({ reported: 2, valid: 1, checked: 2 });
    const departments = (await t.app.inject({ method: 'GET', url: '/api/evaluation/indicators?subject=department&period=2026-11', headers: t.as.leader })).json().rows;
    expect(departments.find((d: { id: string }) => d.id === 'CG').figures.values).toMatchObject({ handled: 2, rework: 1, closed: 1 });
  });
});

describe('the catch-up', () => {
  const pending = async () => (await t.dbh.db.selectFrom('eval_pending').select(['case_id', 'event_id']).orderBy('case_id').execute())
    .map((r) => ({ case_id: Number(r.case_id), event_id: Number(r.event_id) }));
  const stats = async () => t.dbh.db.selectFrom('eval_stats').selectAll().orderBy('area').orderBy('dim').orderBy('grain').orderBy('period').orderBy('key').execute();

  it('marks each case in the transaction of its event, and takes the mark away once counted', async () => {
    // no runs in the background: this test looks at the marks between events
    await stopCatchUp(t.app.ctx);
    await catchUpAll(t.dbh.db);
    expect(await pending()).toEqual([]);
    const c = await report(t, 'gridworker', { address: '新华西街 3 号' });
    const accepted = await must(t, 'district', c, 'accept', { condition_code: '01001-02' });
    const last = await t.dbh.db.selectFrom('case_events').select('id').where('case_id', '=', c.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    // one mark per case, naming its latest event, whatever the number of events
    expect(await pending()).toEqual([{ case_id: c.id, event_id: Number(last.id) }]);
    const before = (await figures()).accepted; // a read counts everything marked before it
    expect(await pending()).toEqual([]);
    // a refused action writes no event and no mark
    const stale = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/dispatch`, headers: t.as.district, payload: { version: c.version, department: 'CG' } });
    expect(stale.statusCode).toBe(409);
    expect(await pending()).toEqual([]);
    expect((await figures()).accepted).toBe(before);
    expect(accepted.state).toBe('accepted');
  });

  it('changes nothing when a case is recounted again', async () => {
    const c = await report(t, 'gridworker', { address: '新华西街 4 号' });
    await must(t, 'district', c, 'accept', { condition_code: '01001-02' });
    await catchUpAll(t.dbh.db);
    const once = await stats();
    // the same cases marked again (as after a crash between two batches) are recounted to the same rows
    const ids = (await t.dbh.db.selectFrom('cases').select('id').execute()).map((r) => Number(r.id));
    await t.dbh.db.insertInto('eval_pending').values(ids.map((id) => ({ case_id: id, event_id: 0 }))).execute();
    expect(await catchUpAll(t.dbh.db)).toBe(ids.length);
    expect(await stats()).toEqual(once);
    await rebuildStats(t.dbh.db);
    expect(await stats()).toEqual(once);
  });
});
