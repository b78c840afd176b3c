import { placesOf } from '../../../shared/evaluation/figures.js';
import { rowName, type Dashboard, type TableRow, type TrendPoint } from './api.js';
import { formatCount, formatHours, formatRate, formatValue, indicatorFormula, indicatorLabel, sourceLabel, subjectLabel, type Lang } from './format.js';

/**
 * The annual report (年度运行报告) as figures and sentences, from one dashboard answer for a year:
 * what the page prints. Every number here is one the dashboard shows, so each can be traced to
 * its cases there.
 */

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The indicators of the report's first table, in its order. */
export const REPORT_INDICATORS = [
  'reported', 'valid', 'valid_rate', 'dispatched', 'dispatch_on_time_rate', 'dispatch_accuracy', 'handled', 'handle_on_time_rate',
  'closed', 'completion_rate', 'on_time_closure_rate', 'avg_handling_hours', 'p90_handling_hours', 'returned', 'rework', 'rework_rate',
  'postponed', 'suspended', 'cancelled', 'merged',
] as const;

/** The opening paragraph: the year in a few sentences, in the words of a work report. */
/**
 * The last day of a year not yet over, as `{ month, day }`; null for a whole year. The server reads a
 * year still running up to today, so the report says "so far" and compares with the same days.
 */
