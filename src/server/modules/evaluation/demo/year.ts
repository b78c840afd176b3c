import { PostgresAdapter, sql } from 'kysely';
import { ROLE_PERMISSIONS, type Role } from '../../../../shared/permissions.js';
import type { Db } from '../../../platform/db.js';
import { isWorkingDay, loadWorkingCalendar } from '../../cases/clock/index.js';
import { childRandom, type Random } from '../../geo/demo/prng.js';
import { CaseLife, unmarkBulk, writeLives, type CasePlace } from '../history/life.js';
import { categoryTree, departmentIdsByCode, historyEnv } from '../history/reference.js';
import { StatsBatch } from '../stats.js';
import { planYear, TONGZHOU_2013, type CasePlan, type YearTargets } from './plan.js';
import { simulateCase, type DemoPeople, type Person } from './simulate.js';

/**
 * The demo year (2013 in Tongzhou): every report of the plan acted out through the workflow with a
 * simulated clock, written in batches (cases, case_events, holding departments) with the counts
 * kept by applyEventToStats in the same transactions. Duplicates reported by a second resident are
 * merged into their originals, so the year has more case rows than reports and counts each once.
 */
export interface DemoYearOptions {
  seed: number;
  targets?: YearTargets;
  log?: (line: string) => void;
}

