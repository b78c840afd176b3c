import type { Db, Executor } from '../../platform/db.js';
import { inScope, type Scope } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { audit, type AuditContext } from '../../platform/audit.js';
import {
  bboxOf, checkCoverage, multiPolygonAreaM2, toGridFeatureCollection, unionAll, validateBoundary, validateGridFeatures,
  type CoverageReport, type LooseMultiPolygon,
} from './geometry/index.js';
import {
  allGridShapes, communitiesByCode, gridShapesOf, knownCommunities, pastCommunityShapes, pastGridShapes, retireCommunities, retireGridsLeftOut, reviveCommunities,
  setDivisionShape, shapesAtLevel, upsertGrids,
} from './grids.repo.js';
import { LocatorService } from './locator.service.js';
import { LAYER_LEVEL, LAYERS, type GridImportResult, type Layer, type MergeRefusal } from '../../../shared/geo.js';

export { LAYERS, type GridImportResult, type Layer };

/**
 * Imports a grid FeatureCollection. Everything is validated first; when any feature is invalid
 * nothing is written, unless skipInvalid, which imports the valid ones and reports the rest.
 * With retireMissing the file is the whole new drawing of each community it names: that
 * community's grids in use that the file leaves out are retired (a redraw). With mergeCommunities
 * as well, the communities named there are merged into the file's communities of their street
 * (社区合并): they are retired with all their grids, and each file community of that street that
 * has a polygon takes the outline of its grids. A retired community the file names is back in use.
 */
export async function importGrids(
  db: Db, actx: AuditContext, fc: unknown, opts: { skipInvalid: boolean; retireMissing?: boolean; mergeCommunities?: readonly string[] },
): Promise<GridImportResult> {
  const validation = validateGridFeatures(fc, await knownCommunities(db));
  if (validation.problems.length > 0 && !opts.skipInvalid) {
    throw new AppError('import_failed', `${validation.problems.length} problem(s) found; nothing was imported.`, { problems: validation.problems });
  }
  if (validation.ok.length === 0) {
    throw new AppError('import_failed', 'No valid grid in the file; nothing was imported.', { problems: validation.problems });
  }
  const named = [...new Set(validation.ok.map((g) => g.communityCode))].sort();
  const r = await db.transaction().execute(async (tx) => {
    // checked inside the transaction that merges, on what it reads
    const merged = await checkMerge(tx, opts, named);
    const res = await upsertGrids(tx, validation.ok, actx.now);
    await reviveCommunities(tx, named, actx.now);
    const retired = opts.retireMissing
      // every code the file names, valid feature or not: a grid whose feature was skipped is not retired
      ? await retireGridsLeftOut(tx, new Set([...named, ...merged]), new Set([
        ...validation.ok.map((g) => g.code), ...validation.problems.flatMap((p) => (p.code ? [p.code] : [])),
      ]), actx.now)
      : [];
    const retiredCommunities = await retireCommunities(tx, merged, actx.now);
    if (merged.length > 0) await outlineTakers(tx, named, merged, actx.now);
    await LocatorService.bumpVersion(tx, actx.now);
    await audit(tx, actx, {
      action: 'grids.import', targetType: 'grids',
      detail: {
        ...res, skipped: validation.problems.length, retired: retired.map((g) => g.code),
        ...(merged.length > 0 ? { retiredCommunities: merged, into: named.filter((c) => merged.some((m) => sameStreet(m, c))) } : {}),
      },
    });
    return { ...res, retired, retiredCommunities };
  });
  return { imported: validation.ok.length, ...r, skipped: validation.problems };
}

const sameStreet = (a: string, b: string) => a.slice(0, 9) === b.slice(0, 9);

/**
 * The communities to merge, checked before anything is written: a redraw (retireMissing), each a
 * community in use, not one the file draws, in the street of one it draws. Sorted, without repeats.
 */
