import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import {
  ACTIONS, checkAction, type Action, type ActionInput, type ActorLevel, type CaseActor, type Refusal,
} from '../../../shared/cases/index.js';
import { testEnv } from '../../../shared/cases/testing.js';
import { ROLE_PERMISSIONS, type Role } from '../../../shared/permissions.js';
import { snapshotOf } from './cases.repo.js';
import {
  act, COMMUNITY_A, IN_A1, jpeg, multipart, must, ROLE_USERS, withCaseDistrict, type CaseOut, type CasesTestContext, type RoleUser,
} from './cases.testing.js';

/**
 * The transition table through HTTP: for each prepared state, every role tries every action; the
 * answer must be what the table says for that role (the pure `checkAction` as the oracle), mapped
 * to the API's status codes, with 404 first for a case outside the role's scope.
 */
let t: CasesTestContext;
let photo: string;
let original: CaseOut;
const userIds = {} as Record<RoleUser, number>;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
  for (const u of ROLE_USERS) {
    userIds[u] = Number((await t.dbh.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id);
  }
  original = await reported();
});
afterAll(() => t?.close());

/** The roles, grants and units of the test accounts, as the table sees them. */
const ACCOUNTS: Record<RoleUser, { role: Role; level: ActorLevel | null; division: string | null; department: string | null }> = {
  admin: { role: 'admin', level: 'district', division: '110112', department: null },
  district: { role: 'district_dispatcher', level: 'district', division: '110112', department: null },
  street: { role: 'street_dispatcher', level: 'street', division: '110112001', department: null },
  community: { role: 'community_staff', level: 'community', division: COMMUNITY_A, department: null },
  gridworker: { role: 'grid_worker', level: 'community', division: COMMUNITY_A, department: null },
  department: { role: 'department_staff', level: null, division: null, department: 'CG' },
  leader: { role: 'leader', level: 'district', division: '110112', department: null },
};

function caseActor(u: RoleUser): CaseActor {
  const a = ACCOUNTS[u];
  return { id: `user:${userIds[u]}`, kind: 'user', permissions: ROLE_PERMISSIONS[a.role], level: a.level, division_code: a.division, department_code: a.department };
}

/** A street-level category (暴露垃圾), so street and district dispatchers both command it; with a report photo. */
async function reported(): Promise<CaseOut> {
  const body = multipart({ ...IN_A1, description: '暴露垃圾', category_code: '06010' }, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: await jpeg(3) }]);
  const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...t.as.gridworker, ...body.headers }, payload: body.payload });
  if (res.statusCode !== 201) throw new Error(res.body);
  const c = res.json().case;
  photo = c.photos[0].sha256;
  return c;
}

type Step = [RoleUser, Action, Record<string, unknown>?];
const PATHS: Record<string, Step[]> = {
  pending_verification: [],
  pending_acceptance: [],
  rejected: [['street', 'reject', { reason: '不属实' }]],
  accepted: [['street', 'accept', { condition_code: '06010-01' }]],
  dispatched: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }]],
  returned: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'return', { reason: '非本部门' }]],
  handling: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'claim']],
  postpone_pending: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'claim'], ['department', 'request_postpone', { reason: '需要时间', due_at: Date.UTC(2026, 11, 1) }]],
  pending_check: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'claim'], ['department', 'feedback', { comment: '已清理', photos: ['PHOTO'] }]],
  rework: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'claim'], ['department', 'feedback', { comment: '已清理', photos: ['PHOTO'] }], ['gridworker', 'check_fail', { reason: '未清理干净' }]],
  checked: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'claim'], ['department', 'feedback', { comment: '已清理', photos: ['PHOTO'] }], ['gridworker', 'check_pass']],
  closed: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'dispatch', { department: 'CG' }], ['department', 'claim'], ['department', 'feedback', { comment: '已清理', photos: ['PHOTO'] }], ['gridworker', 'check_pass'], ['street', 'close']],
  suspended: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'request_suspend', { reason: '待拆迁' }], ['district', 'approve_suspend']],
  cancelled: [['street', 'accept', { condition_code: '06010-01' }], ['street', 'request_cancel', { reason: '重复' }], ['district', 'approve_cancel']],
};

