import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../../test/support/app.js';
import type { LiveEvent } from '../../../platform/live.js';
import { jpeg, must, mustWithPhotos, report, type CaseOut, type CasesTestContext, type RoleUser, withCaseDistrict } from '../cases.testing.js';

/** The inbox fed by real workflow actions through HTTP: who hears of a dispatch, a return, a rework, an urge. */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

async function inbox(who: RoleUser) {
  const res = await t.app.inject({ method: 'GET', url: '/api/inbox?limit=100', headers: t.as[who] });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: { caseId: number; kind: string; title: string }[]; unread: number };
}
const kindsFor = async (who: RoleUser, c: CaseOut) => (await inbox(who)).items.filter((i) => i.caseId === c.id).map((i) => i.kind).reverse();

describe('inbox entries from the workflow', () => {
  let c: CaseOut;
  const seen: LiveEvent[] = [];
  beforeAll(async () => {
    t.app.ctx.live.subscribe((e) => seen.push(e));
    c = await report(t, 'gridworker');
    c = await must(t, 'district', c, 'accept', { condition_code: '01001-02' });
  });

  it('the report asked the district to accept it', async () => {
    expect(await kindsFor('district', c)).toEqual(['new_task']);
  });

  it('a dispatch puts a new task in the department\'s inbox and pushes it live', async () => {
    const from = seen.length;
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    expect(await kindsFor('department', c)).toEqual(['new_task']);
    const live = seen.slice(from).filter((e) => e.type === 'inbox' && e.data.caseId === c.id);
    expect(live).toHaveLength(1);
    expect(live[0]!.userIds).toHaveLength(1);
  });

  it('a return tells the district dispatchers (the case level), with the reason', async () => {
    c = await must(t, 'department', c, 'return', { reason: '井盖属水务局' });
    const mine = (await inbox('district')).items.filter((i) => i.caseId === c.id);
    expect(mine.map((i) => i.kind)).toEqual(['returned', 'new_task']);
    expect(mine[0]!.title).toContain('井盖属水务局');
    expect(await kindsFor('street', c)).toEqual([]);
  });

  it('a failed check sends rework to the holding department', async () => {
    c = await must(t, 'district', c, 'dispatch', { department: 'CG' });
    c = await must(t, 'department', c, 'claim');
    c = await mustWithPhotos(t, 'department', c, 'feedback', { comment: '已更换' }, [await jpeg(3)]);
    expect(await kindsFor('gridworker', c)).toContain('new_task'); // to check on site
    c = await must(t, 'gridworker', c, 'check_fail', { reason: '井盖仍晃动' });
    expect(await kindsFor('department', c)).toEqual(['new_task', 'new_task', 'rework']);
  });

  it('an urge and a leader instruction reach the holder', async () => {
    c = await must(t, 'district', c, 'urge', { comment: '今日内完成' });
    c = await must(t, 'leader', c, 'instruct', { comment: '注意行人安全' });
    expect((await kindsFor('department', c)).slice(-2)).toEqual(['urged', 'instructed']);
  });

  it('a postponement request asks the approvers at the case level', async () => {
    c = await must(t, 'department', c, 'request_postpone', { reason: '等待备件', due_at: t.clock.now() + 3 * 86_400_000 });
    expect(await kindsFor('district', c)).toEqual(['new_task', 'returned', 'approval_needed']);
  });

  it('an action that fails writes no inbox rows', async () => {
    const before = (await inbox('department')).items.length;
    const stale = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/urge`, headers: t.as.district, payload: { version: c.version - 1, comment: '再催' } });
    expect(stale.statusCode).toBe(409);
    expect((await inbox('department')).items.length).toBe(before);
  });
});
