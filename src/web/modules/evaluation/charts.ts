import type { Dashboard } from './api.js';
import { DENSITY_COLORS, formatRate, sourceLabel, type Lang } from './format.js';

/**
 * The dashboard's chart options, built from its data: pure functions, so the figures a chart shows
 * are tested without a browser. Colours follow the app's blue; closed is green, late is amber.
 */
const BLUE = '#1650a8';
const GREEN = '#1f8a4c';
const AXIS = { axisLine: { lineStyle: { color: '#c9d1dd' } }, axisLabel: { color: '#5b6472' }, splitLine: { lineStyle: { color: '#eef1f5' } } };

export function trendLabel(start: string, grain: Dashboard['trend']['grain'], lang: Lang): string {
  const [y, m, d] = start.split('-');
  if (grain === 'month') return lang === 'en' ? `${y}-${m}` : `${Number(m)}月`;
  return lang === 'en' ? `${m}-${d}` : `${Number(m)}/${Number(d)}`;
}

export function trendOption(d: Dashboard, lang: Lang, names: { reported: string; closed: string }) {
  const labels = d.trend.points.map((p) => trendLabel(p.start, d.trend.grain, lang));
  return {
    color: [BLUE, GREEN],
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 0, data: [names.reported, names.closed] },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: labels, ...AXIS },
    yAxis: { type: 'value', minInterval: 1, ...AXIS },
    series: [
      { name: names.reported, type: 'bar', barMaxWidth: 22, data: d.trend.points.map((p) => p.reported), itemStyle: { borderRadius: [3, 3, 0, 0] } },
      { name: names.closed, type: 'line', smooth: true, symbolSize: 6, data: d.trend.points.map((p) => p.closed) },
    ],
  };
}

/** The ten largest categories, largest first (the API sorts them); the rest are in the case lists. */
export function topCategories(d: Pick<Dashboard, 'categories'>): Dashboard['categories'] {
  return d.categories.slice(0, 10);
}

/** The category of the chart's bar `index`: the chart draws the largest on top, so it counts from the smallest. */
export function categoryBar(d: Pick<Dashboard, 'categories'>, index: number): Dashboard['categories'][number] | undefined {
  const top = topCategories(d);
  return index < 0 ? undefined : top[top.length - 1 - index];
}

export function categoryOption(d: Dashboard, lang: Lang, names: { reported: string; closed: string }) {
  const top = topCategories(d).reverse();
  return {
    color: [BLUE, GREEN],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 0, data: [names.reported, names.closed] },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, ...AXIS },
    yAxis: { type: 'category', data: top.map((c) => (lang === 'en' ? c.nameEn : c.name)), ...AXIS },
    series: [
      { name: names.reported, type: 'bar', data: top.map((c) => c.reported), barMaxWidth: 12 },
      { name: names.closed, type: 'bar', data: top.map((c) => c.closed), barMaxWidth: 12 },
    ],
  };
}

export function sourceOption(d: Pick<Dashboard, 'sources'>, lang: Lang) {
  const rows = sourceRows(d, lang);
  const share = new Map(rows.map((r) => [r.name, r.values.share]));
  return {
    color: [BLUE, '#4f86cf', '#8fb3e6', '#1f8a4c', '#b7791f', '#7a5af8', '#98a2b3'],
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    // the legend below the ring, in rows that wrap: beside it, the ring and the longer (English)
    // source names ran into each other in a third of the page's width
    legend: { bottom: 0, left: 'center', itemGap: 10, itemWidth: 12, itemHeight: 10, formatter: (name: string) => `${name}  ${formatRate(share.get(name))}` },
    series: [{
      type: 'pie', radius: ['34%', '56%'], center: ['50%', '36%'], avoidLabelOverlap: true,
      label: { show: false },
      data: rows.map((r) => ({ name: r.name, value: r.values.reported, source: r.key })),
    }],
  };
}

/**
 * The days of the trend's bar (or point) that starts on `start`, kept within the period: what a click
 * on it lists. A bar runs to the day before the next one starts; the last, to the period's end.
 */
export function trendPeriod(d: Pick<Dashboard, 'trend' | 'range'>, start: string): { from: string; to: string } | null {
  const i = d.trend.points.findIndex((p) => p.start === start);
  if (i < 0) return null;
  const next = d.trend.points[i + 1]?.start;
  const end = next ? new Date(Date.parse(next) - 86_400_000).toISOString().slice(0, 10) : d.range.to;
  return { from: start < d.range.from ? d.range.from : start, to: end > d.range.to ? d.range.to : end };
}

/** The codes the density map draws start with this: the area's own (a grid's, its community's). */
export function mapPrefix(d: Pick<Dashboard, 'map'>): string {
  return d.map.layer === 'grids' ? d.map.focus.slice(0, 12) : d.map.focus;
}

/** Whether an area on the density map is one to drill into: a community or grid of the area, not the area itself. */
export function drillsInto(d: Pick<Dashboard, 'map' | 'area'>, code: string | undefined): code is string {
  return !!code && code !== d.area.code && code.startsWith(mapPrefix(d));
}

/** One row of a chart's data table (数据表): a bar, a slice or an area, with the figures the chart draws. */
export interface ChartRow {
  /** What the chart's click handler takes: a period's first day, a source, a class's or an area's code. */
  key: string;
  name: string;
  values: Record<string, number | null>;
}

/** The trend's periods in order, each with its reports and closures. */
export function trendRows(d: Pick<Dashboard, 'trend'>, lang: Lang): ChartRow[] {
  return d.trend.points.map((p) => ({ key: p.start, name: trendLabel(p.start, d.trend.grain, lang), values: { reported: p.reported, closed: p.closed } }));
}