async function checkMerge(db: Executor, opts: { retireMissing?: boolean; mergeCommunities?: readonly string[] }, named: readonly string[]): Promise<string[]> {
  const codes = [...new Set(opts.mergeCommunities ?? [])].sort();
  if (codes.length === 0) return [];
  const refuse = (reason: MergeRefusal, message: string, code?: string) =>
    new AppError('validation_failed', message, { field: 'mergeCommunities', reason, ...(code ? { code } : {}) });
  if (!opts.retireMissing) throw refuse('not_redraw', 'Merging communities is part of a redraw: set retireMissing (--retire-missing) as well.');
  const found = new Map((await communitiesByCode(db, codes)).map((c) => [c.code, c]));
  for (const code of codes) {
    const c = found.get(code);
    if (!c) throw refuse('unknown', `${code} is not a community of this district.`, code);
    if (c.retired_at !== null) throw refuse('retired', `Community ${code} is already retired.`, code);
    if (named.includes(code)) throw refuse('drawn_by_file', `Community ${code} is drawn by the file itself; it cannot be merged away.`, code);
    if (!named.some((n) => sameStreet(n, code))) {
      throw refuse('other_street', `Community ${code} can only be merged into a community of its own street, and the file draws none there.`, code);
    }
  }
  return codes;
}

/** Each file community in a street where communities were merged, if it has a polygon, takes the outline of its grids now in use. */
async function outlineTakers(db: Executor, named: readonly string[], merged: readonly string[], now: number): Promise<void> {
  const takers = await communitiesByCode(db, named.filter((c) => merged.some((m) => sameStreet(m, c))));
  for (const c of takers.filter((t) => t.geometry !== null)) {
    const grids = await gridShapesOf(db, c.code);
    const outline: LooseMultiPolygon = unionAll(grids.map((g) => JSON.parse(g.geometry!) as LooseMultiPolygon));
    if (outline.length === 0) continue;
    await setDivisionShape(db, c.code, { polygon: outline, bbox: bboxOf(outline), areaM2: multiPolygonAreaM2(outline) }, now);
  }
}


/**
 * A layer as a FeatureCollection. Grids come in the import format (code, name, community_code), so an
 * export imports again unchanged; streets and communities carry code, name and parent_code.
 */
/**
 * A map layer inside a scope. With `at` (ms), the grids or the communities as they stood at that
 * moment, for the figures of a past period: where the outline that held a place then has ended
 * since (a grid a redraw retired, a grid's earlier outline before it was reshaped, a community merged
 * into a neighbour), that outline instead of today's. Divisions keep no start, so today's that came
 * later are still drawn, beneath: the outlines of that moment come after them, the earliest-ended
 * last (on top). At every point the map then shows what held it at `at`, as a historical import
 * places a point (LocatorService.locateManyAt). Ended outlines carry `ended_at`.
 */
export async function exportLayer(db: Db, layer: Layer, scope: Scope | null, at?: number) {
  const rows: LayerRow[] = (await shapesAtLevel(db, LAYER_LEVEL[layer], scope)).filter((r) => r.geometry)
    .map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code ?? '', polygon: JSON.parse(r.geometry!) as LooseMultiPolygon, areaM2: r.area_m2 ?? 0 }));
  const layered = at === undefined || (layer !== 'grids' && layer !== 'communities') ? rows : withOutlinesAt(rows, await (layer === 'grids' ? pastGridShapes(db) : pastCommunityShapes(db)), at, scope);
  if (layer === 'grids') {
    return toGridFeatureCollection(layered.map((r) => ({
      code: r.code, name: r.name, communityCode: r.parentCode, polygon: r.polygon,
      properties: { area_m2: Math.round(r.areaM2), ...(r.endedAt === undefined ? {} : { ended_at: r.endedAt }) },
    })));
  }
  return {
    type: 'FeatureCollection' as const,
    features: layered.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'MultiPolygon' as const, coordinates: r.polygon },
      properties: { code: r.code, name: r.name, parent_code: r.parentCode || null, area_m2: Math.round(r.areaM2), ...(r.endedAt === undefined ? {} : { ended_at: r.endedAt }) },
    })),
  };
}

