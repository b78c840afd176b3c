import type { Db, Executor } from '../platform/db.js';
import { generateDemoDistrict, type DemoDistrict } from '../modules/geo/demo/index.js';
import { setDivisionShape, upsertGrids } from '../modules/geo/grids.repo.js';
import { LocatorService } from '../modules/geo/locator.service.js';
import { mulberry32 } from '../modules/geo/demo/prng.js';
import type { TeamRole } from '../../shared/team.js';
import { TEAM_ROLES } from '../../shared/team.js';
import { demoSteps } from './index.js';

/** Tongzhou's grid team in 2013: 15,082 people over 1,809 grids (DOMAIN.md). */
export const DEMO_TEAM = { grid_head: 1809, grid_worker: 7309, professional: 2422, social: 3542 } as const;
export const DEMO_TEAM_TOTAL = DEMO_TEAM.grid_head + DEMO_TEAM.grid_worker + DEMO_TEAM.professional + DEMO_TEAM.social;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华建国志红玉兰海波宁晨鹏辉斌颖欣雪梅琳飞亮鑫帅婷浩宇凯佳莉俊峰';

function personName(rand: () => number): string {
  const pick = (s: string) => s[Math.floor(rand() * s.length)];
  return pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
}

function phone(rand: () => number): string {
  const prefixes = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '186', '187', '188'];
  return prefixes[Math.floor(rand() * prefixes.length)] + String(Math.floor(rand() * 1e8)).padStart(8, '0');
}

/** Writes the generated polygons: district, streets and communities get shapes, grids become rows. */
export async function writeDemoGeography(db: Executor, d: DemoDistrict, now: number): Promise<void> {
  for (const area of [d.district, ...d.streets, ...d.communities]) {
    await setDivisionShape(db, area.code, { polygon: area.polygon, bbox: area.bbox, areaM2: area.areaM2 }, now);
  }
  await upsertGrids(db, d.grids.map((g, index) => ({ ...g, index })), now);
  await LocatorService.bumpVersion(db, now);
}

/**
 * The grid team, with exactly the 2013 figures: a head for every grid, full-time workers spread over
 * the grids (about four each), department staff sunk into several grids of one street, and the
 * social force (volunteers, building heads, persuasion team members) in their home grids.
 */
export async function writeDemoTeam(db: Executor, d: DemoDistrict, seed: number, now: number, departmentIds: number[]): Promise<number> {
  const rand = mulberry32(seed * 7919 + 17);
  const grids = d.grids.map((g) => g.code);
  const gridsByStreet = new Map<string, string[]>();
  for (const g of d.grids) gridsByStreet.set(g.streetCode, [...(gridsByStreet.get(g.streetCode) ?? []), g.code]);
  const streets = [...gridsByStreet.keys()];
  type Draft = { role: TeamRole; grids: string[]; department: number | null };
  const drafts: Draft[] = [];
  grids.forEach((g) => drafts.push({ role: 'grid_head', grids: [g], department: null }));
  for (let i = 0; i < DEMO_TEAM.grid_worker; i++) drafts.push({ role: 'grid_worker', grids: [grids[i % grids.length]], department: null });
  for (let i = 0; i < DEMO_TEAM.professional; i++) {
    const inStreet = gridsByStreet.get(streets[i % streets.length])!;
    const start = Math.floor(rand() * inStreet.length);
    const count = 1 + Math.floor(rand() * 4);
    const assigned = [...new Set(Array.from({ length: count }, (_, k) => inStreet[(start + k) % inStreet.length]))];
    drafts.push({ role: 'department_staff', grids: assigned, department: departmentIds.length ? departmentIds[i % departmentIds.length] : null });
  }
  const socialRoles: TeamRole[] = ['volunteer', 'building_head', 'persuasion'];
  for (let i = 0; i < DEMO_TEAM.social; i++) {
    const r = rand();
    drafts.push({ role: socialRoles[r < 0.5 ? 0 : r < 0.8 ? 1 : 2], grids: [grids[Math.floor(rand() * grids.length)]], department: null });
  }
  const home = (codes: string[]) => (codes.length === 1 ? codes[0] : new Set(codes.map((c) => c.slice(0, 12))).size === 1 ? codes[0].slice(0, 12) : codes[0].slice(0, 9));
  const BATCH = 400;
  for (let i = 0; i < drafts.length; i += BATCH) {
    const batch = drafts.slice(i, i + BATCH);
    const ids = await db
      .insertInto('team_members')
      .values(batch.map((m) => ({
        name: personName(rand), phone: phone(rand), force: TEAM_ROLES[m.role].force, role: m.role, division_code: home(m.grids),
        department_id: m.department, user_id: null, created_at: now, updated_at: now,
      })))
      .returning('id')
      .execute();
    const assignments = batch.flatMap((m, k) => m.grids.map((g) => ({ member_id: ids[k].id, grid_code: g })));
    for (let j = 0; j < assignments.length; j += 800) await db.insertInto('team_assignments').values(assignments.slice(j, j + 800)).execute();
  }
  return drafts.length;
}

demoSteps.push({
  name: 'grids and team',
  async run(db: Db, opts) {
    const d = generateDemoDistrict({ seed: opts.seed });
    const departmentIds = (await db.selectFrom('departments').select('id').orderBy('id').execute()).map((r) => r.id);
    await db.transaction().execute(async (tx) => {
      await writeDemoGeography(tx, d, opts.now);
      await writeDemoTeam(tx, d, opts.seed, opts.now, departmentIds);
    });
  },
});
