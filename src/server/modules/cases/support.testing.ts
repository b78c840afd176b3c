import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCategoryTree } from '../../../shared/cases/index.js';
import { DATA_DIR } from '../../demo/base.js';
import type { Executor } from '../../platform/db.js';
import { modules } from '../index.js';
import { caseSupportModule } from './support.js';

/**
 * Test helpers for the case-support parts (shipped with them, like the workflow's factories):
 * register these routes and the scheduler in the app under test, once, whether or not the cases
 * manifest already does; and publish the shipped categories when the app has none yet.
 */
export function useCaseSupport(): void {
  if (!modules.includes(caseSupportModule)) modules.push(caseSupportModule);
}

/** The shipped category tree as version 1, unless the app already published one. */
export async function ensureCategories(db: Executor, now: number): Promise<void> {
  if (await db.selectFrom('category_versions').select('version').executeTakeFirst()) return;
  const tree = parseCategoryTree(JSON.parse(readFileSync(join(DATA_DIR, 'categories.json'), 'utf8')));
  await db.insertInto('category_versions').values({ version: tree.version, body: JSON.stringify(tree), note: 'test', created_by: null, created_at: now }).execute();
  let sort = 0;
  for (const cls of tree.classes) {
    await db.insertInto('categories').values({
      code: cls.code, parent_code: null, kind: cls.kind, name_zh: cls.name_zh, name_en: cls.name_en, default_department: null,
      platform_level: null, duplicate_radius_m: null, duplicate_window_h: null, sort: sort++, version: tree.version,
    }).execute();
    for (const s of cls.subcategories) {
      await db.insertInto('categories').values({
        code: s.code, parent_code: cls.code, kind: cls.kind, name_zh: s.name_zh, name_en: s.name_en, default_department: s.default_department,
        platform_level: s.platform_level, duplicate_radius_m: s.duplicate_radius_m, duplicate_window_h: s.duplicate_window_h, sort: sort++, version: tree.version,
      }).execute();
    }
  }
}

export type Headers = Record<string, string>;
