import { areaSubjectOfCode, type AreaSubject } from '../../../shared/evaluation/indicators.js';
import { assertCan, inScope, scopeOf, type Actor, type Scope } from '../../platform/access.js';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

/**
 * Whose figures a user may see: the areas of their jurisdiction (evaluation.read), through the one
 * scoping function. An area outside it does not exist (404). Department staff granted the
 * permission see their departments' figures only.
 */
export interface EvalScope {
  scope: Scope;
  /** Department codes of the departments in scope (for the department subject). */
  departmentCodes: string[];
}

export async function evaluationScope(db: Executor, actor: Actor): Promise<EvalScope> {
  assertCan(actor, 'evaluation.read');
  const scope = scopeOf(actor, 'evaluation.read');
  const departmentCodes = scope.departmentIds.length
    ? (await db.selectFrom('departments').select('code').where('id', 'in', scope.departmentIds).execute()).map((d) => d.code)
    : [];
  return { scope, departmentCodes };
}

export interface AreaInfo {
  code: string;
  subject: AreaSubject;
  name: string;
  areaM2: number | null;
}

/** The area asked for (default: the top of one's jurisdiction), or 404 when it is outside it or unknown. */
export async function resolveArea(db: Executor, s: EvalScope, code: string | undefined): Promise<AreaInfo> {
  const wanted = code ?? s.scope.divisionPrefixes[0];
  if (!wanted || !inScope(s.scope, { divisionCode: wanted })) throw new AppError('not_found', 'Area not found.');
  const subject = areaSubjectOfCode(wanted);
  const row = await db.selectFrom('divisions').select(['code', 'name', 'area_m2']).where('code', '=', wanted).executeTakeFirst();
  if (!row || !subject) throw new AppError('not_found', 'Area not found.');
  return { code: row.code, subject, name: row.name, areaM2: row.area_m2 };
}

/** The path from the top of one's jurisdiction down to an area, for breadcrumbs. */
export async function pathTo(db: Executor, s: EvalScope, code: string): Promise<{ code: string; name: string }[]> {
  const codes = [6, 9, 12, 15].filter((n) => n <= code.length).map((n) => code.slice(0, n)).filter((c) => inScope(s.scope, { divisionCode: c }));
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', codes).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name }));
}
