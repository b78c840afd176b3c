import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitRuleOf } from '../../../shared/evaluation/drill.js';
import { INDICATOR_BY_KEY, INDICATORS, indicatorsFor } from '../../../shared/evaluation/indicators.js';
import { FLAGS, MEASURE_KEYS, MEASURES, measuresOfMark } from '../../../shared/evaluation/measures.js';
import {
  dateOfDay, dayOfDate, decomposeRange, dekadOfDay, firstDayOfDekad, firstDayOfMonth, lastDayOfDekad, lastDayOfMonth, monthOfDay, parsePeriod, previousRange, signedDecomposition, yearOfMonth,
} from '../../../shared/evaluation/periods.js';
import { DEFAULT_WEIGHTS, EvaluationWeightsSchema, gradeOf, scoreOf } from '../../../shared/evaluation/scores.js';

/** The indicator table, periods and scores: pure rules, no database. */
describe('the indicator table', () => {
  it('is documented in docs/indicators.md, every indicator by its key', () => {
    const doc = readFileSync(new URL('../../../../docs/indicators.md', import.meta.url), 'utf8');
    for (const i of INDICATORS) expect(doc, i.key).toContain(`\`${i.key}\``);
  });

  it('names measures that exist, and every measure a count shows', () => {
    for (const i of INDICATORS) {
      for (const m of [i.measure, i.num, i.den].filter(Boolean)) expect(MEASURE_KEYS, `${i.key}: ${m}`).toContain(m);
      if (i.type === 'rate') expect(i.num && i.den && i.better, i.key).toBeTruthy();
    }
    expect(indicatorsFor('worker').map((i) => i.key)).toEqual(expect.arrayContaining(['valid_rate', 'verify_on_time_rate', 'check_on_time_rate', 'missed_rate', 'score', 'grade']));
  });

  it('counts a mark in the measures of its kind and flags only', () => {
    const onTimeDispatch = measuresOfMark('dispatched', FLAGS.on_time).map((m) => MEASURE_KEYS[m.index]);
    expect(onTimeDispatch).toEqual(['dispatched', 'dispatched_on_time']);
    expect(measuresOfMark('handled', FLAGS.on_time).map((m) => [MEASURE_KEYS[m.index], m.sum])).toEqual([['handled', false], ['handled_on_time', false], ['handling_ms', true]]);
    expect(Object.keys(MEASURES)).toEqual(MEASURE_KEYS);
  });
});

