import { z } from 'zod';
import type { Permission } from '../../../shared/permissions.js';
import { assertCan, can, inScope, scopeOf, type Actor, type Scope } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { auditContext, commonErrors, requireActor, type App } from '../../platform/http.js';
import { childrenOf, divisionsByCode, findDivision, renameDivision, siblingNamed } from './divisions.repo.js';
import { LocatorService } from './locator.service.js';

export const divisionSchema = z.object({
  code: z.string(),
  level: z.number(),
  name: z.string(),
  parentCode: z.string().nullable(),
  childCount: z.number(),
  areaM2: z.number().nullable(),
});

type Row = { code: string; level: number; name: string; parent_code: string | null; area_m2: number | null; child_count: number | string | bigint | null };
const present = (r: Row) => ({
  code: r.code, level: r.level, name: r.name, parentCode: r.parent_code, childCount: Number(r.child_count ?? 0), areaM2: r.area_m2,
});

/** A grid is named with the grids, the areas above it with the division tree. */
const manageOf = (level: number): Permission => (level === 0 ? 'grids.manage' : 'divisions.manage');

/**
 * A division is named by the level above it: a community by its street or the district, a street by
 * the district. A street's administrator renames the street's communities and grids, not the street
 * (`named_above`: the screens say who does); outside one's jurisdiction there is nothing to rename.
 */
const RENAME = ['allowed', 'named_above', 'not_allowed'] as const;
function renameOf(actor: Actor, row: { code: string; level: number; parent_code: string | null }): (typeof RENAME)[number] {
  const permission = manageOf(row.level);
  if (can(actor, permission, { divisionCode: row.parent_code ?? '' })) return 'allowed';
  return can(actor, permission, { divisionCode: row.code }) ? 'named_above' : 'not_allowed';
}

/** Ancestors of a code, from the top; codes are hierarchical so the prefixes name them. */
function ancestorCodes(code: string): string[] {
  return [6, 9, 12].filter((n) => n < code.length).map((n) => code.slice(0, n));
}

export async function divisionRoutes(app: App, locator: LocatorService): Promise<void> {
  const { db } = app.ctx;

  /**
   * The tree a user may browse: their divisions, and for department staff the area their department
   * serves (a department's jurisdiction over cases is the department, but it works in that area).
   */
  async function treeScope(actor: Parameters<typeof scopeOf>[0]): Promise<Scope> {
    const scope = scopeOf(actor, 'divisions.read');
    if (!scope.departmentIds.length) return scope;
    const areas = (await db.selectFrom('departments').select('area_code').where('id', 'in', scope.departmentIds).execute()).map((d) => d.area_code);
    const prefixes = [...new Set([...scope.divisionPrefixes, ...areas])];
    return { divisionPrefixes: prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q))).sort(), departmentIds: scope.departmentIds };
  }

  app.get('/api/divisions', {
    schema: {
      tags: ['geo'], summary: 'The top divisions of your jurisdiction, or the children of one (?parent=code)',
      querystring: z.strictObject({ parent: z.string().regex(/^\d{4,15}$/).optional() }),
      response: { 200: z.object({ items: z.array(divisionSchema) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'divisions.read');
    const scope = await treeScope(actor);
    if (req.query.parent) {
      const parent = req.query.parent;
      // the parent itself must be visible (or contain the actor's whole jurisdiction)
      const parentVisible = inScope(scope, { divisionCode: parent }) || scope.divisionPrefixes.some((p) => p.startsWith(parent));
      if (!parentVisible) throw new AppError('not_found');
      return { items: (await childrenOf(db, parent, scope)).map(present) };
    }
    return { items: (await divisionsByCode(db, scope.divisionPrefixes)).map(present) };
  });

  app.get('/api/divisions/:code', {
    schema: {
      tags: ['geo'], summary: 'One division with its path from the top of your jurisdiction and its children',
      params: z.strictObject({ code: z.string().regex(/^\d{4,15}$/) }),
      response: { 200: z.object({
        division: divisionSchema, path: z.array(divisionSchema), children: z.array(divisionSchema),
        parent: z.object({ code: z.string(), name: z.string(), inScope: z.boolean() }).nullable()
          .describe('The division it belongs to, named even above your jurisdiction (a grid worker sees their grid\'s community); inScope: whether you may open it'),
        /** Whether the caller may rename it: the level above names a division. */
        rename: z.enum(RENAME),
      }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'divisions.read');
    const scope = await treeScope(actor);
    const { code } = req.params;
    if (!inScope(scope, { divisionCode: code })) throw new AppError('not_found');
    const row = await findDivision(db, code);
    if (!row) throw new AppError('not_found');
    const ancestors = await divisionsByCode(db, ancestorCodes(code));
    const path = ancestors.filter((d) => inScope(scope, { divisionCode: d.code }));
    const above = ancestors.find((d) => d.code === row.parent_code);
    return {
      division: present(row), path: path.map(present), children: (await childrenOf(db, code, scope)).map(present),
      parent: above ? { code: above.code, name: above.name, inScope: inScope(scope, { divisionCode: above.code }) } : null,
      rename: renameOf(actor, row),
    };
  });

  app.put('/api/divisions/:code', {
    schema: {
      tags: ['geo'], summary: 'Rename a street, community or grid (by the level above it; its code stays: cases, grants and the evaluation refer to it)',
      params: z.strictObject({ code: z.string().regex(/^\d{4,15}$/) }),
      body: z.strictObject({ name: z.string().trim().min(1).max(40).regex(/^[^\p{Cc}]+$/u, 'no control characters') }),
      response: { 200: z.object({ division: divisionSchema }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'divisions.manage') && !can(actor, 'grids.manage')) throw new AppError('forbidden');
    const { code } = req.params;
    const { name } = req.body;
    const now = app.ctx.clock.now();
    const renamed = await app.ctx.db.transaction().execute(async (tx) => {
      const before = await findDivision(tx, code);
      const may = before ? renameOf(actor, before) : 'not_allowed';
      if (!before || may === 'not_allowed') throw new AppError('not_found');
      if (may === 'named_above') throw new AppError('forbidden', 'A division is named by the level above it.', { reason: 'named_above' });
      if (before.name === name) return before;
      const twin = await siblingNamed(tx, before, name);
      if (twin) throw new AppError('already_exists', `${twin} already has this name.`, { field: 'name', reason: 'sibling_named', code: twin });
      await renameDivision(tx, code, name, now);
      // the locator keeps the grids' names for the cases it files
      if (before.level === 0) await LocatorService.bumpVersion(tx, now);
      await audit(tx, auditContext(req, now), {
        action: 'division.rename', targetType: 'division', targetId: code,
        detail: { before: { name: before.name }, after: { name } },
      });
      return { ...before, name };
    });
    if (renamed.level === 0) await locator.reload();
    return { division: present(renamed) };
  });
}
