import type { Executor } from '../../platform/db.js';
import { scopeFilter, type Scope } from '../../platform/access.js';
import { OPEN_STATES } from '../../../shared/cases/workflow.js';
import type { ValidGrid } from './geometry/index.js';
import type { RetiredCommunity, RetiredGrid } from '../../../shared/geo.js';

/**
 * The only SQL for grid polygons (divisions at level 0) and the division polygons above them.
 * A retired grid (`retired_at` set) is off the map, the lookup, the coverage check and the search;
 * its card, its cases and its figures remain.
 */

export interface ShapeRow {
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
  geometry: string | null;
  area_m2: number | null;
}

export async function allGridShapes(db: Executor) {
  return db
    .selectFrom('divisions')
    .select(['code', 'name', 'parent_code', 'level', 'geometry', 'area_m2'])
    .where('level', '=', 0)
    .where('geometry', 'is not', null)
    .where('retired_at', 'is', null)
    .orderBy('code')
    .execute();
}

/**
 * Every outline a grid no longer has, with its name then and the moment it ended: the grids a
 * redraw retired (until their retirement) and the earlier outlines of grids reshaped or put back
 * in use (grid_shapes). Which grid held a place on a past day (PastOutlineIndex).
 */
export async function pastGridShapes(db: Executor): Promise<{ code: string; name: string; geometry: string; endedAt: number }[]> {
  const retired = await db.selectFrom('divisions').select(['code', 'name', 'geometry', 'retired_at'])
    .where('level', '=', 0).where('geometry', 'is not', null).where('retired_at', 'is not', null)
    .orderBy('code').execute();
  const earlier = await db.selectFrom('grid_shapes').select(['code', 'name', 'geometry', 'ended_at']).orderBy('code').orderBy('ended_at').execute();
  return [
    ...retired.map((r) => ({ code: r.code, name: r.name, geometry: r.geometry!, endedAt: Number(r.retired_at) })),
    ...earlier.map((r) => ({ code: r.code, name: r.name, geometry: r.geometry, endedAt: Number(r.ended_at) })),
  ];
}

/** Communities merged into a neighbour, with the outline they had until then (`endedAt`: when, ms). */
export async function pastCommunityShapes(db: Executor): Promise<{ code: string; name: string; geometry: string; endedAt: number }[]> {
  const rows = await db.selectFrom('divisions').select(['code', 'name', 'geometry', 'retired_at'])
    .where('level', '=', 10).where('geometry', 'is not', null).where('retired_at', 'is not', null)
    .orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, geometry: r.geometry!, endedAt: Number(r.retired_at) }));
}

export async function shapesAtLevel(db: Executor, level: number, scope: Scope | null) {
  let q = db.selectFrom('divisions').select(['code', 'name', 'parent_code', 'level', 'geometry', 'area_m2']).where('level', '=', level).where('retired_at', 'is', null);
  if (scope) q = q.where((eb) => scopeFilter(eb, scope, { division: 'divisions.code' }));
  return q.orderBy('code').execute();
}

export async function knownCommunities(db: Executor) {
  const rows = await db.selectFrom('divisions').select(['code', 'parent_code']).where('level', '=', 10).execute();
  return new Map(rows.map((r) => [r.code, { street_code: r.parent_code ?? '' }]));
}

/**
 * Inserts new grids and replaces the polygon and name of existing ones; a retired grid imported
 * again is back in use. The outline an existing grid had until now is kept (grid_shapes) when it
 * changes, and a retired grid's when it comes back, so a past day's grid can still be told.
 */
