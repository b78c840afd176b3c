import { CASE_SOURCE_LABELS, STATE_LABELS, historyActionLabels, type CaseSource, type State } from '../../../shared/cases/index.js';
import { INDICATOR_BY_KEY, SUBJECT_LABELS, type SubjectKind } from '../../../shared/evaluation/indicators.js';
import type { Grade } from '../../../shared/evaluation/scores.js';

/** How figures read on the screens: counts with separators, rates as percentages, hours with one decimal. */
export type Lang = 'zh' | 'en';

export function langOf(language: string): Lang {
  return language.startsWith('en') ? 'en' : 'zh';
}

export function indicatorLabel(key: string, lang: Lang): string {
  const def = INDICATOR_BY_KEY.get(key);
  return def ? (lang === 'en' ? def.en : def.zh) : key;
}

export function indicatorFormula(key: string, lang: Lang): string {
  const def = INDICATOR_BY_KEY.get(key);
  return def ? def.formula[lang] : '';
}

export function subjectLabel(s: SubjectKind, lang: Lang): string {
  return lang === 'en' ? SUBJECT_LABELS[s].en : SUBJECT_LABELS[s].zh;
}

export function formatCount(n: number | null | undefined, lang: Lang): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN');
}

/** 0.9832 → "98.3%". */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined) return '—';
  return `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined) return '—';
  return h >= 100 ? String(Math.round(h)) : h.toFixed(1);
}

/** Any indicator's value in its own unit. */
export function formatValue(key: string, v: number | null | undefined, lang: Lang): string {
  const type = INDICATOR_BY_KEY.get(key)?.type;
  if (type === 'rate') return formatRate(v);
  if (type === 'hours') return formatHours(v);
  if (type === 'score') return v === null || v === undefined ? '—' : v.toFixed(1);
  return formatCount(v, lang);
}

/** Solid tags with white letters: each reads at 4.5:1 or more. */
export const GRADE_COLORS: Record<Grade, string> = { A: '#18794a', B: '#1650a8', C: '#946200', D: '#c2551a', E: '#b42318' };

export function stateLabel(state: string, lang: Lang): string {
  const l = STATE_LABELS[state as State];
  return l ? l[lang] : state;
}

export function sourceLabel(source: string, lang: Lang): string {
  const l = CASE_SOURCE_LABELS[source as CaseSource];
  return l ? l[lang] : source;
}

export function actionLabel(action: string, lang: Lang): string {
  const l = historyActionLabels(action);
  return l ? l[lang] : action;
}

/** Beijing wall-clock time of an instant: "2013-05-06 14:30". */
export function beijingTime(at: number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A range's last day as a page says it: with the time it is read up to, for a period still running (2026-12-03 10:42). */
export function rangeEnd(r: { to: string; until?: string }): string {
  return r.until ? beijingTime(Date.parse(r.until)) : r.to;
}

export type PeriodKind = 'year' | 'quarter' | 'month' | 'range';

/** The period text the API takes, from what the picker holds. */
export function periodText(kind: PeriodKind, year: number, part: number, range: [string, string] | null): { period?: string; from?: string; to?: string } {
  switch (kind) {
    case 'year':
      return { period: String(year) };
    case 'quarter':
      return { period: `${year}-Q${part}` };
    case 'month':
      return { period: `${year}-${String(part).padStart(2, '0')}` };
    case 'range':
      return range ? { from: range[0], to: range[1] } : { period: String(year) };
  }
}

/** Light to dark blue by share of the maximum, for the choropleth legend and the map. */
export const DENSITY_COLORS = ['#eef4fc', '#c5d8f3', '#8fb3e6', '#4f86cf', '#1650a8', '#0b2f6b'];

/** Time left as the screens say it: under a minute, or minutes rounded up. */
export function formatTimeLeft(ms: number, lang: Lang): string {
  const minutes = Math.ceil(ms / 60_000);
  if (ms < 60_000) return lang === 'en' ? 'under a minute' : '不到 1 分钟';
  return lang === 'en' ? `about ${minutes} min` : `约 ${minutes} 分钟`;
}
