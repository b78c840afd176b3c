import { CategoryTreeSchema, type CategoryTree } from '../../../../shared/cases/index.js';
import type { Actor } from '../../../platform/access.js';
import { audit, type AuditContext } from '../../../platform/audit.js';
import type { Executor } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { publishCategoryTree } from '../cases.service.js';

/**
 * Editing the category tree: every edit publishes the whole tree as a new version. Cases keep the
 * filing they were accepted under (category version, condition and limit are frozen on the case),
 * so an edit changes only what is filed after it.
 */
export interface CategoryVersion {
  version: number;
  note: string | null;
  createdAt: number;
  createdBy: number | null;
}

export interface TreeChanges {
  added: string[];
  removed: string[];
  /** Filing conditions whose time limit changed. */
  limitsChanged: { code: string; from: string; to: string }[];
}

export async function categoryVersions(db: Executor): Promise<CategoryVersion[]> {
  const rows = await db.selectFrom('category_versions').select(['version', 'note', 'created_at', 'created_by']).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at, createdBy: r.created_by === null ? null : Number(r.created_by) }));
}

export async function categoryTreeAt(db: Executor, version?: number): Promise<{ version: CategoryVersion; tree: CategoryTree } | null> {
  let q = db.selectFrom('category_versions').selectAll();
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return {
    version: { version: row.version, note: row.note, createdAt: row.created_at, createdBy: row.created_by === null ? null : Number(row.created_by) },
    tree: CategoryTreeSchema.parse(JSON.parse(row.body)),
  };
}

const limitText = (l: { amount: number; unit: string }) => `${l.amount} ${l.unit}`;

export function treeChanges(before: CategoryTree, after: CategoryTree): TreeChanges {
  const subs = (t: CategoryTree) => new Map(t.classes.flatMap((c) => c.subcategories).map((s) => [s.code, s]));
  const a = subs(before);
  const b = subs(after);
  const limits = (m: typeof a) => new Map([...m.values()].flatMap((s) => s.filing_conditions).map((f) => [f.code, limitText(f.limit)]));
  const la = limits(a);
  const lb = limits(b);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    limitsChanged: [...lb].filter(([code, to]) => la.has(code) && la.get(code) !== to).map(([code, to]) => ({ code, from: la.get(code)!, to })).sort((x, y) => x.code.localeCompare(y.code)),
  };
}

/**
 * Validates and publishes an edited tree. `baseVersion` is the version the editor started from:
 * when someone published in between, the edit is refused (409) instead of silently undoing theirs.
 */
export async function editCategoryTree(
  db: Executor, ctx: AuditContext & { actor: Actor }, input: { tree: unknown; baseVersion: number; note?: string },
): Promise<{ version: number; previousVersion: number; changes: TreeChanges }> {
  const parsed = CategoryTreeSchema.safeParse({ ...(input.tree as object), version: input.baseVersion + 1 });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation_failed', `The category tree is not valid: ${issues.slice(0, 5).map((i) => `${i.path} ${i.message}`.trim()).join('; ')}`, { issues });
  }
  const current = await categoryTreeAt(db);
  if (!current) throw new AppError('unprocessable', 'No category tree is published yet.');
  if (current.version.version !== input.baseVersion) {
    throw new AppError('stale_version', 'The categories were changed since you opened them; reload them.', { version: current.version.version });
  }
  const changes = treeChanges(current.tree, parsed.data);
  const version = await publishCategoryTree(db, parsed.data, ctx.actor.kind === 'user' ? ctx.actor.id : null, ctx.now, input.note ?? null);
  await audit(db, ctx, {
    action: 'categories.publish', targetType: 'category_tree', targetId: version,
    detail: { previousVersion: current.version.version, note: input.note ?? null, ...changes },
  });
  return { version, previousVersion: current.version.version, changes };
}
