import fc from 'fast-check';
import { allowedActions, type Action, type ActionInput, type CaseActor, type Filing } from '../../../shared/cases/index.js';
import { PERMISSIONS, type Permission } from '../../../shared/permissions.js';
import type { Db } from '../../platform/db.js';
import type { CaseDriver } from './evaluation.testing.js';
import { CG, D1, D2, GA, GRID_A, GRID_B, GW1, GW2, ONE_DAY, resident, SZ, URGENT } from './fixtures.testing.js';

/**
 * Test support for the evaluation's property tests: random workloads driven through the workflow
 * (every action through the transition table, its guards deciding), over three grids of two
 * communities, by two grid workers, two dispatchers and three departments.
 */
export const WORKLOAD_GRIDS = [GRID_A, GRID_B, '110112001006002'];

const ALL = PERMISSIONS.map((p) => p.key) as Permission[];
const DEPTS: Record<string, CaseActor> = { CG, SZ, GA };
const SYSTEM: CaseActor = { id: 'system', kind: 'system', permissions: ['cases.close'], level: 'district' };

export interface Op {
  create: boolean;
  pick: number;
  variant: number;
  minutes: number;
}

/** One step: a new case one time in `createOneIn`, else an action on a case; `minutes` after the step before. */
export function opArb(createOneIn: number, minutes: { min: number; max: number }): fc.Arbitrary<Op> {
  return fc.record({
    create: fc.nat(createOneIn - 1).map((n) => n === 0),
    pick: fc.nat(1000),
    variant: fc.nat(1000),
    minutes: fc.integer(minutes),
  });
}

type CaseRow = { state: string; holder_kind: string | null; holder_code: string | null; request_by: string | null; reported_by: string; grid_code: string; due_at: number | null };

/** The input and the actor an action needs so that, as far as possible, the table's guards pass. */
function stepFor(action: Action, c: CaseRow, v: number, at: number): { input: ActionInput; actor: CaseActor } {
  const filing: Filing = v % 2 ? URGENT : ONE_DAY;
  const dept = ['CG', 'SZ', 'GA'][v % 3]!;
  const holder: CaseActor = c.holder_kind === 'department'
    ? DEPTS[c.holder_code!] ?? CG
    : { id: 'user:401', kind: 'user', permissions: ALL, level: 'community', division_code: c.holder_code ?? c.grid_code.slice(0, 12) };
  const other = c.request_by === D1.id ? D2 : D1;
  const reason = { reason: '原因', comment: '说明' };
  switch (action) {
    case 'verify': return { input: { comment: '属实' }, actor: v % 3 ? GW1 : GW2 };
    case 'accept': return { input: { filing }, actor: v % 3 ? D1 : D2 };
    case 'reject': return { input: reason, actor: D1 };
    case 'merge': return { input: { original_case_id: '1' }, actor: D1 };
    case 'dispatch': return { input: { department: dept }, actor: v % 5 ? D1 : D2 };
    case 'assign': return v % 2 ? { input: { level: 'community', division: c.grid_code.slice(0, 12) }, actor: D1 } : { input: { level: 'street', division: c.grid_code.slice(0, 9) }, actor: D1 };
    case 'claim': case 'return': case 'feedback': return { input: { ...reason, photos: ['p'] }, actor: holder };
    case 'request_postpone': return { input: { ...reason, due_at: Math.max(at, c.due_at ?? at) + 86_400_000 }, actor: holder };
    case 'check_pass': case 'check_fail': return { input: reason, actor: v % 3 ? GW2 : GW1 };
    case 'reopen': return { input: reason, actor: { id: c.reported_by, kind: c.reported_by.startsWith('public:') ? 'public' : 'user', permissions: ['cases.report'] } };
    case 'archive': return { input: {}, actor: SYSTEM };
    case 'approve_postpone': case 'refuse_postpone': case 'approve_suspend': case 'refuse_suspend':
    case 'approve_cancel': case 'refuse_cancel': case 'refuse_return': return { input: reason, actor: other };
    case 'withdraw_request': return { input: {}, actor: c.request_by === D1.id ? D1 : c.request_by === D2.id ? D2 : holder };
    default: return { input: reason, actor: v % 2 ? D1 : holder };
  }
}

/** The steps along the loop from each state, tried first when a workload goes `forward`. */
const FORWARD: Record<string, Action[]> = {
  pending_verification: ['verify'], pending_acceptance: ['accept', 'accept', 'reject', 'merge'], accepted: ['dispatch', 'dispatch', 'assign', 'approve_suspend'],
  returned: ['dispatch', 'refuse_return'], dispatched: ['claim', 'claim', 'return', 'request_suspend', 'approve_suspend'], handling: ['feedback', 'approve_postpone', 'approve_suspend', 'request_postpone', 'request_suspend'],
  rework: ['feedback'], pending_check: ['check_pass', 'check_fail'], checked: ['close'], closed: ['reopen', 'archive'], suspended: ['resume'],
};

/**
 * Runs a workload from `start`; returns the time of its last step. `forward`: mostly a step along the
 * loop, else the first action the guards let through (long histories that close); otherwise one
 * action picked from every one the state allows, refused or not (a refusal writes nothing).
 * `skip`: actions left out (those that change no figure).
 */
export async function runWorkload(db: Db, driver: CaseDriver, ops: readonly Op[], start: number, opts: { forward: boolean; skip: readonly Action[] }): Promise<number> {
  let now = start;
  const ids = (await db.selectFrom('cases').select('id').orderBy('id').execute()).map((r) => Number(r.id));
  for (const op of ops) {
    now += op.minutes * 60_000;
    if (op.create || ids.length === 0) {
      const grid = WORKLOAD_GRIDS[op.pick % WORKLOAD_GRIDS.length]!;
      const source = (['grid_worker', 'resident', 'hotline'] as const)[op.variant % 3]!;
      const filing = op.variant % 4 === 0 ? undefined : op.variant % 2 ? URGENT : ONE_DAY;
      const actor = source === 'grid_worker' ? (op.pick % 2 ? GW1 : GW2) : source === 'resident' ? resident(`R${ids.length}`) : D1;
      ids.push(await driver.create({ grid_code: grid, lon: 116.6, lat: 39.9, address: null, description: '随机' }, 'report',
        { source, level: 'district', filing, category_code: filing?.category_code }, actor, now));
      continue;
    }
    const id = ids[op.pick % ids.length]!;
    const c = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const actions = allowedActions(c.state as never, null, ALL).filter((a) => !opts.skip.includes(a));
    if (actions.length === 0) continue;
    const along = opts.forward ? FORWARD[c.state]?.filter((a) => actions.includes(a)) ?? [] : [];
    const tries = !opts.forward ? [actions[op.variant % actions.length]!]
      : op.variant % 3 && along.length ? [along[op.variant % along.length]!, ...actions] : actions.map((_, k) => actions[(op.variant + k) % actions.length]!);
    for (const [k, action] of tries.entries()) {
      if (action === 'archive' && k > 0) continue;
      const at = action === 'archive' ? Math.max(now, (c.closed_at ?? now) + 31 * 86_400_000) : now;
      const { input, actor } = stepFor(action, c, op.variant, at);
      if (action === 'merge') input.original_case_id = String(ids.find((x) => x !== id) ?? id);
      const done = await driver.act(id, action, input, actor, at).then(() => true, () => false);
      if (!opts.forward) now = Math.max(now, at);
      if (done) break;
    }
  }
  return now;
}