export async function upsertGrids(db: Executor, grids: readonly ValidGrid[], now: number) {
  const existing = new Map<string, { name: string; geometry: string | null; retired_at: number | null }>();
  const codes = grids.map((g) => g.code);
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db.selectFrom('divisions').select(['code', 'name', 'geometry', 'retired_at'])
      .where('level', '=', 0).where('code', 'in', codes.slice(i, i + 500)).execute();
    for (const r of rows) existing.set(r.code, r);
  }
  let inserted = 0, updated = 0, revived = 0, reshaped = 0;
  const fresh = [];
  const earlier = [];
  for (const g of grids) {
    const geometry = JSON.stringify(g.polygon);
    const values = {
      name: g.name, parent_code: g.communityCode, geometry,
      min_lon: g.bbox[0], min_lat: g.bbox[1], max_lon: g.bbox[2], max_lat: g.bbox[3], area_m2: g.areaM2, updated_at: now,
    };
    const was = existing.get(g.code);
    if (was) {
      await db.updateTable('divisions').set({ ...values, retired_at: null }).where('code', '=', g.code).execute();
      updated++;
      if (was.retired_at !== null) revived++;
      else if (was.geometry !== null && was.geometry !== geometry) reshaped++;
      // a retired grid's outline ended when it was retired; a reshaped grid's, now
      if (was.geometry !== null && (was.retired_at !== null || was.geometry !== geometry)) {
        earlier.push({ code: g.code, name: was.name, geometry: was.geometry, ended_at: was.retired_at ?? now });
      }
    } else {
      fresh.push({ code: g.code, level: 0, sort: Number(g.code.slice(12)), ...values });
    }
  }
  for (let i = 0; i < fresh.length; i += 200) {
    await db.insertInto('divisions').values(fresh.slice(i, i + 200)).execute();
    inserted += fresh.slice(i, i + 200).length;
  }
  for (let i = 0; i < earlier.length; i += 200) await db.insertInto('grid_shapes').values(earlier.slice(i, i + 200)).execute();
  return { inserted, updated, revived, reshaped };
}


/**
 * Retires the grids in use in `communities` whose codes are not in `listed` (a redrawn community's
 * old grids), and says for each what still refers to it.
 */
