import { unzipSync, strFromU8 } from 'fflate';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { resources } from '../../app/resources.js';
import type { Dashboard, TableRow, TrendPoint } from './api.js';
import { reportDocx } from './reportDocx.js';
import { categoryShares, changesOf, comparisonSentence, formatChange, monthRows, reportModel, sourceShares, summaryOf } from './report.js';

/** The annual report's sentences and tables, from a dashboard answer with known figures. */
const values: Record<string, number | null> = {
  reported: 28_172, valid: 27_950, valid_rate: 27_950 / 28_172, dispatched: 20_104, dispatch_on_time_rate: 0.991, dispatch_accuracy: 0.962,
  handled: 20_010, handle_on_time_rate: 0.954, closed: 27_699, completion_rate: 27_699 / 28_172, on_time_closure_rate: 0.948,
  avg_handling_hours: 30.44, p90_handling_hours: 71.2, returned: 765, rework: 402, rework_rate: 0.0201, postponed: 310, suspended: 95, cancelled: 120, merged: 198,
};
const d = { area: { code: '110112', name: '通州区', subject: 'district' as const }, range: { from: '2013-01-01', to: '2013-12-31' }, figures: { values, score: null, grade: null } };
const point = (start: string, reported: number, closed: number, handled: number, handled_on_time: number, due: number, closed_on_time: number): TrendPoint =>
  ({ start, reported, closed, handled, handled_on_time, due, closed_on_time });

describe('the annual report', () => {
  it('says the year in sentences with the dashboard\'s figures', () => {
    const zh = summaryOf(d, 2013, 'zh');
    expect(zh).toContain('2013 年，通州区共受理各类问题上报 28,172 件');
    expect(zh).toContain('办结 27,699 件，办结率 98.3%，按期办结率 94.8%');
    expect(zh).toContain('平均处置时长 30.4 小时，九成案件在 71.2 小时内处置完毕');
    expect(zh).toContain('合并重复上报 198 件。');
    const en = summaryOf(d, 2013, 'en');
    expect(en).toContain('In 2013, 通州区 took 28,172 reports of problems (27,950 valid, 99.2%) and closed 27,699: a completion rate of 98.3%');
    // no percentile yet (no case handled): the clause is left out, not printed as a dash
    const early = summaryOf({ ...d, figures: { ...d.figures, values: { ...values, p90_handling_hours: null } } }, 2013, 'zh');
    expect(early).not.toContain('九成');
  });

  it('lists the months with their rates and totals the year', () => {
    const { months, total } = monthRows([point('2013-01-01', 100, 90, 80, 76, 80, 81), point('2013-02-01', 50, 50, 0, 0, 0, 40)]);
    expect(months.map((m) => m.month)).toEqual([1, 2]);
    expect(months[0]).toMatchObject({ reported: 100, closed: 90, completionRate: 0.9, handleOnTimeRate: 0.95, closeOnTimeRate: 0.9 });
    expect(months[1]!.handleOnTimeRate).toBeNull();
    expect(total).toEqual({ reported: 150, closed: 140, completionRate: 140 / 150, handled: 80, handleOnTimeRate: 0.95, closeOnTimeRate: 121 / 140 });
  });

  it('orders classes and sources by reports, with their shares, leaving out the empty', () => {
    const shares = categoryShares({ categories: [
      { code: '09', name: '街面秩序', nameEn: 'Street order', reported: 300, closed: 290, completionRate: null },
      { code: '06', name: '市容环境', nameEn: 'City appearance', reported: 700, closed: 690, completionRate: null },
      { code: '01', name: '公用设施', nameEn: '', reported: 0, closed: 0, completionRate: null },
    ] } as Pick<Dashboard, 'categories'>, 'en');
    expect(shares.map((s) => [s.name, s.share, s.completionRate])).toEqual([['City appearance', 0.7, 690 / 700], ['Street order', 0.3, 290 / 300]]);
    const sources = sourceShares({ sources: [{ source: 'hotline', reported: 1, closed: 1 }, { source: 'grid_worker', reported: 3, closed: 2 }] }, 'zh');
    expect(sources.map((s) => [s.key, s.share])).toEqual([['grid_worker', 0.75], ['hotline', 0.25]]);
    expect(sources[0]!.name).not.toBe('grid_worker');
  });
});