describe('periods', () => {
  it('reads years, quarters, months, ISO weeks, days and ranges', () => {
    const show = (p: string) => {
      const r = parsePeriod(p);
      return r && `${dateOfDay(r.from)}..${dateOfDay(r.to)}`;
    };
    expect(show('2013')).toBe('2013-01-01..2013-12-31');
    expect(show('2013-Q2')).toBe('2013-04-01..2013-06-30');
    expect(show('2013-02')).toBe('2013-02-01..2013-02-28');
    expect(show('2026-W10')).toBe('2026-03-02..2026-03-08');
    expect(show('2013-W01')).toBe('2012-12-31..2013-01-06');
    expect(show('2013-05-06')).toBe('2013-05-06..2013-05-06');
    expect(show('2013-01-15..2013-03-31')).toBe('2013-01-15..2013-03-31');
    for (const bad of ['2013-13', '2013-02-30', '2013-W54', '2013-03-01..2013-02-01', 'last year']) expect(parsePeriod(bad), bad).toBeNull();
  });

  it('numbers dekads 1–10, 11–20, 21–end of each month', () => {
    const k = (d: string) => dekadOfDay(dayOfDate(d)!);
    expect(k('2013-02-10')).toBe(k('2013-02-01'));
    expect(k('2013-02-11')).toBe(k('2013-02-01') + 1);
    expect(k('2013-02-28')).toBe(k('2013-02-21'));
    expect(dateOfDay(lastDayOfDekad(k('2013-02-21')))).toBe('2013-02-28');
    expect(dateOfDay(firstDayOfDekad(k('2013-03-05')))).toBe('2013-03-01');
  });

  it('leaves at most ten loose days at each end, twenty in all', () => {
    // 2012-05-22 … 2015-08-30: May 22–31 and Aug 21–30 lie in 11-day dekads
    const { days } = decomposeRange({ from: dayOfDate('2012-05-22')!, to: dayOfDate('2015-08-30')! });
    expect(days.map((d) => [dateOfDay(d.from), dateOfDay(d.to)])).toEqual([['2012-05-22', '2012-05-31'], ['2015-08-21', '2015-08-30']]);
  });

  it('splits any range into whole years, months, dekads and loose days that cover it exactly once', () => {
    const start = dayOfDate('2010-01-01')!;
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 1200 }), fc.boolean(), (a, len, years) => {
      const r = { from: start + a, to: start + a + len };
      const { years: ys, months, dekads, days } = decomposeRange(r, { years });
      const covered: number[] = [];
      for (const y of ys) for (let d = dayOfDate(`${y}-01-01`)!; d <= dayOfDate(`${y}-12-31`)!; d++) covered.push(d);
      for (const m of months) for (let d = firstDayOfMonth(m); d <= lastDayOfMonth(m); d++) covered.push(d);
      for (const k of dekads) for (let d = firstDayOfDekad(k); d <= lastDayOfDekad(k); d++) covered.push(d);
      for (const span of days) for (let d = span.from; d <= span.to; d++) covered.push(d);
      covered.sort((x, y) => x - y);
      expect(covered).toEqual(Array.from({ length: len + 1 }, (_, i) => r.from + i));
      expect(days.length).toBeLessThanOrEqual(4);
      // at most 10 at each end: a month's last dekad has up to 11 days, so a range can start on its second
      // day (10 loose days before the next month) and end on its tenth (10 loose days after the last one)
      expect(days.reduce((n, d) => n + d.to - d.from + 1, 0)).toBeLessThanOrEqual(20);
      expect(dekads.length).toBeLessThanOrEqual(4 + (months.length === 0 && ys.length === 0 ? 2 : 0));
      if (!years) expect(ys).toEqual([]);
      for (const m of months) expect(ys).not.toContain(yearOfMonth(m));
      expect(monthOfDay(r.from)).toBeGreaterThan(0);
    }));
  });

  it('reads a range as periods added less periods taken away: every day inside once, every day outside never, in no more rows', () => {
    const start = dayOfDate('2010-01-01')!;
    const days = (d: ReturnType<typeof decomposeRange>) => {
      const out: number[] = [];
      for (const y of d.years) for (let x = dayOfDate(`${y}-01-01`)!; x <= dayOfDate(`${y}-12-31`)!; x++) out.push(x);
      for (const m of d.months) for (let x = firstDayOfMonth(m); x <= lastDayOfMonth(m); x++) out.push(x);
      for (const k of d.dekads) for (let x = firstDayOfDekad(k); x <= lastDayOfDekad(k); x++) out.push(x);
      for (const span of d.days) for (let x = span.from; x <= span.to; x++) out.push(x);
      return out;
    };
    const rows = (d: ReturnType<typeof decomposeRange>) => d.years.length + d.months.length + d.dekads.length + d.days.reduce((n, x) => n + x.to - x.from + 1, 0);
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 1200 }), (a, len) => {
      const r = { from: start + a, to: start + a + len };
      const { plus, minus } = signedDecomposition(r);
      const net = new Map<number, number>();
      for (const x of days(plus)) net.set(x, (net.get(x) ?? 0) + 1);
      for (const x of days(minus)) net.set(x, (net.get(x) ?? 0) - 1);
      for (const [x, n] of net) expect(n, dateOfDay(x)).toBe(x >= r.from && x <= r.to ? 1 : 0);
      for (let x = r.from; x <= r.to; x++) expect(net.get(x)).toBe(1);
      expect(rows(plus) + rows(minus)).toBeLessThanOrEqual(rows(decomposeRange(r)));
    }));
    const range = signedDecomposition({ from: dayOfDate('2025-03-15')!, to: dayOfDate('2025-11-20')! });
    expect(range.plus).toEqual({ years: [2025], months: [], dekads: [], days: [] });
    expect(range.minus.months.map((m) => m % 12)).toEqual([0, 1, 11]);
    expect(range.minus.days.map((d) => [dateOfDay(d.from), dateOfDay(d.to)])).toEqual([['2025-03-11', '2025-03-14']]);
  });
});

