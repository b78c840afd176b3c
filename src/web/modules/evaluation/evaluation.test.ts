import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { resources } from '../../app/resources.js';
import type { Dashboard } from './api.js';
import { bandLabel, categoryBar, categoryOption, categoryRows, densityBands, drillsInto, mapRows, sourceOption, sourceRows, trendLabel, trendPeriod, trendRows } from './charts.js';
import { chartText } from './chartText.js';
import { timeLeftMs } from '../../../shared/evaluation/progress.js';
import { formatRate, formatTimeLeft, formatValue, periodText, rangeEnd } from './format.js';
import { guessField, guessFieldInAnyLanguage, headerOf, missedDelayMs } from './ImportPage.js';
import { layerMoment } from './DensityMap.js';

/** What the dashboard shows, without a browser: formats, periods, chart data, the import's column guesses. */
describe('evaluation screens', () => {
  it('says up to when a period still running is read, in Beijing time', () => {
    expect(rangeEnd({ to: '2026-12-03', until: '2026-12-03T02:42:10.000Z' })).toBe('2026-12-03 10:42');
    expect(rangeEnd({ to: '2013-12-31' })).toBe('2013-12-31');
  });

  it('looks at a running import again sooner or later, never gives up', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 30].map(missedDelayMs)).toEqual([400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });

  it('formats rates, counts and hours', () => {
    expect(formatRate(27_699 / 28_172)).toBe('98.3%');
    expect(formatRate(null)).toBe('—');
    expect(formatValue('reported', 28_172, 'zh')).toBe('28,172');
    expect(formatValue('avg_handling_hours', 30.44, 'en')).toBe('30.4');
  });

  it('turns the picker into the period the API reads', () => {
    expect(periodText('year', 2013, 1, null)).toEqual({ period: '2013' });
    expect(periodText('quarter', 2013, 2, null)).toEqual({ period: '2013-Q2' });
    expect(periodText('month', 2013, 5, null)).toEqual({ period: '2013-05' });
    expect(periodText('range', 2013, 1, ['2013-03-15', '2013-11-20'])).toEqual({ from: '2013-03-15', to: '2013-11-20' });
  });

  it('shades the density map in bands at quantiles, so a few dense areas do not wash out the rest', () => {
    const values = [0, 0.2, 0.4, 0.6, 0.8, 1, 1.5, 2, 3, 50];
    const bands = densityBands(values);
    expect(bands[0]!.min).toBe(0);
    expect(bands.at(-1)!.max).toBeGreaterThan(50);
    for (const v of values) expect(bands.filter((b) => v >= b.min && v < b.max), String(v)).toHaveLength(1);
    expect(bands.length).toBeGreaterThanOrEqual(4);
  });

  it('labels the trend and shares the sources', () => {
    expect(trendLabel('2013-05-01', 'month', 'zh')).toBe('5月');
    expect(trendLabel('2013-05-06', 'day', 'en')).toBe('05-06');
    const option = sourceOption({ sources: [{ source: 'grid_worker', reported: 3, closed: 3 }, { source: 'hotline', reported: 1, closed: 0 }] } as Dashboard, 'zh');
    expect(option.legend.formatter('网格员上报')).toBe('网格员上报  75.0%');
  });

  it('reads a CSV header and guesses the fields of columns named like them', () => {
    expect(headerOf('\uFEFF编号,"上报时间","状态, 中文"\r\n1,2,3')).toEqual(['编号', '上报时间', '状态, 中文']);
    const labels = { reported_at: '上报时间', status: '状态' } as Parameters<typeof guessField>[1];
    expect(guessField('上报时间', labels)).toBe('reported_at');
    expect(guessField('closed_at', labels)).toBe('closed_at');
    expect(guessField('备注', labels)).toBeUndefined();
    expect(guessField('所属网格', labels, { grid: '网格|网格编码|所属网格' })).toBe('grid');
    // whatever the screen's language: an older Chinese system's header, or an English one
    expect(['上报时间', '受理时间', 'Reported at', '办结时间', '处置部门', 'ticket', '备注'].map(guessFieldInAnyLanguage))
      .toEqual(['reported_at', 'reported_at', 'reported_at', 'closed_at', 'department', 'external_id', undefined]);
  });

  it('tells an import\'s time left from its rate since the phase began, once it has one', async () => {
    const first = { at: 10_000, done: 0 };
    expect(timeLeftMs(first, { at: 11_000, done: 500 }, 20_000)).toBeNull(); // under two seconds: no rate yet
    expect(timeLeftMs(first, { at: 15_000, done: 0 }, 20_000)).toBeNull(); // nothing moved
    expect(timeLeftMs(first, { at: 20_000, done: 5_000 }, 20_000)).toBe(30_000); // 500 rows a second, 15,000 to go
    expect(timeLeftMs({ at: 0, done: 4_000 }, { at: 4_000, done: 6_000 }, 6_000)).toBe(0);
    expect(formatTimeLeft(30_000, 'zh')).toBe('不到 1 分钟');
    expect(formatTimeLeft(30_000, 'en')).toBe('under a minute');
    expect(formatTimeLeft(61_000, 'zh')).toBe('约 2 分钟');
    expect(formatTimeLeft(600_000, 'en')).toBe('about 10 min');
    // as the progress line reads it, in both languages
    const i18n = i18next.createInstance();
    await i18n.init({ resources, lng: 'zh-CN', interpolation: { escapeValue: false } });
    const line = (lng: 'zh-CN' | 'en', ms: number) => {
      const t = i18n.getFixedT(lng);
      return `${t('evaluation.import.rowsDone', { done: '8,000', total: '20,000' })} · ${t('evaluation.import.timeLeft', { time: formatTimeLeft(ms, lng === 'en' ? 'en' : 'zh') })}`;
    };
    expect(line('zh-CN', 30_000)).toBe('8,000 / 20,000 行 · 预计还需不到 1 分钟');
    expect(line('en', 30_000)).toBe('8,000 / 20,000 rows · under a minute left');
    expect(line('en', 150_000)).toBe('8,000 / 20,000 rows · about 3 min left');
  });
});

