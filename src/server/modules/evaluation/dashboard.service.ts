import { CASE_SOURCES } from '../../../shared/cases/index.js';
import { figuresOf, type Figures } from '../../../shared/evaluation/figures.js';
import { AREA_LEVEL, type AreaSubject } from '../../../shared/evaluation/indicators.js';
import { zeroMeasures, type Measures } from '../../../shared/evaluation/measures.js';
import {
  bucketOfDay, bucketsOf, dateOfDay, firstDayOfMonth, previousRange, trendGrainOf, type DayRange, type TrendGrain,
} from '../../../shared/evaluation/periods.js';
import type { EvaluationWeights } from '../../../shared/evaluation/scores.js';
import type { Executor } from '../../platform/db.js';
import { classNames, divisionsBelow, gridCentres } from './names.js';
import { pathTo, type AreaInfo, type EvalScope } from './scope.js';
import { areaBreakdown, areaSeries, areasBelow, areaTotals, durationHistograms, percentileHours } from './stats.query.js';
import { indicatorTable, type TableRow } from './table.service.js';
import { rangeOut } from './present.js';

/**
 * The leader's dashboard (领导驾驶舱) for one area and range: headline figures, the trend, the
 * category and source breakdowns, rankings of the areas below, of departments and of grid workers,
 * and problem density per community (or per grid inside a community) for the choropleth.
 */
const CHILD: Record<AreaSubject, AreaSubject | null> = { district: 'street', street: 'community', community: 'grid', grid: null };
const PICKED = ['reported', 'closed', 'handled', 'handled_on_time', 'due', 'closed_on_time'] as const;
const MAP_AND_HOMES = ['reported', 'closed', 'missed', 'accepted'] as const;

export interface Dashboard {
  area: { code: string; name: string; subject: AreaSubject };
  path: { code: string; name: string }[];
  range: { from: string; to: string; until?: string };
  figures: Figures;
  /** The period before (上期, `previousRange`) and the headline's figures in it, to compare with. */
  previous: { range: { from: string; to: string; until?: string }; figures: Figures };
  trend: { grain: TrendGrain; points: ({ start: string } & Record<(typeof PICKED)[number], number>)[] };
  categories: { code: string; name: string; nameEn: string; reported: number; closed: number; completionRate: number | null }[];
  sources: { source: string; reported: number; closed: number }[];
  children: { subject: AreaSubject | null; rows: TableRow[] };
  departments: TableRow[];
  workers: TableRow[];
  map: { layer: 'communities' | 'grids'; focus: string; items: { code: string; name: string; reported: number; closed: number; density: number | null }[] };
  /** The heat map: reports per grid at the grid's centre, [lon, lat, reported]. */
  heat: [number, number, number][];
  /** The least work for a place in the rankings (the weights' `rankMinimum`). */
  rankMinimum: number;
}

function pick(m: Measures) {
  return Object.fromEntries(PICKED.map((k) => [k, m[k]])) as Record<(typeof PICKED)[number], number>;
}

