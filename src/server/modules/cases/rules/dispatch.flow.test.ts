import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREET_A, createTestApp } from '../../../../../test/support/app.js';
import { IN_B1, must, report, type CasesTestContext, withCaseDistrict } from '../cases.testing.js';

/** Dispatch rules at work on real cases: the suggestion on the dispatch screen and the automatic dispatch. */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const suggestion = (who: 'district' | 'street' | 'gridworker', id: number) =>
  t.app.inject({ method: 'GET', url: `/api/cases/${id}/dispatch-suggestion`, headers: t.as[who] });

describe('dispatch suggestion for a case', () => {
  it('follows the category when no rule applies: an event goes to the locality first', async () => {
    const c = await report(t, 'gridworker', { category_code: '06010', description: '暴露垃圾' });
    const res = await suggestion('district', c.id);
    expect(res.statusCode).toBe(200);
    // 06010 暴露垃圾 is coordinated by the street, which is the case's level: the street sends it to the owner
    expect(res.json()).toEqual({
      suggestion: { departmentCode: null, level: 'street', ownerDepartmentCode: 'SZ', auto: false, ruleId: null, source: 'category' },
      step: { action: 'dispatch', input: { department: 'SZ' } },
    });
  });

  it('names the rule that applies', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/dispatch-rules', headers: t.as.admin, payload: { categoryCode: '06', areaCode: STREET_A, level: 'community' } });
    expect(made.statusCode).toBe(201);
    const c = await report(t, 'gridworker', { category_code: '06010', description: '暴露垃圾' });
    expect((await suggestion('street', c.id)).json()).toMatchObject({
      suggestion: { level: 'community', ruleId: made.json().id, source: 'rule' },
      step: { action: 'assign', input: { level: 'community', division: '110112001006' } },
    });
  });

  it('is for dispatchers, inside their jurisdiction', async () => {
    const inB = await report(t, 'district', { ...IN_B1, category_code: '06010', description: '暴露垃圾' });
    expect((await suggestion('street', inB.id)).statusCode).toBe(404);
    expect((await suggestion('gridworker', inB.id)).statusCode).toBe(403);
    expect((await suggestion('district', 999_999)).statusCode).toBe(404);
  });
});

describe('automatic dispatch', () => {
  it('dispatches a case the moment it is accepted, recorded as the rule\'s doing', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/dispatch-rules', headers: t.as.admin, payload: { categoryCode: '01001', areaCode: STREET_A, departmentCode: 'SZ', auto: true } });
    const ruleId = made.json().id;
    let c = await report(t, 'gridworker');
    c = await must(t, 'district', c, 'accept', { condition_code: '01001-01' });
    const detail = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.district })).json();
    expect(detail).toMatchObject({ state: 'dispatched', holder: { kind: 'department', code: 'SZ' } });
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'dispatch', department: 'SZ', actor: { kind: 'system', name: `派遣规则 #${ruleId}` } });
  });

  it('leaves a case alone when the rule is not automatic', async () => {
    await t.app.inject({ method: 'POST', url: '/api/dispatch-rules', headers: t.as.admin, payload: { categoryCode: '01002', areaCode: STREET_A, departmentCode: 'SZ' } });
    let c = await report(t, 'gridworker', { category_code: '01002' });
    c = await must(t, 'district', c, 'accept', { condition_code: '01002-01' });
    expect(c.state).toBe('accepted');
  });
});