describe('the annual report against the year before', () => {
  it('gives counts in per cent and rates in points', () => {
    const changes = changesOf({ reported: 28_172, closed: 27_699, completion_rate: 0.9832, on_time_closure_rate: 0.865 }, { reported: 25_000, closed: 24_000, completion_rate: 0.96, on_time_closure_rate: 0.9 });
    expect(changes.map((c) => [c.key, formatChange(c, 'zh')])).toEqual([
      ['reported', '+12.7%'], ['closed', '+15.4%'], ['completion_rate', '+2.3 个百分点'], ['on_time_closure_rate', '−3.5 个百分点'],
    ]);
    expect(formatChange(changes[3]!, 'en')).toBe('−3.5 points');
    expect(comparisonSentence(changes, 2013, 'zh')).toBe('与 2012 年相比，上报数增长 12.7%，办结率提高 2.3 个百分点。');
    const worse = changesOf({ reported: 900, closed: 800, completion_rate: 0.8, on_time_closure_rate: 0.8 }, { reported: 1000, closed: 900, completion_rate: 0.8, on_time_closure_rate: 0.9 });
    expect(comparisonSentence(worse, 2013, 'zh')).toBe('与 2012 年相比，上报数下降 10.0%，办结率持平。');
    expect(comparisonSentence(changes, 2013, 'en')).toBe(' Against 2012: reports +12.7%, completion rate +2.3 points.');
  });

  it('says nothing it cannot compare', () => {
    const none = changesOf({ reported: 10, closed: 9, completion_rate: 0.9, on_time_closure_rate: null }, { reported: 0, closed: 0, completion_rate: null, on_time_closure_rate: null });
    expect(none.map((c) => formatChange(c, 'zh'))).toEqual(['—', '—', '—', '—']);
    expect(comparisonSentence(none, 2013, 'zh')).toBe('');
    expect(formatChange({ delta: 0, kind: 'count' }, 'zh')).toBe('±0.0%');
  });
});

const row = (id: string, name: string, score: number | null, values: Record<string, number | null>, place: string | null = null, ranked = true): TableRow =>
  ({ id, name, place, figures: { values, score, grade: score === null ? null : score >= 90 ? 'A' : 'B' }, ranked });
const dashboard = (over: Partial<Dashboard> = {}): Dashboard => ({
  ...d,
  path: [{ code: '110112', name: '通州区' }],
  previous: { range: { from: '2012-01-01', to: '2012-12-31' }, figures: { values: { reported: 0, closed: 0 }, score: null, grade: null } },
  trend: { grain: 'month', points: Array.from({ length: 12 }, (_, i) => point(`2013-${String(i + 1).padStart(2, '0')}-01`, 100 + i, 98, 90, 80, 90, 85)) },
  categories: [{ code: '06', name: '市容环境', nameEn: 'City appearance', reported: 700, closed: 690, completionRate: null }],
  sources: [{ source: 'hotline', reported: 300, closed: 290 }],
  children: {
    subject: 'street',
    // in ranking order, as the dashboard gives them: the one with too little work last
    rows: [row('110112001', '中仓街道', 93.1, { reported: 700 }), row('110112002', '新华街道', 88.5, { reported: 500 }), row('110112003', '永顺镇', 100, { reported: 2 }, null, false)],
  },
  departments: [row('CG', '区城管执法局', 91, { due: 40 })],
  workers: [row('team:1', '王敏', 100, { reported: 12 }, '悟仙观第1网格'), row('team:2', '李强', 100, { reported: 1 }, '悟仙观第2网格', false)],
  map: { layer: 'communities', focus: '110112', items: [] },
  heat: [],
  rankMinimum: 5,
  ...over,
});
const translator = async (lng: string) => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng, interpolation: { escapeValue: false } });
  return i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
};

