import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import { up as markRefusedReturns } from '../../db/migrations/024_eval_marks_recount.js';
import { catchUpAll } from './catchup.js';
import { CaseDriver, evaluationRows } from './evaluation.testing.js';
import { bj, CG, D1, D2, GRID_A, GW1, GW2, SZ, URGENT } from './fixtures.testing.js';

/**
 * Two rules of the marks, on cases of May 2026 (apart from the shared history of March and April):
 * - 准确派遣率 and returns (回退): a department returns a case it holds; the dispatcher either sends it
 *   elsewhere (the return stands: the dispatch was wrong) or refuses the return (不同意回退: the case
 *   goes back to the department, and the dispatch was right);
 * - handling time leaves out the time a round was suspended (挂账).
 */
let t: TestContext;
let leader: Record<string, string>;
const ids: number[] = [];

beforeAll(async () => {
  t = await createTestApp();
  leader = await signIn(t.app, 'leader');
  const d = new CaseDriver(t.dbh.db);
  const place = { grid_code: GRID_A, lon: 116.66, lat: 39.9, address: null, description: '井盖丢失' };
  const start = async (at: string) => {
    const id = await d.create(place, 'report', { source: 'grid_worker', level: 'district', filing: URGENT, category_code: URGENT.category_code }, GW1, bj(at));
    await d.act(id, 'accept', { filing: URGENT }, D1, bj(at) + 5 * 60_000);
    await d.act(id, 'dispatch', { department: 'SZ' }, D1, bj(at) + 10 * 60_000);
    ids.push(id);
    return id;
  };
  const finish = async (id: number, day: string) => {
    await d.act(id, 'claim', {}, SZ, bj(`${day} 10:00`));
    await d.act(id, 'feedback', { comment: '已补装', photos: ['p'] }, SZ, bj(`${day} 10:30`));
  };

  // J: returned, the return refused, then handled by SZ: one dispatch, accurate
  const J = await start('2026-05-06 09:00');
  await d.act(J, 'return', { reason: '不属本部门' }, SZ, bj('2026-05-06 09:30'));
  await d.act(J, 'refuse_return', { reason: '属市政职责' }, D2, bj('2026-05-06 09:40'));
  await finish(J, '2026-05-06');
  await d.act(J, 'check_pass', {}, GW2, bj('2026-05-06 11:00'));

  // K: returned, refused, returned again and sent to CG: the first dispatch was wrong, the second right
  const K = await start('2026-05-07 09:00');
  await d.act(K, 'return', { reason: '不属本部门' }, SZ, bj('2026-05-07 09:30'));
  await d.act(K, 'refuse_return', { reason: '属市政职责' }, D2, bj('2026-05-07 09:40'));
  await d.act(K, 'return', { reason: '确非本部门' }, SZ, bj('2026-05-07 09:50'));
  await d.act(K, 'dispatch', { department: 'CG' }, D1, bj('2026-05-07 10:00'));

  // L: returned, refused, handled and then failed its check (rework): inaccurate all the same
  const L = await start('2026-05-08 09:00');
  await d.act(L, 'return', { reason: '不属本部门' }, SZ, bj('2026-05-08 09:30'));
  await d.act(L, 'refuse_return', { reason: '属市政职责' }, D2, bj('2026-05-08 09:40'));
  await finish(L, '2026-05-08');
  await d.act(L, 'check_fail', { reason: '未修好' }, GW2, bj('2026-05-08 11:00'));

  // M: returned and sent to CG without a refusal: the dispatch was wrong
  const M = await start('2026-05-11 09:00');
  await d.act(M, 'return', { reason: '不属本部门' }, SZ, bj('2026-05-11 09:30'));
  await d.act(M, 'dispatch', { department: 'CG' }, D1, bj('2026-05-11 09:40'));
  await d.act(M, 'claim', {}, CG, bj('2026-05-11 10:00'));

  // N: dispatched at 09:10, suspended from 10:00 on the 12th to 10:00 on the 14th, handled at 11:00:
  // 49 h 50 min since the dispatch, of which 48 h suspended, so 110 minutes of handling
  const N = await start('2026-05-12 09:00');
  await d.act(N, 'claim', {}, SZ, bj('2026-05-12 09:20'));
  await d.act(N, 'request_suspend', { reason: '待拆迁' }, SZ, bj('2026-05-12 09:30'));
  await d.act(N, 'approve_suspend', {}, D2, bj('2026-05-12 10:00'));
  await d.act(N, 'resume', { comment: '拆迁已完成' }, D2, bj('2026-05-14 10:00'));
  await d.act(N, 'feedback', { comment: '已补装', photos: ['p'] }, SZ, bj('2026-05-14 11:00'));
});
afterAll(() => t?.close());

const may = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/evaluation/dashboard?period=2026-05', headers: leader });
  expect(res.statusCode).toBe(200);
  return res.json().figures.values as Record<string, number>;
};

describe('a refused return (不同意回退)', () => {
  it('leaves the dispatch accurate, while the return still counts as the department\'s', async () => {
    const v = await may();
    expect(v.dispatched).toBe(7); // J, K twice, L, M twice, N
    // J's (refused), K's second, M's second and N's; not K's first (its second return stood), L's (rework), M's first
    expect(v.dispatch_accurate).toBe(4);
    expect(v.dispatch_accuracy).toBeCloseTo(4 / 7, 4);
    expect(v.returned).toBe(5); // every return: J, K twice, L, M
  });

  it('lists the dispatches behind the rate with the accurate ones marked', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/evaluation/cases?indicator=dispatch_accuracy&subject=110112&period=2026-05', headers: leader });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { caseId: number; hit: boolean | null }[];
    expect(items).toHaveLength(7);
    expect(items.filter((i) => i.hit)).toHaveLength(4);
    expect(new Set(items.filter((i) => i.hit).map((i) => i.caseId))).toEqual(new Set([ids[0], ids[1], ids[3], ids[4]]));
  });
});

describe('a suspended round (挂账)', () => {
  it('leaves the time suspended out of the handling time', async () => {
    // J's and L's rounds began at the refused return (09:40) and were handled at 10:30: 50 minutes each
    expect((await may()).avg_handling_hours).toBeCloseTo((50 + 50 + 110) / 3 / 60, 2);
    const res = await t.app.inject({ method: 'GET', url: '/api/evaluation/cases?indicator=avg_handling_hours&subject=110112&period=2026-05', headers: leader });
    const items = res.json().items as { caseId: number; hours: number }[];
    expect(items.find((i) => i.caseId === ids[4])!.hours).toBeCloseTo(110 / 60, 2);
  });
});

describe('cases counted under the earlier rules', () => {
  it('are counted again by migration 024, to the same figures', async () => {
    const before = await evaluationRows(t.dbh.db);
    await t.dbh.db.deleteFrom('eval_pending').execute();
    await markRefusedReturns(t.dbh.db);
    const marked = (await t.dbh.db.selectFrom('eval_pending').select('case_id').orderBy('case_id').execute()).map((r) => Number(r.case_id));
    expect(marked).toEqual([ids[0], ids[1], ids[2], ids[4]]); // J, K, L (a refused return) and N (resumed)
    expect(await catchUpAll(t.dbh.db)).toBe(4);
    expect(await evaluationRows(t.dbh.db)).toEqual(before);
  });
});