/** The sources as the pie's slices, each with its reports and its share of them all. */
export function sourceRows(d: Pick<Dashboard, 'sources'>, lang: Lang): ChartRow[] {
  const total = d.sources.reduce((a, s) => a + s.reported, 0);
  return d.sources.map((s) => ({ key: s.source, name: sourceLabel(s.source, lang), values: { reported: s.reported, share: total ? s.reported / total : null } }));
}

/** The categories' bars, largest first as the chart reads from the top. */
export function categoryRows(d: Pick<Dashboard, 'categories'>, lang: Lang): ChartRow[] {
  return topCategories(d).map((c) => ({ key: c.code, name: lang === 'en' ? c.nameEn : c.name, values: { reported: c.reported, closed: c.closed } }));
}

/** The map's areas, densest first (those without a surface last), with what its tooltip says of each. */
export function mapRows(d: Pick<Dashboard, 'map'>): ChartRow[] {
  return [...d.map.items]
    .sort((a, b) => (b.density ?? -1) - (a.density ?? -1) || a.code.localeCompare(b.code))
    .map((i) => ({ key: i.code, name: i.name, values: { reported: i.reported, density: i.density, completion_rate: i.reported ? i.closed / i.reported : null } }));
}

/**
 * Bands of the density scale at quantiles of the areas' densities, so a few dense town-centre
 * communities do not wash every village out to the palest colour.
 */
export function densityBands(values: readonly number[], bands = DENSITY_COLORS.length): { min: number; max: number; color: string }[] {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [{ min: 0, max: 1, color: DENSITY_COLORS[0]! }];
  const cuts: number[] = [0];
  for (let i = 1; i < bands; i++) cuts.push(sorted[Math.min(sorted.length - 1, Math.floor((i / bands) * sorted.length))]!);
  cuts.push(sorted[sorted.length - 1]! + 1e-9);
  const unique = [...new Set(cuts)];
  return unique.slice(0, -1).map((min, i) => ({ min, max: unique[i + 1]!, color: DENSITY_COLORS[Math.min(DENSITY_COLORS.length - 1, Math.round((i / Math.max(1, unique.length - 2)) * (DENSITY_COLORS.length - 1)))]! }));
}

export const round1 = (x: number) => (x >= 100 ? String(Math.round(x)) : x.toFixed(1));

/** A band's words: "2.4 – 6.6 件/平方公里", or one figure when the band holds one value (few areas with reports). */
export function bandLabel(b: { min: number; max: number }, unit: string): string {
  const [from, to] = [round1(b.min), round1(b.max)];
  return from === to ? `${from} ${unit}` : `${from} – ${to} ${unit}`;
}

/** Density per km² on the map of the area's communities (or grids), with the focus area outlined. */
export function mapOption(d: Dashboard, mapName: string, unit: string) {
  const bands = densityBands(d.map.items.map((i) => i.density ?? 0));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; data?: { label: string; reported: number; density: number | null; closed: number } }) =>
        p.data ? `${p.data.label}<br/>${p.data.reported} · ${p.data.density ?? '—'} ${unit}<br/>${formatRate(p.data.reported ? p.data.closed / p.data.reported : null)}` : p.name,
    },
    visualMap: {
      type: 'piecewise', orient: 'vertical', left: 4, bottom: 4, itemWidth: 14, itemHeight: 10, itemGap: 4,
      pieces: bands.map((b) => ({ gte: b.min, lt: b.max, color: b.color, label: bandLabel(b, unit) })),
      outOfRange: { color: '#f3f5f9' }, textStyle: { color: '#5b6472', fontSize: 11 },
    },
    series: [{
      type: 'map', map: mapName, nameProperty: 'code', roam: true, selectedMode: false,
      layoutCenter: ['56%', '50%'], layoutSize: '98%',
      itemStyle: { borderColor: '#ffffff', borderWidth: 0.6, areaColor: '#eef1f5' },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#f5b942' } },
      data: d.map.items.map((i) => ({
        name: i.code, value: i.density ?? 0, label: i.name, reported: i.reported, closed: i.closed, density: i.density,
        itemStyle: i.code === d.map.focus ? { borderColor: '#b42318', borderWidth: 2 } : undefined,
      })),
    }],
  };
}

/** The heat map: each grid's reports at its centre, blurred over the area's outline. */
export function heatOption(d: Dashboard, mapName: string, lang: Lang) {
  const values = d.heat.map((h) => h[2]).sort((a, b) => a - b);
  // neighbouring grids' glows add up: the scale tops out well above a single busy grid, so the town
  // centres stand out without covering the rest in one colour
  const top = Math.max(1, (values[Math.floor(values.length * 0.95)] ?? 1) * 3);
  const small = d.heat.length < 60;
  return {
    tooltip: { trigger: 'item', formatter: (p: { value?: [number, number, number] }) => (p.value ? `${p.value[2]}` : '') },
    geo: {
      map: mapName, roam: true, layoutCenter: ['56%', '50%'], layoutSize: '98%', nameProperty: 'code', silent: true,
      itemStyle: { areaColor: '#f3f5f9', borderColor: '#c9d1dd', borderWidth: 0.5 },
    },
    visualMap: {
      min: 0, max: top, calculable: false, orient: 'vertical', left: 4, bottom: 4, itemWidth: 10, itemHeight: 100,
      inRange: { color: ['#fff7bc', '#fec44f', '#fe9929', '#e34a33', '#b30000'] }, textStyle: { color: '#5b6472', fontSize: 11 },
      text: [lang === 'en' ? 'many' : '多', lang === 'en' ? 'few' : '少'],
    },
    series: [{ type: 'heatmap', coordinateSystem: 'geo', data: d.heat, pointSize: small ? 30 : 6, blurSize: small ? 40 : 9 }],
  };
}
