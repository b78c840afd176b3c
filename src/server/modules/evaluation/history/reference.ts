import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS, type Permission } from '../../../../shared/permissions.js';
import { parseCategoryTree, type CaseActor, type CategoryTree, type WorkflowEnv } from '../../../../shared/cases/index.js';
import { DATA_DIR } from '../../../demo/base.js';
import type { Executor } from '../../../platform/db.js';
import { loadWorkingCalendar, workflowEnv } from '../../cases/clock/index.js';

/**
 * What the bulk writers need besides the database rows: the category tree in force (the latest
 * published version, or the shipped one before any is published), department ids by code, and the
 * actors they act as. Imports time their cases on the installation's own calendar and settings
 * (`loadWorkflowEnv` in cases/reference.ts); the generators on the shipped one (`historyEnv`).
 */
export async function categoryTree(db: Executor): Promise<CategoryTree> {
  const latest = await db.selectFrom('category_versions').select(['body']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return parseCategoryTree(JSON.parse(latest?.body ?? readFileSync(join(DATA_DIR, 'categories.json'), 'utf8')));
}

let env: WorkflowEnv | null = null;
/**
 * The workflow on the shipped holiday calendar, default office hours and settings: for the demo year
 * and the test histories. `onegrid demo` builds into a database no server has started on, which
 * holds no calendar yet (the cases module writes the shipped one at the first start), so reading
 * the database's would time the year on weekends alone.
 */
export function historyEnv(): WorkflowEnv {
  env ??= workflowEnv(loadWorkingCalendar());
  return env;
}

export async function departmentIdsByCode(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('departments').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, Number(r.id)]));
}

const ALL_PERMISSIONS = PERMISSIONS.map((p) => p.key) as Permission[];

/**
 * An actor of a written history that is not a signed-in person (an import, a generator): kind
 * 'system', so people's figures never count it, with every permission the table may ask for.
 */
export function historyActor(id: string, overrides: Partial<CaseActor> = {}): CaseActor {
  return { id, kind: 'system', permissions: ALL_PERMISSIONS, level: 'district', division_code: null, department_code: null, ...overrides };
}