export interface DemoYearResult {
  reported: number;
  merged: number;
  events: number;
  ms: number;
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰海波宁晨鹏辉斌颖欣雪梅琳飞亮鑫帅婷浩宇凯佳莉俊峰';
function personName(rand: Random): string {
  const pick = (s: string) => s[Math.floor(rand() * s.length)];
  return pick(SURNAMES)! + pick(GIVEN)! + (rand() < 0.6 ? pick(GIVEN)! : '');
}

function staff(id: string, role: Role, name: string, extra: Partial<Person['actor']>): Person {
  return { actor: { id, kind: 'user', permissions: ROLE_PERMISSIONS[role], ...extra }, name };
}

/** The people of the demo year: the grid team from the database, dispatchers and handlers made up (named, not signed-in users). */
async function demoPeople(db: Db, rand: Random): Promise<{ people: DemoPeople; grids: string[] }> {
  const members = await db.selectFrom('team_members as m').innerJoin('team_assignments as a', 'a.member_id', 'm.id')
    .select(['m.id', 'm.name', 'a.grid_code']).where('m.role', 'in', ['grid_head', 'grid_worker']).orderBy('a.grid_code').orderBy('m.id').execute();
  const byGrid = new Map<string, Person[]>();
  for (const m of members) {
    const list = byGrid.get(m.grid_code) ?? [];
    list.push(staff(`team:${m.id}`, 'grid_worker', m.name, { level: 'grid', division_code: m.grid_code }));
    byGrid.set(m.grid_code, list);
  }
  const grids = (await db.selectFrom('divisions').select('code').where('level', '=', 0).orderBy('code').execute()).map((g) => g.code);
  const district = grids[0]?.slice(0, 6) ?? '110112';
  const districtPeople = Array.from({ length: 6 }, (_, k) => staff(`demo:dispatcher:${district}:${k + 1}`, 'district_dispatcher', `区中心调度员 ${personName(rand)}`, { level: 'district', division_code: district }));
  const streets = new Map<string, Person[]>();
  const departments = (await db.selectFrom('departments').select(['code', 'name']).orderBy('code').execute());
  const deptPeople = new Map(departments.map((d) => [d.code, Array.from({ length: 3 }, (_, k) =>
    staff(`demo:dept:${d.code}:${k + 1}`, 'department_staff', `${d.name} ${personName(rand)}`, { level: null, department_code: d.code }))]));
  const communities = new Map<string, Person>();
  const people: DemoPeople = {
    workers: (grid) => {
      const list = byGrid.get(grid) ?? [];
      // a grid without a team of two gets named workers, so a self-resolved case is never checked by its reporter
      while (list.length < 2) list.push(staff(`demo:worker:${grid}:${list.length + 1}`, 'grid_worker', `网格员 ${personName(rand)}`, { level: 'grid', division_code: grid }));
      byGrid.set(grid, list);
      return list;
    },
    district: districtPeople,
    street: (code) => {
      let list = streets.get(code);
      if (!list) streets.set(code, (list = [1, 2].map((k) => staff(`demo:dispatcher:${code}:${k}`, 'street_dispatcher', `街道分中心调度员 ${personName(rand)}`, { level: 'street', division_code: code }))));
      return list;
    },
    department: (code) => deptPeople.get(code) ?? [],
    community: (code) => {
      let p = communities.get(code);
      if (!p) communities.set(code, (p = staff(`demo:community:${code}`, 'community_staff', `社区工作站 ${personName(rand)}`, { level: 'community', division_code: code })));
      return p;
    },
    departments: departments.map((d) => d.code),
  };
  return { people, grids };
}

const CHUNK = 1500;
const MIN = 60_000;

/** Where in the grid: a point near its centre, inside its bounding box. */
function placeOf(bboxes: Map<string, [number, number, number, number]>, grid: string, rand: Random, description: string): CasePlace {
  const b = bboxes.get(grid) ?? [116.6, 39.85, 116.75, 39.95];
  const lon = b[0] + (b[2] - b[0]) * (0.35 + rand() * 0.3);
  const lat = b[1] + (b[3] - b[1]) * (0.35 + rand() * 0.3);
  return { grid_code: grid, lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, address: null, description };
}

function describe(p: CasePlan, rand: Random): string {
  const where = ['路口', '小区门口', '便道', '公交站旁', '菜市场附近', '河道边', '学校周边', '商铺前'][Math.floor(rand() * 8)];
  return `${where}${p.sub.name_zh}：${p.condition.text_zh}`;
}

export async function generateDemoYear(db: Db, opts: DemoYearOptions): Promise<DemoYearResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const targets = opts.targets ?? TONGZHOU_2013;
  const rand = childRandom(opts.seed, 2013);
  const { people, grids } = await demoPeople(db, rand);
  if (grids.length === 0) throw new Error('The demo year needs the grids: run the grids step first.');
  const tree = await categoryTree(db);
  const env = historyEnv();
  const calendar = loadWorkingCalendar();
  const bboxes = new Map((await db.selectFrom('divisions').select(['code', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('level', '=', 0).execute())
    .filter((g) => g.min_lon !== null).map((g) => [g.code, [g.min_lon!, g.min_lat!, g.max_lon!, g.max_lat!] as [number, number, number, number]]));
  // town centres (the first streets) are busier than the villages; grids differ within a street too
  const streetCodes = [...new Set(grids.map((g) => g.slice(0, 9)))];
  const streetFactor = new Map(streetCodes.map((s, i) => [s, i < 6 ? 2.2 : 0.8 + rand() * 0.6]));
  const gridWeight = new Map(grids.map((g) => [g, streetFactor.get(g.slice(0, 9))! * Math.exp((rand() - 0.5) * 1.4)]));
  const plans = planYear(rand, {
    tree, grids, gridWeight: (g) => gridWeight.get(g)!, restDay: (d) => !isWorkingDay(d, calendar),
  }, targets);
  log(`demo year: ${plans.length} reports planned`);

  const departments = await departmentIdsByCode(db);
  const endOfYear = Date.UTC(targets.year + 1, 0, 1) - 8 * 3_600_000 - 1;
  let events = 0;
  let merged = 0;
  for (let i = 0; i < plans.length; i += CHUNK) {
    const chunk = plans.slice(i, i + CHUNK);
    const items = chunk.map((p) => {
      const limits = p.fate === 'close' ? { closeBy: endOfYear } : p.fate === 'close_next_year' ? { closeFrom: endOfYear + 1 } : {};
      return { place: placeOf(bboxes, p.grid, rand, describe(p, rand)), life: simulateCase(p, rand, env, people, tree.version, limits), plan: p };
    });
    const written = await db.transaction().execute(async (tx) => {
      const batch = new StatsBatch();
      const ids = await writeLives(tx, items, departments, batch);
      // a second resident reports what is already known; the dispatcher merges it into the original
      const duplicates: { place: CasePlace; life: CaseLife }[] = [];
      items.forEach((item, k) => {
        const p = item.plan;
        if (!(p.source === 'resident' || p.source === 'hotline') || p.fate === 'reject' || rand() >= 0.025) return;
        const life = new CaseLife(env);
        const at = p.t0 + (20 + rand() * 220) * MIN;
        life.act('report', { source: 'resident', level: p.sub.platform_level }, { id: `public:D${ids[k]}`, kind: 'public', permissions: ['cases.report'] }, at, { userId: null, name: '居民' });
        const dispatcher = people.district[Math.floor(rand() * people.district.length)]!;
        life.act('merge', { original_case_id: String(ids[k]) }, dispatcher.actor, at + (10 + rand() * 80) * MIN, { userId: null, name: dispatcher.name });
        duplicates.push({ place: { ...item.place, description: `${item.place.description}（重复反映）` }, life });
      });
      const more = duplicates.length ? await writeLives(tx, duplicates, departments, batch) : [];
      merged += duplicates.length;
      events += items.reduce((a, x) => a + x.life.events.length, 0) + duplicates.length * 2;
      await batch.flush(tx);
      return [...ids, ...more];
    });
    await unmarkBulk(db, written);
    log(`demo year: ${Math.min(i + CHUNK, plans.length)} / ${plans.length} reports written`);
  }
  // fresh statistics for the planner after a bulk load (PostgreSQL; SQLite plans without them)
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`analyze`.execute(db);
  return { reported: plans.length, merged, events, ms: Math.round(performance.now() - started) };
}