async function prepare(name: string): Promise<CaseOut> {
  if (name === 'pending_verification') {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as.district, payload: { ...IN_A1, description: '热线', category_code: '06010', source: 'hotline' } });
    return res.json().case;
  }
  let c = await reported();
  for (const [who, action, input = {}] of PATHS[name]!) {
    c = await must(t, who, c, action, JSON.parse(JSON.stringify(input).replace('"PHOTO"', JSON.stringify(photo))));
  }
  return c;
}

/** A complete, valid input for every action, so only the state, the role and the guards decide. */
function inputFor(action: Action, c: CaseOut): Record<string, unknown> {
  const due = (c.dueAt as number | null) ?? t.clock.now();
  const all: Partial<Record<Action, Record<string, unknown>>> = {
    verify: { comment: '核实属实' }, accept: { condition_code: '06010-01' }, reject: { reason: '不属实' },
    merge: { original_case_id: String(original.id) }, dispatch: { department: 'CG' }, assign: { level: 'community', division: COMMUNITY_A },
    refuse_return: { reason: '应由城管处理' }, return: { reason: '非本部门' }, feedback: { comment: '已处理', photos: [photo] },
    check_fail: { reason: '未处理好' }, reopen: { reason: '又出现了' }, escalate: { reason: '需上级协调' },
    request_postpone: { reason: '需要时间', due_at: due + 30 * 86_400_000 }, refuse_postpone: { reason: '不同意' },
    request_suspend: { reason: '待拆迁' }, refuse_suspend: { reason: '不同意' }, resume: { comment: '恢复' },
    request_cancel: { reason: '重复上报' }, refuse_cancel: { reason: '不同意' }, urge: { comment: '请尽快' }, instruct: { comment: '高度重视' }, comment: { comment: '居民补充：夜间更严重' },
  };
  return all[action] ?? {};
}

function oracleInput(action: Action, input: Record<string, unknown>): ActionInput {
  const { condition_code: _c, ...rest } = input;
  if (action !== 'accept') return rest as ActionInput;
  return { ...rest, filing: { category_code: '06010', category_version: 1, condition_code: '06010-01', limit: { amount: 4, unit: 'working_hours' } } } as ActionInput;
}

function statusOf(refusal: Refusal | null): number {
  if (refusal === null) return 200;
  if (refusal === 'forbidden') return 403;
  if (refusal.startsWith('missing_field:')) return 400;
  return 409;
}

const tally = new Map<number, number>();
const TRIED: readonly Action[] = ACTIONS.filter((a) => a !== 'report' && a !== 'self_resolve');

describe('the transition table through HTTP', () => {
  for (const state of Object.keys(PATHS)) {
    it(`from ${state}: every role × every action as the table says`, async () => {
      let c = await prepare(state);
      // a refused action changes nothing, so the row is read again only after a success
      const read = async () => ({
        row: await t.dbh.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow(),
        held: (await t.dbh.db.selectFrom('case_departments').select('department_id').where('case_id', '=', c.id).execute()).length > 0,
      });
      let { row, held } = await read();
      let allowedSeen = 0;
      const mismatches: string[] = [];
      for (const who of ROLE_USERS) {
        for (const action of TRIED) {
          const input = inputFor(action, c);
          const inScope = who !== 'department' || held;
          const verdict = checkAction(snapshotOf(row), action, oracleInput(action, input), caseActor(who), t.clock.now(), testEnv());
          const expected = inScope ? statusOf(verdict.ok ? null : verdict.refusal) : 404;
          const res = await act(t, who, c, action, input);
          if (res.statusCode !== expected) mismatches.push(`${who} ${action}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
          tally.set(res.statusCode, (tally.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode === 200) {
            allowedSeen++;
            c = await prepare(state);
            ({ row, held } = await read());
          }
        }
      }
      expect(mismatches).toEqual([]);
      // every state but the terminal ones offers someone something
      if (!['rejected', 'cancelled'].includes(state)) expect(allowedSeen).toBeGreaterThan(0);
    });
  }

  it('saw every kind of answer: allowed, forbidden, refused by state or guard, not found', () => {
    expect([...tally.keys()].sort()).toEqual([200, 403, 404, 409]);
    expect([...tally.values()].reduce((a, b) => a + b, 0)).toBe(Object.keys(PATHS).length * ROLE_USERS.length * TRIED.length);
  });
});
