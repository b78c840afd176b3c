import { CASE_SOURCE_LABELS, STATE_LABELS, type CaseSource, type State } from '../../../shared/cases/index.js';
import { placesOf } from '../../../shared/evaluation/figures.js';
import { INDICATOR_BY_KEY, indicatorsFor, type SubjectKind } from '../../../shared/evaluation/indicators.js';
import { dateOfDay, dayOfDate, dayOfInstant, parsePeriod, type DayRange } from '../../../shared/evaluation/periods.js';
import { AppError } from '../../platform/errors.js';
import type { DrillRow } from './drill.js';
import type { ExportColumn } from './export.js';
import type { TableRow } from './table.service.js';
import { maskPersonalData } from '../../platform/privacy.js';

/** Turning request parameters into ranges, and rows into export columns in the user's language. */
/**
 * The days a request covers. A period or range still running is read up to now: to today (Beijing),
 * and on today to this instant (`until`, which stats.query.ts honours). The only marks dated after
 * now are the due times of rounds still open, and a round that is not yet due is not yet 应处置
 * (DOMAIN: handled, or overdue and unhandled), so this month's 按期处置率 does not read low until its
 * later rounds are handled, nor today's until this afternoon's are. It also compares a period so
 * far with the same days of the period before. A range wholly in the future is kept as asked.
 */
export function rangeOf(q: { period?: string; from?: string; to?: string }, now: number): DayRange {
  const today = dayOfInstant(now);
  // a range that takes in today runs up to now: to today's date, and on it to this instant
  const upToToday = (r: DayRange): DayRange => {
    if (r.from > today || r.to < today) return r;
    return r.to > today ? { from: r.from, to: today, asked: r, until: now } : { ...r, until: now };
  };
  if (q.period) {
    const r = parsePeriod(q.period);
    if (!r) throw new AppError('validation_failed', `Not a period: ${q.period} (try 2013, 2013-Q2, 2013-05, 2013-W18, 2013-05-06 or 2013-01-01..2013-03-31).`, { field: 'period' });
    return upToToday(r);
  }
  const to = q.to ? dayOfDate(q.to) : today;
  const from = q.from ? dayOfDate(q.from) : dayOfDate(`${dateOfDay(to ?? today).slice(0, 4)}-01-01`);
  if (from === null || to === null) throw new AppError('validation_failed', 'from and to are dates (YYYY-MM-DD).', { field: 'from' });
  if (to < from) throw new AppError('validation_failed', 'from is after to.', { field: 'from' });
  if (to - from > 3700) throw new AppError('validation_failed', 'A range covers at most ten years.', { field: 'to' });
  return upToToday({ from, to });
}

/** A range in an answer: its dates, and for one read up to an instant of its last day (now), that instant. */
export function rangeOut(r: DayRange): { from: string; to: string; until?: string } {
  return { from: dateOfDay(r.from), to: dateOfDay(r.to), ...(r.until === undefined ? {} : { until: new Date(r.until).toISOString() }) };
}

type Lang = 'zh' | 'en';
const label = (x: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? x.en : x.zh);

function beijingTime(at: number | null): string {
  return at === null ? '' : new Date(at + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Ratios as percentages with one decimal in exports (98.3), counts and hours as they are. */
function exportValue(key: string, v: number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  return INDICATOR_BY_KEY.get(key)?.type === 'rate' ? Math.round(v * 1000) / 10 : v;
}

/** The columns of an indicator table's export; `rows` in ranking order give each ranked row its place (名次; none below the minimum). */
export function tableColumns(subject: SubjectKind, lang: Lang, rows: readonly TableRow[]): ExportColumn<TableRow>[] {
  const head = lang === 'en' ? { rank: 'Rank', id: 'Code', name: 'Name', place: 'Place' } : { rank: '名次', id: '编码', name: '名称', place: '所在区域' };
  const places = placesOf(rows);
  const cols: ExportColumn<TableRow>[] = [
    { header: head.rank, value: (r) => places.get(r.id) ?? null, width: 8 },
    { header: head.id, value: (r) => r.id, width: 18 },
    { header: head.name, value: (r) => r.name, width: 20 },
  ];
  if (subject === 'worker' || subject === 'dispatcher') cols.push({ header: head.place, value: (r) => r.place, width: 18 });
  for (const def of indicatorsFor(subject)) {
    if (def.type === 'grade') cols.push({ header: label(def, lang), value: (r) => r.figures.grade });
    else if (def.type === 'score') cols.push({ header: label(def, lang), value: (r) => r.figures.score });
    else {
      const suffix = def.type === 'rate' ? '(%)' : '';
      cols.push({ header: label(def, lang) + suffix, value: (r) => exportValue(def.key, r.figures.values[def.key]) });
    }
  }
  return cols;
}

export function caseColumns(lang: Lang): ExportColumn<DrillRow>[] {
  const h = lang === 'en'
    ? ['Case number', 'State', 'Category', 'Source', 'Grid code', 'Grid', 'Address', 'Description', 'Reported at', 'Closed at', 'Counted at', 'Department', 'Person', 'In numerator', 'Handling hours']
    : ['案件编号', '状态', '类别', '来源', '网格编码', '网格', '地址', '问题描述', '上报时间', '办结时间', '计入时间', '部门', '人员', '计入分子', '处置用时（小时）'];
  const yes = lang === 'en' ? ['yes', 'no'] : ['是', '否'];
  return [
    { header: h[0]!, value: (r) => r.number, width: 22 },
    { header: h[1]!, value: (r) => (STATE_LABELS[r.state as State] ? label(STATE_LABELS[r.state as State], lang) : r.state) },
    { header: h[2]!, value: (r) => r.categoryName ?? r.categoryCode, width: 16 },
    { header: h[3]!, value: (r) => (CASE_SOURCE_LABELS[r.source as CaseSource] ? label(CASE_SOURCE_LABELS[r.source as CaseSource], lang) : r.source) },
    { header: h[4]!, value: (r) => r.gridCode, width: 18 },
    { header: h[5]!, value: (r) => r.gridName },
    // a file leaves the system: phone, identity numbers and e-mail addresses residents wrote into
    // their words are masked (the case's page keeps them for the staff who may read them)
    { header: h[6]!, value: (r) => r.address && maskPersonalData(r.address), width: 24 },
    { header: h[7]!, value: (r) => r.description && maskPersonalData(r.description), width: 40 },
    { header: h[8]!, value: (r) => beijingTime(r.reportedAt), width: 18 },
    { header: h[9]!, value: (r) => beijingTime(r.closedAt), width: 18 },
    { header: h[10]!, value: (r) => beijingTime(r.at), width: 18 },
    { header: h[11]!, value: (r) => r.department },
    { header: h[12]!, value: (r) => r.actorName ?? r.actorId },
    { header: h[13]!, value: (r) => (r.hit === null ? null : r.hit ? yes[0] : yes[1]) },
    { header: h[14]!, value: (r) => r.hours },
  ];
}
