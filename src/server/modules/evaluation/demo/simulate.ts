import type { CaseActor, Filing, WorkflowEnv } from '../../../../shared/cases/index.js';
import type { Random } from '../../geo/demo/prng.js';
import { CaseLife } from '../history/life.js';
import type { CasePlan } from './plan.js';

/**
 * One demo case's life, acted out through the workflow by the people who would act on it: the grid
 * worker who found it (or the resident, the hotline operator, a camera), the dispatcher of its
 * platform level, the department or community workstation that handles it, a grid worker who
 * checks it. Times come from the step limits: most steps are on time, some are late; some cases
 * are returned, postponed, reworked, suspended for a while.
 */
export interface Person {
  actor: CaseActor;
  name: string;
}

export interface DemoPeople {
  /** The grid's own team (grid head and full-time workers): at least two people. */
  workers(grid: string): readonly Person[];
  district: readonly Person[];
  street(code: string): readonly Person[];
  department(code: string): readonly Person[];
  community(code: string): Person;
  departments: readonly string[];
}

export interface LifeLimits {
  /** The case must be closed by then (the end of the year). */
  closeBy?: number;
  /** The case must not be handled before then (it closes next year). */
  closeFrom?: number;
}

const MIN = 60_000;
const DAY = 86_400_000;

export function simulateCase(p: CasePlan, rand: Random, env: WorkflowEnv, people: DemoPeople, treeVersion: number, limits: LifeLimits = {}): CaseLife {
  const life = tryLife(p, rand, env, people, treeVersion, limits, false);
  const closed = life.events.find((e) => e.draft.action === 'close');
  // a case that would run past the year's end is acted out again without detours or delays
  if (limits.closeBy !== undefined && closed && closed.draft.at > limits.closeBy) return tryLife(p, rand, env, people, treeVersion, limits, true);
  return life;
}

