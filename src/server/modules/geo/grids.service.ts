import type { Db } from '../../platform/db.js';
import type { Scope } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { audit, type AuditContext } from '../../platform/audit.js';
import { checkCoverage, toGridFeatureCollection, validateGridFeatures, type CoverageReport, type LooseMultiPolygon } from './geometry/index.js';
import { allGridShapes, knownCommunities, retireGridsLeftOut, shapesAtLevel, upsertGrids } from './grids.repo.js';
import { LocatorService } from './locator.service.js';
import { LAYER_LEVEL, LAYERS, type GridImportResult, type Layer } from '../../../shared/geo.js';

export { LAYERS, type GridImportResult, type Layer };

/**
 * Imports a grid FeatureCollection. Everything is validated first; when any feature is invalid
 * nothing is written, unless skipInvalid, which imports the valid ones and reports the rest.
 * With retireMissing the file is the whole new drawing of each community it names: that
 * community's grids in use that the file leaves out are retired (a redraw).
 */
export async function importGrids(
  db: Db, actx: AuditContext, fc: unknown, opts: { skipInvalid: boolean; retireMissing?: boolean },
): Promise<GridImportResult> {
  const validation = validateGridFeatures(fc, await knownCommunities(db));
  if (validation.problems.length > 0 && !opts.skipInvalid) {
    throw new AppError('import_failed', `${validation.problems.length} problem(s) found; nothing was imported.`, { problems: validation.problems });
  }
  if (validation.ok.length === 0) {
    throw new AppError('import_failed', 'No valid grid in the file; nothing was imported.', { problems: validation.problems });
  }
  const r = await db.transaction().execute(async (tx) => {
    const res = await upsertGrids(tx, validation.ok, actx.now);
    const retired = opts.retireMissing
      // every code the file names, valid feature or not: a grid whose feature was skipped is not retired
      ? await retireGridsLeftOut(tx, new Set(validation.ok.map((g) => g.communityCode)), new Set([
        ...validation.ok.map((g) => g.code), ...validation.problems.flatMap((p) => (p.code ? [p.code] : [])),
      ]), actx.now)
      : [];
    await LocatorService.bumpVersion(tx, actx.now);
    await audit(tx, actx, {
      action: 'grids.import', targetType: 'grids',
      detail: { ...res, skipped: validation.problems.length, retired: retired.map((g) => g.code) },
    });
    return { ...res, retired };
  });
  return { imported: validation.ok.length, ...r, skipped: validation.problems };
}


/**
 * A layer as a FeatureCollection. Grids come in the import format (code, name, community_code), so an
 * export imports again unchanged; streets and communities carry code, name and parent_code.
 */
export async function exportLayer(db: Db, layer: Layer, scope: Scope | null) {
  const rows = (await shapesAtLevel(db, LAYER_LEVEL[layer], scope)).filter((r) => r.geometry);
  if (layer === 'grids') {
    return toGridFeatureCollection(rows.map((r) => ({
      code: r.code, name: r.name, communityCode: r.parent_code ?? '', polygon: JSON.parse(r.geometry!) as LooseMultiPolygon,
      properties: { area_m2: Math.round(r.area_m2 ?? 0) },
    })));
  }
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'MultiPolygon' as const, coordinates: JSON.parse(r.geometry!) as LooseMultiPolygon },
      properties: { code: r.code, name: r.name, parent_code: r.parent_code, area_m2: Math.round(r.area_m2 ?? 0) },
    })),
  };
}

/** 无缝拼接: do the grids tile the district boundary with no gap and no overlap? */
export async function coverageOf(db: Db, sliverM2: number): Promise<CoverageReport & { districtCode: string }> {
  const district = await db.selectFrom('divisions').select(['code', 'geometry']).where('level', '=', 30).where('geometry', 'is not', null).orderBy('code').executeTakeFirst();
  if (!district) throw new AppError('unprocessable', 'The district has no boundary polygon yet; import one or build the demo.');
  const grids = await allGridShapes(db);
  const report = checkCoverage(JSON.parse(district.geometry!), grids.map((g) => ({ code: g.code, polygon: JSON.parse(g.geometry!) })), { sliverM2 });
  return { ...report, districtCode: district.code };
}