describe('the cases behind a rate', () => {
  it('mark their rows in the numerator where the numerator counts the listed marks or the same event\'s', () => {
    const rule = (key: string) => hitRuleOf(INDICATOR_BY_KEY.get(key)!);
    expect(rule('missed_rate')).toEqual({ flag: 'missed' });
    expect(rule('on_time_closure_rate')).toEqual({ flag: 'on_time' });
    expect(rule('handle_on_time_rate')).toEqual({ kind: 'handled', flag: 'on_time' });
    // numerators counting other events on days of their own: no row can be marked
    for (const key of ['completion_rate', 'rework_rate', 'dept_closure_rate']) expect(rule(key), key).toBeNull();
    // every rate's list is its denominator's marks
    for (const i of INDICATORS.filter((x) => x.type === 'rate' && x.drill)) {
      expect(MEASURES[i.den!].kind, i.key).toBe(i.drill!.kind);
    }
  });
});

describe('the period before (上期)', () => {
  const before = (text: string) => {
    const r = previousRange(parsePeriod(text)!);
    return `${dateOfDay(r.from)}..${dateOfDay(r.to)}`;
  };

  it('is the year, quarter, month or week before, and as many days before any other range', () => {
    expect(before('2013')).toBe('2012-01-01..2012-12-31');
    expect(before('2024-Q1')).toBe('2023-10-01..2023-12-31');
    expect(before('2024-03')).toBe('2024-02-01..2024-02-29');
    expect(before('2023-03')).toBe('2023-02-01..2023-02-28');
    expect(before('2024-02')).toBe('2024-01-01..2024-01-31');
    expect(before('2024-01-01..2025-12-31')).toBe('2022-01-01..2023-12-31');
    expect(before('2025-W10')).toBe('2025-02-24..2025-03-02');
    expect(before('2025-03-15..2025-11-20')).toBe('2024-07-07..2025-03-14');
    expect(before('2025-05-06')).toBe('2025-05-05..2025-05-05');
  });

  it('compares a period so far with the same days of the period before', () => {
    expect(before('2026-01-01..2026-12-03')).toBe('2025-01-01..2025-12-03');
    expect(before('2026-10-01..2026-12-03')).toBe('2026-07-01..2026-09-03');
    expect(before('2026-12-01..2026-12-03')).toBe('2026-11-01..2026-11-03');
    // a day the month before lacks: its last day
    expect(before('2025-03-01..2025-03-30')).toBe('2025-02-01..2025-02-28');
  });

  it('compares a period cut at today with the same stretch of the period before the one asked', () => {
    const cut = (text: string, today: string) => {
      const asked = parsePeriod(text)!;
      const r = previousRange({ from: asked.from, to: dayOfDate(today)!, asked });
      return `${dateOfDay(r.from)}..${dateOfDay(r.to)}`;
    };
    // the fourth quarter so far, in its second month: the third quarter's first month and two days
    expect(cut('2026-Q4', '2026-11-02')).toBe('2026-07-01..2026-08-02');
    expect(cut('2026-Q4', '2026-12-03')).toBe('2026-07-01..2026-09-03');
    expect(cut('2026', '2026-11-02')).toBe('2025-01-01..2025-11-02');
    expect(cut('2026-11', '2026-11-02')).toBe('2026-10-01..2026-10-02');
    // a week so far: the same weekdays of the week before, not the days just before it
    expect(cut('2026-W45', '2026-11-04')).toBe('2026-10-26..2026-10-28');
    // the first quarter so far on 31 March against the fourth quarter's third month: its last day
    expect(cut('2025-Q1', '2025-03-31')).toBe('2024-10-01..2024-12-31');
    expect(cut('2024-Q2', '2024-05-31')).toBe('2024-01-01..2024-02-29');
  });

  it('cuts the stretch before at the time of day the range is cut at, unless its month ended first', () => {
    const at = (text: string) => Date.parse(`${text.replace(' ', 'T')}:00+08:00`);
    const cut = (from: string, to: string, now: string, asked?: string) => {
      const a = asked ? parsePeriod(asked)! : undefined;
      const r = previousRange({ from: dayOfDate(from)!, to: dayOfDate(to)!, until: at(now), ...(a ? { asked: a } : {}) });
      return `${dateOfDay(r.from)}..${dateOfDay(r.to)}${r.until === undefined ? '' : ` until ${new Date(r.until + 8 * 3_600_000).toISOString().slice(0, 16)}`}`;
    };
    // today so far against yesterday to the same time; the days so far of any range likewise
    expect(cut('2026-11-03', '2026-11-03', '2026-11-03 08:00')).toBe('2026-11-02..2026-11-02 until 2026-11-02T08:00');
    expect(cut('2026-11-25', '2026-12-03', '2026-12-03 16:30')).toBe('2026-11-16..2026-11-24 until 2026-11-24T16:30');
    expect(cut('2026-11-01', '2026-11-03', '2026-11-03 10:00', '2026-11')).toBe('2026-10-01..2026-10-03 until 2026-10-03T10:00');
    expect(cut('2026-04-01', '2026-04-30', '2026-04-30 10:00', '2026-04')).toBe('2026-03-01..2026-03-31 until 2026-03-31T10:00');
    // the second quarter so far on 31 May against the first's two months: February ends before the stretch does
    expect(cut('2024-04-01', '2024-05-31', '2024-05-31 10:00', '2024-Q2')).toBe('2024-01-01..2024-02-29');
    expect(cut('2025-03-01', '2025-03-30', '2025-03-30 10:00')).toBe('2025-02-01..2025-02-28');
    // a range over before today is read whole, and so is the one before it
    expect(previousRange({ from: dayOfDate('2026-10-01')!, to: dayOfDate('2026-10-31')! }).until).toBeUndefined();
  });

  it('always ends before the range starts, as long in days or, from the first of a month, in months', () => fc.assert(fc.property(
    fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 800 }), fc.boolean(),
    (a, len, aligned) => {
      const start = dayOfDate('2015-01-01')! + a;
      const from = aligned ? firstDayOfMonth(monthOfDay(start)) : start;
      const r = { from, to: from + len };
      const p = previousRange(r);
      expect(p.from).toBeLessThanOrEqual(p.to);
      expect(p.to).toBeLessThan(r.from);
      if (from === firstDayOfMonth(monthOfDay(from))) {
        expect(monthOfDay(p.to) - monthOfDay(p.from)).toBe(monthOfDay(r.to) - monthOfDay(r.from));
        expect(monthOfDay(p.to)).toBe(monthOfDay(r.from) - 1);
      } else {
        expect(p.to - p.from).toBe(r.to - r.from);
        expect(p.to).toBe(r.from - 1);
      }
    },
  )));
});