function tryLife(p: CasePlan, rand: Random, env: WorkflowEnv, people: DemoPeople, treeVersion: number, limits: LifeLimits, fast: boolean): CaseLife {
  const life = new CaseLife(env);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (x: number) => !fast && rand() < x;
  const between = (a: number, b: number) => a + rand() * (b - a);
  const street = p.grid.slice(0, 9);
  const level = p.sub.platform_level;
  const workers = people.workers(p.grid);
  const dispatchers = level === 'district' ? people.district : people.street(street);
  let dispatcher = pick(dispatchers);
  const otherThan = (x: Person, pool: readonly Person[]) => pool.find((d) => d !== x) ?? x;
  const filing: Filing = { category_code: p.sub.code, category_version: treeVersion, condition_code: p.condition.code, limit: p.condition.limit };
  let t = p.t0;
  const act = (action: Parameters<CaseLife['act']>[0], input: Parameters<CaseLife['act']>[1], who: Person, at: number) => {
    t = Math.max(t, Math.round(at));
    return life.act(action, input, who.actor, t, { userId: null, name: who.name });
  };
  const gap = (lo: number, hi: number) => t + (fast ? between(1, 4) : between(lo, hi)) * MIN;
  /** A step's time: before its due time, or (late) after it. */
  const step = (lateShare: number, lo: number, hi: number) => {
    const due = life.snapshot?.due_at ?? t + hi * MIN;
    if (chance(lateShare)) return due + between(10, 6 * 60) * MIN;
    return Math.min(gap(lo, hi), t + Math.max(MIN, (due - t) * 0.9));
  };
  const finish = (closer: Person) => {
    act('close', {}, closer, gap(10, 240));
    act('archive', {}, { actor: { id: 'system', kind: 'system', permissions: ['cases.close'] }, name: '系统' }, t + 30 * DAY + between(1, 48) * 60 * MIN);
  };

  // 自处理: a grid worker fixes a small problem on the spot; another checks it
  if (p.source === 'grid_worker' && p.fate === 'close' && chance(0.08)) {
    const worker = pick(workers);
    act('self_resolve', { source: 'grid_worker', level, filing, photos_before: ['demo'], photos_after: ['demo'] }, worker, t);
    act('check_pass', {}, otherThan(worker, workers), step(0.05, 20, 150));
    finish(dispatcher);
    return life;
  }

  const reporter: Person = p.source === 'grid_worker' ? pick(workers)
    : p.source === 'resident' ? { actor: { id: `public:R${p.t0.toString(36)}${Math.floor(rand() * 1e6)}`, kind: 'public', permissions: ['cases.report'] }, name: '居民' }
    : p.source === 'sensor' ? { actor: { id: `sensor:${p.grid}`, kind: 'system', permissions: ['cases.report'] }, name: '视频监控' }
    : pick(people.district);
  const chooses = p.source !== 'resident' || rand() < 0.6;
  act('report', { source: p.source, level, category_code: chooses ? p.sub.code : undefined }, reporter, t);
  if (life.snapshot!.state === 'pending_verification') {
    if (p.fate === 'reject') {
      act('reject', { reason: '经核实，反映情况不属实' }, dispatcher, gap(30, 240));
      return life;
    }
    act('verify', { comment: '现场核实属实' }, pick(workers), step(0.1, 10, 100));
  }
  act('accept', { filing }, dispatcher, step(0.05, 5, 45));
  if (p.fate === 'cancel') {
    act('request_cancel', { reason: '重复登记，申请作废' }, dispatcher, gap(30, 600));
    act('approve_cancel', {}, otherThan(dispatcher, dispatchers), gap(30, 300));
    return life;
  }

  // 指挥派遣: a district case may go down to a street sub-centre or a community workstation
  let holder: Person;
  const dept = p.sub.default_department;
  const route = level === 'district' && !fast ? rand() : 1;
  if (route < 0.08) {
    const community = p.grid.slice(0, 12);
    act('assign', { level: 'community', division: community }, dispatcher, step(0.08, 5, 50));
    holder = people.community(community);
  } else {
    if (route < 0.16) {
      act('assign', { level: 'street', division: street }, dispatcher, step(0.08, 5, 50));
      dispatcher = pick(people.street(street));
    }
    if (chance(0.06)) {
      const wrong = pick(people.departments.filter((d) => d !== dept));
      act('dispatch', { department: wrong }, dispatcher, step(0.08, 5, 50));
      act('return', { reason: '不属本部门职责，请重新派遣' }, pick(people.department(wrong)), gap(20, 300));
    }
    act('dispatch', { department: dept }, dispatcher, step(0.08, 5, 50));
    holder = pick(people.department(dept));
  }
  act('claim', {}, holder, gap(5, 120));

  if (p.fate === 'suspend' || chance(0.003)) {
    act('request_suspend', { reason: '涉及拆迁规划，暂不具备处置条件' }, holder, gap(60, 24 * 60));
    act('approve_suspend', {}, dispatcher, gap(60, 600));
    if (p.fate === 'suspend') return life;
    act('resume', { comment: '具备处置条件，恢复办理' }, dispatcher, t + between(3, 20) * DAY);
  }
  if (chance(0.04)) {
    const due = life.snapshot!.due_at ?? t;
    act('request_postpone', { reason: '需协调多部门，申请延期', due_at: Math.round(due + between(2, 6) * DAY) }, holder, t + Math.max(MIN, (due - t) * 0.4));
    act(rand() < 0.8 ? 'approve_postpone' : 'refuse_postpone', { reason: '不予延期，请按期办结' }, dispatcher, gap(30, 300));
  }

  const handle = () => {
    let at = step(0.13, 30, 3 * 24 * 60);
    if (limits.closeFrom !== undefined && at < limits.closeFrom) at = limits.closeFrom + between(2, 5 * 24) * 60 * MIN;
    act('feedback', { comment: '已按要求处置完毕', photos: ['demo'] }, holder, at);
  };
  handle();
  if (chance(0.05)) {
    act('check_fail', { reason: '处置不到位，需返工' }, pick(workers), step(0.1, 20, 150));
    handle();
  }
  act('check_pass', {}, pick(workers), step(0.08, 20, 150));
  finish(dispatcher);
  return life;
}