interface LayerRow { code: string; name: string; parentCode: string; polygon: LooseMultiPolygon; areaM2: number; endedAt?: number }

/** Today's outlines with those of the moment `at` that have ended since: one per division, the ended ones last. */
function withOutlinesAt(today: LayerRow[], past: readonly { code: string; name: string; geometry: string; endedAt: number }[], at: number, scope: Scope | null): LayerRow[] {
  // per division, the outline in use at `at`: of those ended since, the first to end
  const then = new Map<string, (typeof past)[number]>();
  for (const p of past) {
    if (p.endedAt <= at || (scope && !inScope(scope, { divisionCode: p.code }))) continue;
    const seen = then.get(p.code);
    if (!seen || p.endedAt < seen.endedAt) then.set(p.code, p);
  }
  const ended = [...then.values()].sort((a, b) => b.endedAt - a.endedAt || a.code.localeCompare(b.code)).map((p) => {
    const polygon = JSON.parse(p.geometry) as LooseMultiPolygon;
    return { code: p.code, name: p.name, parentCode: p.code.length === 15 ? p.code.slice(0, 12) : p.code.slice(0, 9), polygon, areaM2: multiPolygonAreaM2(polygon), endedAt: p.endedAt };
  });
  return [...today.filter((r) => !then.has(r.code)), ...ended];
}

/**
 * Sets the district's boundary (区界) from a GeoJSON file: the outline the coverage check holds the
 * grids against, and the map's district layer. The demo draws its own; a real district imports its
 * official one. Refused whole with the problems when the outline is not a valid polygon.
 */
export async function setDistrictBoundary(
  db: Db, actx: AuditContext, input: unknown, mayDraw: (districtCode: string) => boolean = () => true,
): Promise<{ code: string; name: string; areaM2: number; bbox: [number, number, number, number] }> {
  const district = await db.selectFrom('divisions').select(['code', 'name']).where('level', '=', 30).orderBy('code').executeTakeFirst();
  if (!district) throw new AppError('unprocessable', 'The division tree has no district yet; import the divisions first (onegrid divisions import).');
  // the whole district's outline: for those who manage the grids of the whole district
  if (!mayDraw(district.code)) throw new AppError('not_found');
  const checked = validateBoundary(input, district.code);
  if (!checked.polygon) throw new AppError('import_failed', 'The boundary is not a valid polygon; nothing was changed.', { problems: checked.problems });
  const shape = { polygon: checked.polygon, bbox: bboxOf(checked.polygon), areaM2: multiPolygonAreaM2(checked.polygon) };
  await db.transaction().execute(async (tx) => {
    await setDivisionShape(tx, district.code, shape, actx.now);
    await audit(tx, actx, { action: 'division.boundary', targetType: 'division', targetId: district.code, detail: { areaM2: Math.round(shape.areaM2) } });
  });
  return { code: district.code, name: district.name, areaM2: shape.areaM2, bbox: shape.bbox };
}

/** 无缝拼接: do the grids tile the district boundary with no gap and no overlap? */
export async function coverageOf(db: Db, sliverM2: number): Promise<CoverageReport & { districtCode: string }> {
  const district = await db.selectFrom('divisions').select(['code', 'geometry']).where('level', '=', 30).where('geometry', 'is not', null).orderBy('code').executeTakeFirst();
  if (!district) throw new AppError('unprocessable', 'The district has no boundary yet: import its official one (onegrid divisions boundary <file.geojson>, or PUT /api/geo/boundary) to check the grids against it.');
  const grids = await allGridShapes(db);
  const report = checkCoverage(JSON.parse(district.geometry!), grids.map((g) => ({ code: g.code, polygon: JSON.parse(g.geometry!) })), { sliverM2 });
  return { ...report, districtCode: district.code };
}
