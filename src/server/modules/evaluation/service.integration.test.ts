import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { jpeg, must, mustWithPhotos, report, withCaseDistrict, type CasesTestContext } from '../cases/cases.testing.js';
import { rebuildStats } from './stats.js';

/**
 * The evaluation reads what the real cases service writes: a loop driven through the case API
 * (report, accept, dispatch, claim, feedback, check_fail, feedback, check_pass, close) is counted
 * as expected, and the counts the service keeps in each event's transaction equal a full recount.
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
    expect(kept).toEqual(recount); // the service keeps the counts itself, in each event's transaction
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
