import { describe, expect, it } from 'vitest';
import type { Dashboard, TrendPoint } from './api.js';
import { categoryShares, changesOf, comparisonSentence, formatChange, monthRows, sourceShares, summaryOf } from './report.js';

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
