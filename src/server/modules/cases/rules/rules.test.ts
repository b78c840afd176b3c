import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMUNITY_A, STREET_A, STREET_B, createTestApp, signIn, type TestContext } from '../../../../../test/support/app.js';
import { autoDispatchFor, dispatchStepFor, suggestDispatch } from './rules.service.js';

type Headers = Record<string, string>;

/** Dispatch rules through HTTP on a real database: matching, fallback, validation, scope, audit. */
let t: TestContext;
let admin: Headers;
let streetAdmin: Headers;
const GRID_A = `${COMMUNITY_A}001`;
const GRID_B = `${STREET_B}001001`;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  admin = await signIn(t.app, 'admin');
  const made = await t.app.inject({
    method: 'POST', url: '/api/users', headers: admin,
    payload: { username: 'admina', displayName: '中仓街道管理员', password: 'admina-2026x', grants: [{ role: 'admin', divisionCode: STREET_A }] },
  });
  expect(made.statusCode).toBe(201);
  streetAdmin = await signIn(t.app, 'admina', 'admina-2026x');
});
afterAll(() => t?.close());

const post = (headers: Headers, payload: object) => t.app.inject({ method: 'POST', url: '/api/dispatch-rules', headers, payload });
async function rule(payload: object, headers = admin): Promise<number> {
  const res = await post(headers, payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const suggest = (categoryCode: string, gridCode: string) => suggestDispatch(t.dbh.db, { categoryCode, gridCode });

describe('rule matching', () => {
  let classRule: number, subRule: number, streetRule: number, streetLevelRule: number;
  beforeAll(async () => {
    classRule = await rule({ categoryCode: '06', areaCode: '110112', departmentCode: 'CG' });
    subRule = await rule({ categoryCode: '06001', areaCode: '110112', departmentCode: 'SZ' });
    streetRule = await rule({ categoryCode: '06001', areaCode: STREET_A, departmentCode: 'GA' });
    streetLevelRule = await rule({ categoryCode: '06001', areaCode: STREET_A, level: 'community', priority: 5, auto: true });
  });

  it('the longest category and area win, then the higher priority', async () => {
    expect(await suggest('06001', GRID_A)).toMatchObject({ ruleId: streetLevelRule, level: 'community', departmentCode: null, auto: true, source: 'rule' });
    expect(await suggest('06001', GRID_B)).toMatchObject({ ruleId: subRule, departmentCode: 'SZ', level: null, auto: false });
    expect(await suggest('06010', GRID_A)).toMatchObject({ ruleId: classRule, departmentCode: 'CG' });
  });

  it('a more specific category beats a more specific area', async () => {
    const communityClass = await rule({ categoryCode: '06', areaCode: COMMUNITY_A, departmentCode: 'GA', priority: 100 });
    expect((await suggest('06001', GRID_A))?.ruleId).toBe(streetLevelRule);
    expect((await suggest('06010', GRID_A))?.ruleId).toBe(communityClass);
    await t.app.inject({ method: 'DELETE', url: `/api/dispatch-rules/${communityClass}`, headers: admin });
  });

  it('an equal rule with a lower priority loses until the higher one goes', async () => {
    const del = await t.app.inject({ method: 'DELETE', url: `/api/dispatch-rules/${streetLevelRule}`, headers: admin });
    expect(del.statusCode).toBe(200);
    expect(await suggest('06001', GRID_A)).toMatchObject({ ruleId: streetRule, departmentCode: 'GA' });
  });

  it('falls back to the category: components to their owner, events to the locality', async () => {
    // 01001 供水井盖 (component, SW): the owner department
    expect(await suggest('01001', GRID_A)).toEqual({ departmentCode: 'SW', level: null, ownerDepartmentCode: 'SW', auto: false, ruleId: null, source: 'category' });
    // 12001 教育服务 (social event, community): the community workstation first, the education board after
    expect(await suggest('12001', GRID_A)).toEqual({ departmentCode: null, level: 'community', ownerDepartmentCode: 'JY', auto: false, ruleId: null, source: 'category' });
    // 07003 违规户外广告 is coordinated by the district: straight to city management
    expect(await suggest('07003', GRID_A)).toMatchObject({ departmentCode: 'CG', level: null });
    expect(await suggest('99999', GRID_A)).toBeNull();
  });

  it('turns a suggestion into the workflow action for the case level', () => {
    const level = { departmentCode: null, level: 'community' as const, ownerDepartmentCode: 'JY', auto: false, ruleId: null, source: 'category' as const };
    expect(dispatchStepFor(level, { level: 'street', gridCode: GRID_A })).toEqual({ action: 'assign', input: { level: 'community', division: COMMUNITY_A } });
    expect(dispatchStepFor({ ...level, level: 'street' }, { level: 'street', gridCode: GRID_A })).toEqual({ action: 'dispatch', input: { department: 'JY' } });
    expect(dispatchStepFor({ ...level, level: 'street' }, { level: 'district', gridCode: GRID_A })).toEqual({ action: 'assign', input: { level: 'street', division: STREET_A } });
    expect(dispatchStepFor({ ...level, level: null, departmentCode: 'CG' }, { level: 'community', gridCode: GRID_A })).toEqual({ action: 'dispatch', input: { department: 'CG' } });
  });

  it('an automatic rule names the dispatch and the system caller to record it under', async () => {
    const id = await rule({ categoryCode: '09006', areaCode: STREET_A, departmentCode: 'CG', auto: true });
    const auto = await autoDispatchFor(t.dbh.db, { categoryCode: '09006', gridCode: GRID_A, level: 'street' });
    expect(auto).toMatchObject({ action: 'dispatch', input: { department: 'CG' }, ruleId: id, caller: { kind: 'system', name: `派遣规则 #${id}`, level: 'street', permissions: ['cases.dispatch'] } });
    expect(await autoDispatchFor(t.dbh.db, { categoryCode: '09006', gridCode: GRID_B, level: 'street' })).toBeNull();
    expect(await autoDispatchFor(t.dbh.db, { categoryCode: null, gridCode: GRID_A, level: 'street' })).toBeNull();
  });
});

describe('rule editing', () => {
  it('refuses bad rules, naming each problem, and stores nothing', async () => {
    const count = async () => (await t.dbh.db.selectFrom('dispatch_rules').select('id').execute()).length;
    const before = await count();
    const both = await post(admin, { categoryCode: '06001', areaCode: STREET_A, departmentCode: 'CG', level: 'street' });
    expect(both.statusCode).toBe(400);
    const none = await post(admin, { categoryCode: '06001', areaCode: STREET_A });
    expect(none.statusCode).toBe(400);
    const unknown = await post(admin, { categoryCode: '06999', areaCode: '110112999', departmentCode: 'ZZ' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues.map((i: { field: string }) => i.field).sort()).toEqual(['areaCode', 'categoryCode', 'departmentCode']);
    const grid = await post(admin, { categoryCode: '06001', areaCode: GRID_A, departmentCode: 'CG' });
    expect(grid.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('changes a rule and audits create, update and delete with the values', async () => {
    const id = await rule({ categoryCode: '04', areaCode: STREET_A, departmentCode: 'SZ', note: '园林先派市政' });
    const put = await t.app.inject({ method: 'PUT', url: `/api/dispatch-rules/${id}`, headers: admin, payload: { categoryCode: '04', areaCode: STREET_A, departmentCode: 'CG', priority: 3 } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id, departmentCode: 'CG', priority: 3, note: null, editable: true });
    await t.app.inject({ method: 'DELETE', url: `/api/dispatch-rules/${id}`, headers: admin });
    expect((await t.app.inject({ method: 'GET', url: `/api/dispatch-rules/${id}`, headers: admin })).statusCode).toBe(404);
    const rows = await t.dbh.db.selectFrom('audit_log').select(['action', 'detail']).where('target_type', '=', 'dispatch_rule').where('target_id', '=', String(id)).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['dispatch_rule.create', 'dispatch_rule.update', 'dispatch_rule.delete']);
    expect(JSON.parse(rows[1]!.detail!)).toMatchObject({ before: { department_code: 'SZ' }, after: { department_code: 'CG', priority: 3 } });
  });
});

describe('rules inside a jurisdiction', () => {
  let ruleB: number, districtRule: number, ruleA: number;
  beforeAll(async () => {
    ruleB = await rule({ categoryCode: '08', areaCode: STREET_B, departmentCode: 'CG' });
    districtRule = await rule({ categoryCode: '08', areaCode: '110112', departmentCode: 'SZ' });
    ruleA = await rule({ categoryCode: '08', areaCode: STREET_A, departmentCode: 'GA' }, streetAdmin);
  });

  it('a street administrator sees its own rules and, read-only, those set above it', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/dispatch-rules?category=08001', headers: streetAdmin });
    expect(list.statusCode).toBe(200);
    const seen = list.json().items.map((r: { id: number; editable: boolean }) => [r.id, r.editable]);
    expect(seen).toEqual(expect.arrayContaining([[ruleA, true], [districtRule, false]]));
    expect(seen.map((s: [number, boolean]) => s[0])).not.toContain(ruleB);
  });

  it('rules of another street or of the district answer 404 to it, and nothing changes', async () => {
    for (const id of [ruleB, districtRule]) {
      expect((await t.app.inject({ method: 'GET', url: `/api/dispatch-rules/${id}`, headers: streetAdmin })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'PUT', url: `/api/dispatch-rules/${id}`, headers: streetAdmin, payload: { categoryCode: '08', areaCode: STREET_A, departmentCode: 'GA' } })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/dispatch-rules/${id}`, headers: streetAdmin })).statusCode).toBe(404);
    }
    expect((await post(streetAdmin, { categoryCode: '08', areaCode: STREET_B, departmentCode: 'GA' })).statusCode).toBe(404);
    // moving its own rule out of its street is refused too
    const move = await t.app.inject({ method: 'PUT', url: `/api/dispatch-rules/${ruleA}`, headers: streetAdmin, payload: { categoryCode: '08', areaCode: STREET_B, departmentCode: 'GA' } });
    expect(move.statusCode).toBe(404);
    expect((await t.dbh.db.selectFrom('dispatch_rules').select('area_code').where('id', '=', ruleA).executeTakeFirstOrThrow()).area_code).toBe(STREET_A);
  });

  it('roles without dispatch_rules.manage are refused', async () => {
    const street = await signIn(t.app, 'street');
    expect((await t.app.inject({ method: 'GET', url: '/api/dispatch-rules', headers: street })).statusCode).toBe(403);
    expect((await post(street, { categoryCode: '08', areaCode: STREET_A, departmentCode: 'GA' })).statusCode).toBe(403);
  });
});