describe('the density map of a past period', () => {
  const now = Date.parse('2026-12-03T10:00:00+08:00');
  it('draws the areas as they stood at the period\'s last moment, Beijing time', () => {
    expect(layerMoment({ range: { from: '2013-01-01', to: '2013-12-31' } }, now)).toBe(Date.parse('2014-01-01T00:00:00+08:00') - 1);
  });
  it('draws today\'s areas for a period still running', () => {
    expect(layerMoment({ range: { from: '2026-01-01', to: '2026-12-31' } }, now)).toBeUndefined();
    expect(layerMoment({ range: { from: '2026-12-01', to: '2026-12-03' } }, now)).toBeUndefined();
  });
});

describe('the density legend', () => {
  it('gives a band of one value as that value', () => {
    const bands = densityBands([0, 0, 15.9]);
    expect(bands.map((b) => bandLabel(b, '/km²'))).toEqual(['0.0 – 15.9 /km²', '15.9 /km²']);
    expect(bandLabel({ min: 2.4, max: 6.6 }, '件/平方公里')).toBe('2.4 – 6.6 件/平方公里');
  });
});

describe('the charts in words', () => {
  const d = {
    range: { from: '2013-01-01', to: '2013-12-31' },
    trend: { grain: 'month', points: [{ start: '2013-01-01', reported: 1200, closed: 1100 }, { start: '2013-02-01', reported: 9, closed: 0 }, { start: '2013-12-01', reported: 80, closed: 78 }] },
    sources: [{ source: 'hotline', reported: 1, closed: 0 }, { source: 'grid_worker', reported: 3, closed: 3 }],
    categories: [{ code: '01', name: '市容环境', nameEn: 'City appearance', reported: 5, closed: 4 }, { code: '02', name: '街面秩序', nameEn: 'Street order', reported: 7, closed: 6 }],
    map: { items: [{ code: 'a', name: '甲社区', reported: 3, closed: 3, density: 2.44 }, { code: 'b', name: '乙社区', reported: 9, closed: 1, density: 12.5 }, { code: 'c', name: '丙社区', reported: 0, closed: 0, density: null }] },
  } as unknown as Dashboard;

  it('gives each chart its title, its period and what stands out in its figures, in the reader\'s language', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources, lng: 'zh-CN', interpolation: { escapeValue: false } });
    const zh = i18n.getFixedT('zh-CN');
    const en = i18n.getFixedT('en');
    expect(chartText('trend', d, 'zh', zh)).toBe('案件趋势，2013-01-01 至 2013-12-31：1月上报 1,200 件、办结 1,100 件，12月上报 80 件、办结 78 件');
    expect(chartText('trend', d, 'en', en)).toBe('Cases over time, 2013-01-01 to 2013-12-31: in 2013-01, 1,200 reported and 1,100 closed; in 2013-12, 80 reported and 78 closed');
    expect(chartText('sources', d, 'zh', zh)).toBe('案件来源，2013-01-01 至 2013-12-31：共上报 4 件，最多来自网格员上报，占 75.0%');
    expect(chartText('categories', d, 'en', en)).toBe('Categories, 2013-01-01 to 2013-12-31: most in Street order, 7 reported and 6 closed');
    expect(chartText('map', d, 'zh', zh)).toBe('问题密度分布，2013-01-01 至 2013-12-31：最密集的是乙社区，每平方公里 12.5 件');
    // a period with nothing drawn says so, rather than naming a largest of nothing
    const none = { ...d, trend: { grain: 'day', points: [{ start: '2013-05-06', reported: 0, closed: 0 }] }, sources: [], categories: [], map: { items: [] } } as unknown as Dashboard;
    expect((['trend', 'sources', 'categories', 'map'] as const).map((k) => chartText(k, none, 'zh', zh))).toEqual([
      '案件趋势，2013-01-01 至 2013-12-31：没有案件', '案件来源，2013-01-01 至 2013-12-31：没有案件',
      '问题类别，2013-01-01 至 2013-12-31：没有案件', '问题密度分布，2013-01-01 至 2013-12-31：没有案件',
    ]);
    const oneDay = { ...d, trend: { grain: 'day', points: [{ start: '2013-05-06', reported: 2, closed: 1 }] } } as unknown as Dashboard;
    expect(chartText('trend', oneDay, 'en', en)).toBe('Cases over time, 2013-01-01 to 2013-12-31: in 05-06, 2 reported and 1 closed');
  });
});