export function runningUntil(d: Pick<Dashboard, 'range'>, year: number): { month: number; day: number } | null {
  if (d.range.to === `${year}-12-31` || !d.range.to.startsWith(`${year}-`)) return null;
  return { month: Number(d.range.to.slice(5, 7)), day: Number(d.range.to.slice(8, 10)) };
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function summaryOf(d: Pick<Dashboard, 'area' | 'range' | 'figures'>, year: number, lang: Lang): string {
  const v = d.figures.values;
  const until = runningUntil(d, year);
  const n = (k: string) => formatCount(v[k] ?? 0, lang);
  const r = (k: string) => formatRate(v[k]);
  const h = (k: string) => formatHours(v[k]);
  if (lang === 'en') {
    return [
      `${until ? `From 1 January to ${until.day} ${MONTHS_EN[until.month - 1]} ${year}` : `In ${year}`}, ${d.area.name} took ${n('reported')} reports of problems (${n('valid')} valid, ${r('valid_rate')}) and closed ${n('closed')}: a completion rate of ${r('completion_rate')}, with ${r('on_time_closure_rate')} of the closures on time.`,
      `There were ${n('dispatched')} dispatches (${r('dispatch_on_time_rate')} on time, ${r('dispatch_accuracy')} accurate: neither returned nor reworked) and ${n('handled')} rounds of handling, ${r('handle_on_time_rate')} on time; handling took ${h('avg_handling_hours')} hours on average${v.p90_handling_hours != null ? ` and at most ${h('p90_handling_hours')} hours for nine cases in ten` : ''}.`,
      `Departments returned ${n('returned')} dispatches; handling was sent back for rework ${n('rework')} times (${r('rework_rate')}), postponed ${n('postponed')} times and suspended ${n('suspended')} times; ${n('cancelled')} cases were cancelled; ${n('merged')} duplicate reports were merged into their originals.`,
    ].join(' ');
  }
  return [
    `${until ? `${year} 年 1 月 1 日至 ${until.month} 月 ${until.day} 日` : `${year} 年`}，${d.area.name}共受理各类问题上报 ${n('reported')} 件，其中有效上报 ${n('valid')} 件（有效上报率 ${r('valid_rate')}）；办结 ${n('closed')} 件，办结率 ${r('completion_rate')}，按期办结率 ${r('on_time_closure_rate')}。`,
    `${until ? '其间' : '全年'}派遣 ${n('dispatched')} 次，按时派遣率 ${r('dispatch_on_time_rate')}，准确派遣率 ${r('dispatch_accuracy')}；处置反馈 ${n('handled')} 次，按期处置率 ${r('handle_on_time_rate')}，平均处置时长 ${h('avg_handling_hours')} 小时${v.p90_handling_hours != null ? `，九成案件在 ${h('p90_handling_hours')} 小时内处置完毕` : ''}。`,
    `部门回退 ${n('returned')} 次，返工 ${n('rework')} 次（返工率 ${r('rework_rate')}），延期 ${n('postponed')} 次，挂账 ${n('suspended')} 次，作废 ${n('cancelled')} 件，合并重复上报 ${n('merged')} 件。`,
  ].join('');
}

export interface MonthRow {
  month: number;
  reported: number;
  closed: number;
  completionRate: number | null;
  handled: number;
  handleOnTimeRate: number | null;
  closeOnTimeRate: number | null;
}

/** The months of the year, each with its rates; the last row is the year's total. */
export function monthRows(points: readonly TrendPoint[]): { months: MonthRow[]; total: Omit<MonthRow, 'month'> } {
  const row = (p: Omit<TrendPoint, 'start'>) => ({
    reported: p.reported, closed: p.closed, completionRate: ratio(p.closed, p.reported), handled: p.handled,
    handleOnTimeRate: ratio(p.handled_on_time, p.due), closeOnTimeRate: ratio(p.closed_on_time, p.closed),
  });
  const sum = { reported: 0, closed: 0, handled: 0, handled_on_time: 0, due: 0, closed_on_time: 0 };
  const months = points.map((p) => {
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += p[k];
    return { month: Number(p.start.slice(5, 7)), ...row(p) };
  });
  return { months, total: row(sum) };
}

export interface ShareRow {
  key: string;
  name: string;
  reported: number;
  share: number | null;
  closed: number;
  completionRate: number | null;
}

/** Problem classes or sources, most reported first, each with its share of all reports. */
export function shareRows(items: readonly { key: string; name: string; reported: number; closed: number }[]): ShareRow[] {
  const all = items.reduce((s, i) => s + i.reported, 0);
  return [...items]
    .filter((i) => i.reported > 0 || i.closed > 0)
    .sort((a, b) => b.reported - a.reported || a.key.localeCompare(b.key))
    .map((i) => ({ ...i, share: ratio(i.reported, all), completionRate: ratio(i.closed, i.reported) }));
}

export function categoryShares(d: Pick<Dashboard, 'categories'>, lang: Lang): ShareRow[] {
  return shareRows(d.categories.map((c) => ({ key: c.code, name: lang === 'en' ? c.nameEn || c.name : c.name, reported: c.reported, closed: c.closed })));
}

export function sourceShares(d: Pick<Dashboard, 'sources'>, lang: Lang): ShareRow[] {
  return shareRows(d.sources.map((s) => ({ key: s.source, name: sourceLabel(s.source, lang), reported: s.reported, closed: s.closed })));
}

/** A headline figure against the year before (同比): the change of a count in %, of a rate in points. */
export interface Change {
  key: string;
  before: number | null;
  /** Counts: relative change (0.05 = +5%); rates: difference in percentage points (0.012 = +1.2 points). */
  delta: number | null;
  kind: 'count' | 'rate';
}

export const COMPARED = [['reported', 'count'], ['closed', 'count'], ['completion_rate', 'rate'], ['on_time_closure_rate', 'rate']] as const;

export function changesOf(now: Record<string, number | null>, before: Record<string, number | null>): Change[] {
  return COMPARED.map(([key, kind]) => {
    const a = now[key] ?? null;
    const b = before[key] ?? null;
    if (a === null || b === null) return { key, before: b, delta: null, kind };
    if (kind === 'rate') return { key, before: b, delta: a - b, kind };
    return { key, before: b, delta: b > 0 ? (a - b) / b : null, kind };
  });
}

/** "+5.0%" / "−1.2 个百分点" / "+1.2 points"; "—" when there is nothing to compare. */
export function formatChange(c: Pick<Change, 'delta' | 'kind'>, lang: Lang): string {
  if (c.delta === null) return '—';
  const sign = c.delta > 0 ? '+' : c.delta < 0 ? '−' : '±';
  const size = Math.abs(Math.round(c.delta * 1000) / 10).toFixed(1);
  if (c.kind === 'count') return `${sign}${size}%`;
  return lang === 'en' ? `${sign}${size} points` : `${sign}${size} 个百分点`;
}

/** The sentence the summary adds when the year before has figures. */
export function comparisonSentence(changes: readonly Change[], year: number, lang: Lang, sameDays = false): string {
  const by = new Map(changes.map((c) => [c.key, c]));
  const reported = by.get('reported')!;
  const completion = by.get('completion_rate')!;
  if (reported.delta === null && completion.delta === null) return '';
  if (lang === 'en') {
    return ` Against ${sameDays ? `the same days of ${year - 1}` : year - 1}: reports ${formatChange(reported, lang)}, completion rate ${formatChange(completion, lang)}.`;
  }
  return `与 ${year - 1} 年${sameDays ? '同期' : ''}相比，上报数${inWords(reported)}，办结率${inWords(completion)}。`;
}

/** 增长 12.7% / 下降 3.5% / 提高 2.3 个百分点 / 持平, as a work report says it. */
function inWords(c: Change): string {
  if (c.delta === null) return '无可比数据';
  const size = Math.abs(Math.round(c.delta * 1000) / 10).toFixed(1);
  if (size === '0.0') return '持平';
  if (c.kind === 'count') return `${c.delta > 0 ? '增长' : '下降'} ${size}%`;
  return `${c.delta > 0 ? '提高' : '降低'} ${size} 个百分点`;
}

/**
 * The report as a document: titled sections of text, headline figures and tables of formatted
 * cells. The page draws it and the Word export writes it, so the two cannot say different things.
 */
export interface ReportFigure {
  key: string;
  label: string;
  value: string;
  /** Against the year before (同比), when it has figures. */
  change: string | null;
}

export interface ReportTable {
  /** Names the table for tests and for the page (data-testid). */
  id: string;
  head: string[];
  /** Which columns hold numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
  foot?: string[];
}

export interface ReportSection {
  title: string;
  text?: string;
  figures?: ReportFigure[];
  table: ReportTable;
}

export interface ReportModel {
  title: string;
  meta: string;
  sections: ReportSection[];
  note: string;
  /** For a saved copy: 通州区2013年度运行报告. */
  fileName: string;
}

/** i18next's `t`, seen loosely: the model builds some of its keys (the columns' and the months'). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const NUMERALS: Record<Lang, string[]> = {
  zh: ['一', '二', '三', '四', '五', '六', '七', '八'],
  en: ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'],
};

/** The report of a year of an area; null when the area has no case records in it. */
/**
 * `before`: the figures of the year before (同比; the dashboard's `previous`), or of its same days
 * when the year is not over yet.
 */
export function reportModel(o: { d: Dashboard; before: Pick<Dashboard, 'figures'> | null; year: number; lang: Lang; t: Translate; madeAt: string }): ReportModel | null {
  const { d, before, year, lang, t } = o;
  const sameDays = runningUntil(d, year) !== null;
  const v = d.figures.values;
  if (!v.reported && !v.closed) return null;
  const label = (k: string) => indicatorLabel(k, lang);
  const value = (k: string, x: number | null | undefined) => formatValue(k, x, lang);
  const changes = before ? changesOf(v, before.figures.values) : null;
  const parts: Omit<ReportSection, 'title'>[] = [];
  const titles: string[] = [];
  const add = (title: string, part: Omit<ReportSection, 'title'>) => {
    titles.push(title);
    parts.push(part);
  };

  add(t('evaluation.report.overview'), {
    text: summaryOf(d, year, lang) + (changes ? comparisonSentence(changes, year, lang, sameDays) : ''),
    figures: COMPARED.map(([k], i) => ({
      key: k, label: label(k), value: value(k, v[k]),
      change: changes ? t(sameDays ? 'evaluation.report.changeSameDays' : 'evaluation.report.change', { change: formatChange(changes[i]!, lang), before: value(k, changes[i]!.before), year: year - 1 }) : null,
    })),
    table: {
      id: 'report-indicators',
      head: [t('evaluation.report.indicator'), t('evaluation.report.value'), t('evaluation.report.formula')],
      numeric: [false, true, false],
      rows: REPORT_INDICATORS.map((k) => [label(k), value(k, v[k]), indicatorFormula(k, lang)]),
    },
  });

  const { months, total } = monthRows(d.trend.grain === 'month' ? d.trend.points : []);
  if (months.length) {
    const cells = (m: Omit<MonthRow, 'month'>) => [
      formatCount(m.reported, lang), formatCount(m.closed, lang), formatRate(m.completionRate),
      formatCount(m.handled, lang), formatRate(m.handleOnTimeRate), formatRate(m.closeOnTimeRate),
    ];
    add(t('evaluation.report.months'), {
      // a month's closures include cases reported in months before it, so its rate can pass 100 %
      ...(months.some((m) => (m.completionRate ?? 0) > 1) ? { text: t('evaluation.report.monthsNote') } : {}),
      table: {
        id: 'report-months',
        head: ['month', 'reported', 'closed', 'completion', 'handled', 'handleOnTime', 'closeOnTime'].map((c) => t(`evaluation.report.col.${c}`)),
        numeric: [false, true, true, true, true, true, true],
        rows: months.map((m) => [t('evaluation.report.monthName', { month: m.month }), ...cells(m)]),
        foot: [t(sameDays ? 'evaluation.report.totalSoFar' : 'evaluation.report.total'), ...cells(total)],
      },
    });
  }

  const ranked = (id: string, rows: readonly TableRow[], keys: readonly string[], opts: { place?: boolean; grade?: boolean } = {}): ReportTable => {
    const grade = opts.grade ?? true;
    // a subject with too little work in the year to be ranked keeps its score but takes no place
    const places = placesOf(rows);
    return {
      id,
      head: ['#', t('evaluation.dashboard.name'), ...(opts.place ? [t('evaluation.cases.grid')] : []), ...keys.map(label), t('evaluation.dashboard.score'), ...(grade ? [t('evaluation.dashboard.grade')] : [])],
      numeric: [true, false, ...(opts.place ? [false] : []), ...keys.map(() => true), true, ...(grade ? [false] : [])],
      rows: rows.map((r) => [
        places.has(r.id) ? String(places.get(r.id)) : '—', rowName(r, lang), ...(opts.place ? [r.place ?? '—'] : []), ...keys.map((k) => value(k, r.figures.values[k])),
        r.figures.score === null ? '—' : r.figures.score.toFixed(1), ...(grade ? [r.figures.grade ?? '—'] : []),
      ]),
    };
  };
  // the dashboard's rankings come in ranking order: ranked rows first, best score first, the busier first among equals
  if (d.children.subject && d.children.rows.length) {
    const subject = subjectLabel(d.children.subject, lang);
    add(t('evaluation.report.areas', { subject: lang === 'en' ? subject.toLowerCase() : subject }), {
      table: ranked('report-areas', d.children.rows, ['reported', 'closed', 'completion_rate', 'on_time_closure_rate', 'handle_on_time_rate', 'avg_handling_hours']),
    });
  }
  const shares = (id: string, first: string, rows: ShareRow[]): ReportTable => ({
    id,
    head: [first, ...['reported', 'share', 'closed', 'completion'].map((c) => t(`evaluation.report.col.${c}`))],
    numeric: [false, true, true, true, true],
    rows: rows.map((r) => [r.name, formatCount(r.reported, lang), formatRate(r.share), formatCount(r.closed, lang), formatRate(r.completionRate)]),
  });
  add(t('evaluation.report.classes'), { table: shares('report-classes', t('evaluation.report.col.class'), categoryShares(d, lang)) });
  add(t('evaluation.report.sources'), { table: shares('report-sources', t('evaluation.report.col.source'), sourceShares(d, lang)) });
  if (d.departments.length) {
    add(t('evaluation.report.departments'), {
      table: ranked('report-departments', d.departments, ['due', 'handled', 'handle_on_time_rate', 'dept_closure_rate', 'rework_rate', 'avg_handling_hours']),
    });
  }
  // the best grid workers: those with work enough for a place (the dashboard's ten best, the ranked first)
  const placed = d.workers.filter((w) => w.ranked);
  if (placed.length) {
    add(t('evaluation.report.workers', { count: placed.length }), {
      table: ranked('report-workers', placed, ['reported', 'valid_rate', 'verify_on_time_rate', 'check_on_time_rate'], { place: true, grade: false }),
    });
  }

  const title = t('evaluation.report.docTitle', { area: d.area.name, year });
  return {
    title,
    meta: t('evaluation.report.meta', { from: d.range.from, to: d.range.to, at: o.madeAt }),
    sections: parts.map((p, i) => ({ title: lang === 'en' ? `${NUMERALS.en[i]}. ${titles[i]}` : `${NUMERALS.zh[i]}、${titles[i]}`, ...p })),
    note: t('evaluation.report.note'),
    fileName: lang === 'en' ? `${d.area.name} annual report ${year}` : `${d.area.name}${year}年度运行报告`,
  };
}
