import type { TFunction } from 'i18next';
import type { Dashboard } from './api.js';
import { round1, trendLabel } from './charts.js';
import { formatCount, formatRate, sourceLabel, type Lang } from './format.js';

export type ChartKind = 'trend' | 'sources' | 'categories' | 'map';

/** The largest of some items by a figure; none when there are none or every figure is 0. */
function largest<T>(items: readonly T[], figure: (item: T) => number): T | null {
  const top = items.reduce<T | null>((best, item) => (best === null || figure(item) > figure(best) ? item : best), null);
  return top !== null && figure(top) > 0 ? top : null;
}

/**
 * What a dashboard chart says to someone who cannot see its canvas, in a sentence: its title, the
 * period and what stands out in the figures it draws (the trend's first and last points, the
 * largest source and category, the densest area). The figures all come from the dashboard's answer,
 * so the sentence changes with the period and the area as the picture does.
 */
export function chartText(kind: ChartKind, d: Dashboard, lang: Lang, t: TFunction): string {
  const head = { title: t(`evaluation.dashboard.${kind}`), from: d.range.from, to: d.range.to };
  const count = (n: number) => formatCount(n, lang);
  const empty = t('evaluation.dashboard.chartText.empty', head);
  switch (kind) {
    case 'trend': {
      const points = d.trend.points;
      const first = points[0];
      const last = points[points.length - 1];
      if (!first || !last || !points.some((p) => p.reported > 0 || p.closed > 0)) return empty;
      const at = (p: typeof first) => ({ when: trendLabel(p.start, d.trend.grain, lang), reported: count(p.reported), closed: count(p.closed) });
      return points.length === 1
        ? t('evaluation.dashboard.chartText.trendOne', { ...head, first: at(first) })
        : t('evaluation.dashboard.chartText.trend', { ...head, first: at(first), last: at(last) });
    }
    case 'sources': {
      const top = largest(d.sources, (s) => s.reported);
      if (!top) return empty;
      const total = d.sources.reduce((sum, s) => sum + s.reported, 0);
      return t('evaluation.dashboard.chartText.sources', { ...head, total: count(total), top: sourceLabel(top.source, lang), share: formatRate(top.reported / total) });
    }
    case 'categories': {
      const top = largest(d.categories, (c) => c.reported);
      if (!top) return empty;
      return t('evaluation.dashboard.chartText.categories', { ...head, top: lang === 'en' ? top.nameEn : top.name, reported: count(top.reported), closed: count(top.closed) });
    }
    case 'map': {
      const top = largest(d.map.items, (i) => i.density ?? 0);
      if (!top) return empty;
      return t('evaluation.dashboard.chartText.map', { ...head, top: top.name, density: round1(top.density ?? 0) });
    }
  }
}