describe('scores and grades', () => {
  it('weighs the rates, turning a "lower is better" rate around and leaving out rates without a denominator', () => {
    expect(scoreOf('worker', { valid_rate: 1, verify_on_time_rate: 0.5, check_on_time_rate: null, missed_rate: 1 / 3 }, DEFAULT_WEIGHTS)).toBeCloseTo(79.2, 1);
    expect(scoreOf('dispatcher', { dispatch_on_time_rate: null, dispatch_accuracy: null }, DEFAULT_WEIGHTS)).toBeNull();
    expect(scoreOf('department', { dept_closure_rate: 1.2, handle_on_time_rate: 1, rework_rate: 0 }, DEFAULT_WEIGHTS)).toBe(100); // rates above 1 count as 1
  });

  it('grades by the bands A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below', () => {
    expect([95, 90, 89.9, 75, 60, 59.9, 40, 39.9, null].map((s) => gradeOf(s, DEFAULT_WEIGHTS.grades))).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'D', 'E', null]);
  });

  it('refuses weights that are all zero and bands that do not fall from A to D', () => {
    expect(EvaluationWeightsSchema.safeParse(DEFAULT_WEIGHTS).success).toBe(true);
    expect(EvaluationWeightsSchema.safeParse({ ...DEFAULT_WEIGHTS, dispatcher: { dispatch_on_time_rate: 0, dispatch_accuracy: 0 } }).success).toBe(false);
    expect(EvaluationWeightsSchema.safeParse({ ...DEFAULT_WEIGHTS, grades: { A: 70, B: 75, C: 60, D: 40 } }).success).toBe(false);
  });
});