describe('the charts as tables (数据表)', () => {
  const names = { reported: '上报', closed: '办结' };
  const categories = Array.from({ length: 12 }, (_, i) => ({ code: String(i + 1).padStart(2, '0'), name: `类${i + 1}`, nameEn: `Class ${i + 1}`, reported: 120 - i * 10, closed: 100 - i * 10, completionRate: null }));
  const d = {
    area: { code: '110112', name: '通州区', subject: 'district' },
    range: { from: '2013-03-15', to: '2013-06-10' },
    trend: { grain: 'month', points: [{ start: '2013-03-01', reported: 40, closed: 30 }, { start: '2013-04-01', reported: 1200, closed: 1100 }, { start: '2013-05-01', reported: 9, closed: 0 }, { start: '2013-06-01', reported: 3, closed: 3 }] },
    sources: [{ source: 'grid_worker', reported: 3, closed: 3 }, { source: 'hotline', reported: 1, closed: 0 }],
    categories,
    map: { layer: 'communities', focus: '110112', items: [
      { code: '110112001001', name: '甲社区', reported: 3, closed: 3, density: 2.44 },
      { code: '110112001002', name: '乙社区', reported: 9, closed: 1, density: 12.5 },
      { code: '110112002001', name: '丙社区', reported: 0, closed: 0, density: null },
    ] },
  } as unknown as Dashboard;

  it('gives the trend a row a period, with the figures its bar and line draw', () => {
    expect(trendRows(d, 'zh')).toEqual([
      { key: '2013-03-01', name: '3月', values: { reported: 40, closed: 30 } },
      { key: '2013-04-01', name: '4月', values: { reported: 1200, closed: 1100 } },
      { key: '2013-05-01', name: '5月', values: { reported: 9, closed: 0 } },
      { key: '2013-06-01', name: '6月', values: { reported: 3, closed: 3 } },
    ]);
  });

  it('opens a period\'s days, within the period asked, from its bar or its row', () => {
    expect(trendPeriod(d, '2013-03-01')).toEqual({ from: '2013-03-15', to: '2013-03-31' });
    expect(trendPeriod(d, '2013-04-01')).toEqual({ from: '2013-04-01', to: '2013-04-30' });
    expect(trendPeriod(d, '2013-06-01')).toEqual({ from: '2013-06-01', to: '2013-06-10' });
    expect(trendPeriod(d, '2013-07-01')).toBeNull();
  });

  it('gives the sources a row a slice, with its share as the legend says it', () => {
    expect(sourceRows(d, 'en')).toEqual([
      { key: 'grid_worker', name: expect.any(String), values: { reported: 3, share: 0.75 } },
      { key: 'hotline', name: expect.any(String), values: { reported: 1, share: 0.25 } },
    ]);
    expect(sourceRows({ sources: [{ source: 'hotline', reported: 0, closed: 1 }] }, 'zh')[0]!.values.share).toBeNull();
  });

  it('gives the categories a row a bar, largest first, the same ten the chart draws', () => {
    const rows = categoryRows(d, 'en');
    expect(rows.map((r) => r.key)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
    expect(rows[0]).toEqual({ key: '01', name: 'Class 1', values: { reported: 120, closed: 100 } });
    // the chart draws them bottom-up: its bar 0 is the tenth, its top bar the largest
    const axis = categoryOption(d, 'en', names).yAxis.data;
    expect(axis.map((_: string, i: number) => categoryBar(d, i)?.nameEn)).toEqual(axis);
    expect([categoryBar(d, 0)?.code, categoryBar(d, 9)?.code, categoryBar(d, 10), categoryBar(d, -1)]).toEqual(['10', '01', undefined, undefined]);
  });

  it('gives the map a row an area, densest first, with its reports and completion rate', () => {
    expect(mapRows(d)).toEqual([
      { key: '110112001002', name: '乙社区', values: { reported: 9, density: 12.5, completion_rate: 1 / 9 } },
      { key: '110112001001', name: '甲社区', values: { reported: 3, density: 2.44, completion_rate: 1 } },
      { key: '110112002001', name: '丙社区', values: { reported: 0, density: null, completion_rate: null } },
    ]);
  });

  it('drills into an area of the map below the one shown, not into the area itself', () => {
    expect(drillsInto(d, '110112001002')).toBe(true);
    expect([drillsInto(d, '110112'), drillsInto(d, '110113001001'), drillsInto(d, undefined)]).toEqual([false, false, false]);
    // a grid's dashboard draws its community's grids: each other grid opens, the grid itself does not
    const grid = { area: { code: '110112001001003' }, map: { layer: 'grids', focus: '110112001001003', items: [] } } as unknown as Dashboard;
    expect([drillsInto(grid, '110112001001004'), drillsInto(grid, '110112001001003'), drillsInto(grid, '110112001002001')]).toEqual([true, false, false]);
  });
});