export async function retireGridsLeftOut(db: Executor, communities: ReadonlySet<string>, listed: ReadonlySet<string>, now: number): Promise<RetiredGrid[]> {
  const left: { code: string; name: string }[] = [];
  const parents = [...communities];
  for (let i = 0; i < parents.length; i += 500) {
    const rows = await db.selectFrom('divisions').select(['code', 'name'])
      .where('level', '=', 0).where('retired_at', 'is', null).where('parent_code', 'in', parents.slice(i, i + 500)).execute();
    left.push(...rows.filter((r) => !listed.has(r.code)));
  }
  left.sort((a, b) => a.code.localeCompare(b.code));
  const open = new Map<string, number>(), team = new Map<string, number>(), granted = new Map<string, number>();
  for (let i = 0; i < left.length; i += 500) {
    const codes = left.slice(i, i + 500).map((g) => g.code);
    await db.updateTable('divisions').set({ retired_at: now, updated_at: now }).where('code', 'in', codes).execute();
    const cases = await db.selectFrom('cases').select(['grid_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('grid_code', 'in', codes).where('state', 'in', OPEN_STATES).groupBy('grid_code').execute();
    const members = await db.selectFrom('team_assignments').select(['grid_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('grid_code', 'in', codes).groupBy('grid_code').execute();
    const grants = await db.selectFrom('grants').select(['division_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('division_code', 'in', codes).groupBy('division_code').execute();
    for (const r of cases) open.set(r.grid_code, Number(r.n));
    for (const r of members) team.set(r.grid_code, Number(r.n));
    for (const r of grants) granted.set(r.division_code!, Number(r.n));
  }
  return left.map((g) => ({ ...g, openCases: open.get(g.code) ?? 0, teamMembers: team.get(g.code) ?? 0, grants: granted.get(g.code) ?? 0 }));
}

/** Communities by code, in use or retired, with their street and whether they have a polygon. */
export async function communitiesByCode(db: Executor, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('divisions').select(['code', 'name', 'parent_code', 'retired_at', 'geometry'])
    .where('level', '=', 10).where('code', 'in', [...codes]).orderBy('code').execute();
}

/** Puts retired communities back in use (a redraw names one again). */
export async function reviveCommunities(db: Executor, codes: readonly string[], now: number): Promise<void> {
  if (codes.length === 0) return;
  await db.updateTable('divisions').set({ retired_at: null, updated_at: now })
    .where('level', '=', 10).where('code', 'in', [...codes]).where('retired_at', 'is not', null).execute();
}

/**
 * Retires communities merged into a neighbour (their grids are retired beforehand), and says for
 * each what still refers to it: open cases in its grids, roles granted on the community itself.
 */
export async function retireCommunities(db: Executor, codes: readonly string[], now: number): Promise<RetiredCommunity[]> {
  const out: RetiredCommunity[] = [];
  for (const c of await communitiesByCode(db, codes)) {
    await db.updateTable('divisions').set({ retired_at: now, updated_at: now }).where('code', '=', c.code).execute();
    const open = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('grid_code', 'in', (eb) => eb.selectFrom('divisions').select('code').where('level', '=', 0).where('parent_code', '=', c.code))
      .where('state', 'in', OPEN_STATES).executeTakeFirstOrThrow();
    const grants = await db.selectFrom('grants').select((eb) => eb.fn.countAll<number>().as('n')).where('division_code', '=', c.code).executeTakeFirstOrThrow();
    out.push({ code: c.code, name: c.name, openCases: Number(open.n), grants: Number(grants.n) });
  }
  return out;
}

/** The polygons of a community's grids in use. */
export async function gridShapesOf(db: Executor, community: string) {
  return db.selectFrom('divisions').select(['code', 'geometry'])
    .where('level', '=', 0).where('parent_code', '=', community).where('retired_at', 'is', null).where('geometry', 'is not', null)
    .orderBy('code').execute();
}

/** Sets the polygon of a district, street or community. */
export async function setDivisionShape(
  db: Executor,
  code: string,
  shape: { polygon: unknown; bbox: [number, number, number, number]; areaM2: number },
  now: number,
) {
  await db
    .updateTable('divisions')
    .set({
      geometry: JSON.stringify(shape.polygon), min_lon: shape.bbox[0], min_lat: shape.bbox[1], max_lon: shape.bbox[2],
      max_lat: shape.bbox[3], area_m2: shape.areaM2, updated_at: now,
    })
    .where('code', '=', code)
    .execute();
}

export async function findGrid(db: Executor, code: string) {
  return db
    .selectFrom('divisions as g')
    .innerJoin('divisions as c', 'c.code', 'g.parent_code')
    .leftJoin('divisions as s', 's.code', 'c.parent_code')
    .select(['g.code', 'g.name', 'g.area_m2', 'g.retired_at', 'g.min_lon', 'g.min_lat', 'g.max_lon', 'g.max_lat', 'c.code as community_code', 'c.name as community_name', 's.code as street_code', 's.name as street_name'])
    .where('g.code', '=', code)
    .where('g.level', '=', 0)
    .executeTakeFirst();
}

/** Streets, communities and grids whose code starts with, or whose name contains, the query. */
export async function searchDivisions(db: Executor, q: string, scope: Scope, limit: number) {
  const byCode = /^\d+$/.test(q);
  return db
    .selectFrom('divisions')
    .select(['code', 'name', 'level', 'parent_code', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where((eb) => scopeFilter(eb, scope, { division: 'divisions.code' }))
    .where('retired_at', 'is', null)
    .where((eb) => (byCode ? eb.and([eb('code', '>=', q), eb('code', '<', q + '\uffff')]) : eb('name', 'like', `%${q.replace(/[%_]/g, '')}%`)))
    .orderBy('level', 'desc')
    .orderBy('code')
    .limit(limit)
    .execute();
}
