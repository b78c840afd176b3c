import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Executor } from '../platform/db.js';
import { importDivisions, readDivisionCsvFile } from '../modules/geo/divisions.import.js';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data');
export const TONGZHOU_DIVISIONS_CSV = join(DATA_DIR, 'tongzhou-divisions.csv');
export const TONGZHOU_CODE = '110112';

/** Tongzhou's real division list (22 streets and towns, 656 communities and villages). */
export async function seedTongzhouDivisions(db: Executor, now: number) {
  return importDivisions(db, readDivisionCsvFile(TONGZHOU_DIVISIONS_CSV), now);
}

export async function seedDepartments(db: Executor, areaCode: string, list: { code: string; name: string; nameEn: string }[], now: number) {
  for (const d of list) {
    await db.insertInto('departments').values({ code: d.code, name: d.name, name_en: d.nameEn, area_code: areaCode, phone: null, created_at: now }).execute();
  }
}