describe('the annual report as a document', () => {
  it('has numbered sections, the areas best first, the months with a total, and a file name', async () => {
    const model = reportModel({ d: dashboard(), before: null, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '2014-01-02 09:00' })!;
    expect(model.title).toBe('通州区网格化社会服务管理2013年度运行报告');
    expect(model.meta).toBe('统计期间：2013-01-01 至 2013-12-31 · 依据系统案件记录生成于 2014-01-02 09:00（北京时间）');
    expect(model.fileName).toBe('通州区2013年度运行报告');
    expect(model.sections.map((s) => s.title)).toEqual([
      '一、总体情况', '二、逐月情况', '三、各街道（乡镇）情况', '四、问题类别', '五、问题来源', '六、专业部门处置情况', '七、网格员（得分前 1 名）',
    ]);
    expect(model.sections[0]!.figures!.map((f) => [f.value, f.change])).toEqual([['28,172', null], ['27,699', null], ['98.3%', null], ['94.8%', null]]);
    const months = model.sections[1]!.table;
    expect(months.rows).toHaveLength(12);
    expect(months.foot!.slice(0, 2)).toEqual(['全年合计', '1,266']);
    expect(model.sections[1]!.text).toBeUndefined();
    // a month that closed more than it took in (cases of earlier months) says why its rate passes 100 %
    const backlog = dashboard({ trend: { grain: 'month', points: [point('2013-01-01', 100, 90, 90, 80, 90, 85), point('2013-02-01', 80, 100, 90, 80, 90, 85)] } });
    const cleared = reportModel({ d: backlog, before: null, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '' })!;
    expect(cleared.sections[1]!.table.rows[1]![3]).toBe('125.0%');
    expect(cleared.sections[1]!.text).toContain('单月办结率可能超过 100%');
    // too little work to be ranked: after the ranked areas, with its score and no place
    expect(model.sections[2]!.table.rows.map((r) => r.slice(0, 2))).toEqual([['1', '中仓街道'], ['2', '新华街道'], ['—', '永顺镇']]);
    for (const s of model.sections) for (const r of s.table.rows) expect(r).toHaveLength(s.table.head.length);
    // the best grid workers are those with a place: one with a single report is left out
    expect(model.sections[6]!.table.rows.map((r) => r.slice(0, 2))).toEqual([['1', '王敏']]);
    const unplaced = reportModel({ d: dashboard({ workers: [row('team:2', '李强', 100, { reported: 1 }, null, false)] }), before: null, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '' })!;
    expect(unplaced.sections.map((s) => s.title).some((x) => x.includes('网格员'))).toBe(false);
    // with the year before: each headline figure says its change
    const before = dashboard({ figures: { values: { ...values, reported: 25_000, closed: 24_000, completion_rate: 0.96 }, score: null, grade: null } });
    const compared = reportModel({ d: dashboard(), before, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '' })!;
    expect(compared.sections[0]!.figures![0]!.change).toBe('同比 +12.7%（2012 年 25,000）');
    expect(compared.sections[0]!.text).toContain('与 2012 年相比，上报数增长 12.7%');
    // a year not over yet (the server reads it up to today): so far, against the same days of the year before
    const running = dashboard({ range: { from: '2013-01-01', to: '2013-12-03' } });
    const soFar = reportModel({ d: running, before, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '' })!;
    expect(soFar.sections[0]!.text).toMatch(/^2013 年 1 月 1 日至 12 月 3 日，通州区共受理/);
    expect(soFar.sections[0]!.text).toContain('其间派遣');
    expect(soFar.sections[0]!.text).toContain('与 2012 年同期相比，上报数增长 12.7%');
    expect(soFar.sections[0]!.figures![0]!.change).toBe('同比 +12.7%（2012 年同期 25,000）');
    expect(soFar.sections[1]!.table.foot![0]).toBe('年内合计');
    const soFarEn = reportModel({ d: running, before, year: 2013, lang: 'en', t: await translator('en'), madeAt: '' })!;
    expect(soFarEn.sections[0]!.text).toMatch(/^From 1 January to 3 December 2013, /);
    expect(soFarEn.sections[0]!.text).toContain('Against the same days of 2012: reports +12.7%');
    expect(compared.sections[1]!.table.foot![0]).toBe('全年合计');
    // in English, and nothing to report for a year without cases
    const en = reportModel({ d: dashboard(), before: null, year: 2013, lang: 'en', t: await translator('en'), madeAt: '' })!;
    expect(en.sections.map((s) => s.title).slice(0, 3)).toEqual(['I. Overview', 'II. Month by month', 'III. By street']);
    expect(reportModel({ d: dashboard({ figures: { values: { reported: 0, closed: 0 }, score: null, grade: null } }), before: null, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '' })).toBeNull();
  });

  it('writes a Word file with the title, the figures and every table', async () => {
    const model = reportModel({ d: dashboard(), before: null, year: 2013, lang: 'zh', t: await translator('zh-CN'), madeAt: '2014-01-02 09:00' })!;
    const blob = await reportDocx(model);
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    const xml = strFromU8(files['word/document.xml']!);
    expect(xml).toContain('通州区网格化社会服务管理2013年度运行报告');
    expect(xml).toContain('28,172');
    expect(xml).toContain('中仓街道');
    // one table per section, and the headline figures' own
    expect(xml.match(/<w:tbl>/g)).toHaveLength(model.sections.length + 1);
    // the header rows repeat on every page
    expect(xml.match(/<w:tblHeader\/>/g)!.length).toBeGreaterThanOrEqual(model.sections.length);
    expect(strFromU8(files['docProps/core.xml']!)).toContain(model.title);
  });
});
