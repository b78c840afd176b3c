import type { Kysely } from 'kysely';
import type { Executor } from '../../platform/db.js';
import { startOfDayNumber, type DayRange } from '../../../shared/evaluation/periods.js';

/** Display names for the keys the rollups use: category classes, departments, divisions, people. */
export interface Named {
  name: string;
  nameEn: string;
}

export async function classNames(db: Executor): Promise<Map<string, Named>> {
  const rows = await db.selectFrom('categories').select(['code', 'name_zh', 'name_en']).where('parent_code', 'is', null).execute();
  const out = new Map(rows.map((r) => [r.code, { name: r.name_zh, nameEn: r.name_en }]));
  out.set('00', { name: '未分类', nameEn: 'Unclassified' });
  return out;
}

export async function departmentNames(db: Executor): Promise<Map<string, Named & { id: number }>> {
  const rows = await db.selectFrom('departments').select(['id', 'code', 'name', 'name_en']).orderBy('code').execute();
  return new Map(rows.map((r) => [r.code, { id: Number(r.id), name: r.name, nameEn: r.name_en }]));
}

export interface DivisionInfo {
  code: string;
  name: string;
  areaM2: number | null;
}

/** Divisions of one level inside an area, in the tree's order: those in use, and those retired after the range began. */
export async function divisionsBelow(db: Executor, area: string, level: number, r: DayRange): Promise<DivisionInfo[]> {
  const since = startOfDayNumber(r.from);
  const rows = await db.selectFrom('divisions').select(['code', 'name', 'area_m2'])
    .where('level', '=', level).where('code', '>=', area).where('code', '<', area + '\uffff')
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', since)]))
    .orderBy('sort').orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, areaM2: r.area_m2 }));
}

export async function divisionNames(db: Executor, codes: readonly string[]): Promise<Map<string, string>> {
  return namesOf(db, 'divisions', 'code', codes);
}

/** People's names as of the last event they acted in (none for someone never named). */
export async function personNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  return namesOf(db, 'eval_actors', 'actor_id', ids);
}

/** Names by key, 500 keys a query (a whole table of grid workers asks for thousands), the queries at once. */
async function namesOf(db: Executor, table: 'divisions' | 'eval_actors', key: 'code' | 'actor_id', ids: readonly string[]): Promise<Map<string, string>> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += 500) batches.push(ids.slice(i, i + 500));
  const out = new Map<string, string>();
  for (const rows of await Promise.all(batches.map((b) => (db as Kysely<any>).selectFrom(table).select([`${key} as id`, 'name']).where(key, 'in', b).execute()))) {
    for (const r of rows) if (r.name !== null) out.set(r.id as string, r.name as string);
  }
  return out;
}

/** The centre of each grid's bounding box inside an area, for the heat map. */
export async function gridCentres(db: Executor, area: string): Promise<Map<string, [number, number]>> {
  const rows = await db.selectFrom('divisions').select(['code', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where('level', '=', 0).where('code', '>=', area).where('code', '<', area + '\uffff').execute();
  const out = new Map<string, [number, number]>();
  for (const r of rows) {
    if (r.min_lon === null || r.max_lon === null || r.min_lat === null || r.max_lat === null) continue;
    out.set(r.code, [Math.round(((r.min_lon + r.max_lon) / 2) * 1e5) / 1e5, Math.round(((r.min_lat + r.max_lat) / 2) * 1e5) / 1e5]);
  }
  return out;
}