export async function dashboard(db: Executor, s: EvalScope, area: AreaInfo, r: DayRange, w: EvaluationWeights): Promise<Dashboard> {
  const grain = trendGrainOf(r);
  const dayBucket = (day: number) => bucketOfDay(day, grain);
  const mapLevel = area.subject === 'district' || area.subject === 'street' ? 10 : 0;
  const mapArea = area.subject === 'grid' ? area.code.slice(0, 12) : area.code;
  const child = CHILD[area.subject];

  // a district's or a street's grids and communities are read once, for the maps and for the grid
  // workers' homes (a grid worker's missed rate is their grid's or community's); a community's or a
  // grid's maps show the community's grids, read once as well, where its grid workers are at home
  // (or in the community itself, whose figures are the headline's)
  const wide = mapLevel === AREA_LEVEL.community;
  // (in one read: the codes of grids and communities differ in length, and the heat map keeps the grids)
  const areasRead = areasBelow(db, mapArea, wide ? [AREA_LEVEL.grid, AREA_LEVEL.community] : AREA_LEVEL.grid, r, MAP_AND_HOMES);
  const totalsRead = areaTotals(db, area.code, r);
  const homes = area.subject !== 'community' ? areasRead
    : Promise.all([areasRead, totalsRead]).then(([grids, own]) => new Map([...grids, [area.code, own]]));
  const before = previousRange(r);
  const [totals, beforeTotals, hist, series, classes, sources, names, path, areaFigures, mapDivisions, children, departments, workers, centres] = await Promise.all([
    totalsRead,
    areaTotals(db, area.code, before),
    durationHistograms(db, r, { area: area.code }),
    // a monthly trend reads month, dekad and day rows; each falls in its month
    areaSeries(db, area.code, r, (g, p) => (g === 'm' ? firstDayOfMonth(p) : g === 't' ? firstDayOfMonth(Math.floor(p / 3)) : dayBucket(p)), grain === 'month'),
    areaBreakdown(db, area.code, r, 'class'),
    areaBreakdown(db, area.code, r, 'source'),
    classNames(db),
    pathTo(db, s, area.code),
    areasRead,
    divisionsBelow(db, mapArea, mapLevel, r),
    // the rankings show no percentiles, so they read no histograms
    child ? indicatorTable(db, s, child, area, r, w, { p90: false }) : Promise.resolve([]),
    indicatorTable(db, s, 'department', area, r, w, { p90: false }),
    indicatorTable(db, s, 'worker', area, r, w, { limit: 10, homes }),
    gridCentres(db, mapArea),
  ]);

  const points = bucketsOf(r, grain).map((b) => ({ start: dateOfDay(b), ...pick(series.get(b) ?? zeroMeasures()) }));
  const categories = [...classes.entries()]
    .map(([code, m]) => ({
      code, name: names.get(code)?.name ?? code, nameEn: names.get(code)?.nameEn ?? code,
      reported: m.reported, closed: m.closed, completionRate: m.reported > 0 ? Math.round((m.closed / m.reported) * 10000) / 10000 : null,
    }))
    .filter((c) => c.reported > 0 || c.closed > 0)
    .sort((a, b) => b.reported - a.reported || a.code.localeCompare(b.code));
  const sourceRows = CASE_SOURCES.map((src) => ({ source: src, reported: sources.get(src)?.reported ?? 0, closed: sources.get(src)?.closed ?? 0 }))
    .filter((x) => x.reported > 0 || x.closed > 0);
  const mapItems = mapDivisions.map((d) => {
    const m = areaFigures.get(d.code) ?? zeroMeasures();
    return { code: d.code, name: d.name, reported: m.reported, closed: m.closed, density: d.areaM2 ? Math.round((m.reported / (d.areaM2 / 1e6)) * 100) / 100 : null };
  });
  return {
    area: { code: area.code, name: area.name, subject: area.subject },
    path,
    range: rangeOut(r),
    figures: figuresOf(totals, percentileHours(hist.get('')), area.subject, w),
    // the comparison leaves out the 90th percentile (its histograms are a read of their own)
    previous: { range: rangeOut(before), figures: figuresOf(beforeTotals, null, area.subject, w) },
    trend: { grain, points },
    categories,
    sources: sourceRows,
    children: { subject: child, rows: children },
    departments: departments.filter((d) => (d.figures.values.due ?? 0) > 0 || (d.figures.values.dispatched ?? 0) > 0),
    workers,
    map: { layer: mapLevel === AREA_LEVEL.community ? 'communities' : 'grids', focus: area.code, items: mapItems },
    heat: [...areaFigures.entries()].flatMap(([code, m]) => {
      const c = centres.get(code);
      return c && m.reported > 0 ? [[c[0], c[1], m.reported] as [number, number, number]] : [];
    }),
    rankMinimum: w.rankMinimum,
  };
}
