import { describe, expect, it } from 'vitest';
import type { LimitUnit, TimeLimit } from '../../../../shared/cases/index.js';
import {
  addLimit, isWorkingDay, loadWorkingCalendar, makeCalendar, shiftForSuspension, timingLight, workingMsBetween,
} from './index.js';

/**
 * Expected values are worked out by hand from the 2013 and 2026 State Council notices:
 * 2013: 9-19 … 9-21 off, 9-22 Sun worked; 9-28 Sat off, 9-29 Sun worked; 10-1 (Tue) … 10-7 (Mon) off,
 *       10-12 Sat worked;
 *       2-9 … 2-15 off, 2-16 Sat worked.
 * 2026: 2-14 Sat worked, 2-15 … 2-23 off; 9-20 Sun worked, 10-1 (Thu) … 10-7 off, 10-10 Sat worked.
 * Office hours 9:00–12:00 and 13:30–17:30 (7 hours a day).
 */
const cal = loadWorkingCalendar();
const at = (local: string) => new Date(`${local}:00+08:00`);
const HOUR = 3_600_000;
const due = (start: string, amount: number, unit: LimitUnit) => addLimit(at(start), { amount, unit }, cal).toISOString();
const iso = (local: string) => at(local).toISOString();

describe('working days on the holiday calendar', () => {
  it.each([
    ['2013-09-27', true], ['2013-09-28', false], ['2013-09-29', true], ['2013-10-01', false], ['2013-10-07', false],
    ['2013-10-08', true], ['2013-10-12', true], ['2013-10-13', false], ['2013-02-16', true], ['2013-02-15', false],
    ['2026-02-14', true], ['2026-02-23', false], ['2026-02-24', true], ['2026-10-10', true], ['2026-10-11', false],
  ] as const)('%s is a working day: %s', (day, expected) => {
    expect(isWorkingDay(day, cal)).toBe(expected);
  });

  it('reads an instant in Shanghai time, not UTC', () => {
    // 2013-10-07 23:30 UTC is already Tuesday 10-08 07:30 in Shanghai
    expect(isWorkingDay(new Date('2013-10-07T23:30:00Z'), cal)).toBe(true);
    expect(isWorkingDay(new Date('2013-10-07T15:59:00Z'), cal)).toBe(false);
  });
});

describe('urgent hours and calendar days: continuous', () => {
  it('counts through the night and the holiday', () => {
    expect(due('2013-09-30T16:00', 2, 'urgent_hours')).toBe(iso('2013-09-30T18:00'));
    expect(due('2013-09-30T23:00', 2, 'urgent_hours')).toBe(iso('2013-10-01T01:00'));
    expect(due('2013-09-30T23:00', 0.5, 'urgent_hours')).toBe(iso('2013-09-30T23:30'));
    expect(due('2013-09-30T16:00', 3, 'calendar_days')).toBe(iso('2013-10-03T16:00'));
  });
});

describe('working hours: office hours of working days only', () => {
  it.each([
    ['inside the morning', '2013-09-27T09:30', 2, '2013-09-27T11:30'],
    ['across the lunch break', '2013-09-27T11:00', 2, '2013-09-27T14:30'],
    ['ending exactly at noon stays at noon', '2013-09-27T10:00', 2, '2013-09-27T12:00'],
    ['ending exactly at 17:30 stays there', '2013-09-27T13:30', 4, '2013-09-27T17:30'],
    ['overnight onto the adjusted working Sunday', '2013-09-27T17:00', 1, '2013-09-29T09:30'],
    ['over National Day 2013', '2013-09-30T16:00', 4, '2013-10-08T11:30'],
    ['from inside the holiday', '2013-10-03T10:00', 1, '2013-10-08T10:00'],
    ['from before office hours', '2013-10-08T07:00', 3, '2013-10-08T12:00'],
    ['from the lunch break', '2013-10-08T12:30', 1, '2013-10-08T14:30'],
    ['onto the adjusted working Saturday', '2013-10-11T17:00', 2, '2013-10-12T10:30'],
    ['from the working Saturday over Sunday', '2013-10-12T16:00', 4, '2013-10-14T11:30'],
    ['ten whole days through the holiday', '2013-09-30T09:00', 70, '2013-10-17T17:30'],
    ['over the Spring Festival 2013', '2013-02-08T16:00', 3, '2013-02-16T10:30'],
    ['onto the working Saturday before the Spring Festival 2026', '2026-02-13T17:00', 1, '2026-02-14T09:30'],
    ['over the nine-day Spring Festival 2026', '2026-02-14T17:00', 1, '2026-02-24T09:30'],
  ] as const)('%s', (_what, start, hours, expected) => {
    expect(due(start, hours, 'working_hours')).toBe(iso(expected));
  });
});

describe('working days: end of office hours of the N-th working day after receipt', () => {
  it.each([
    ['manhole cover rocking, reported on Friday: counts the working Sunday', '2013-09-27T10:00', 2, '2013-09-30T17:30'],
    ['reported on the eve of National Day', '2013-09-30T10:00', 2, '2013-10-09T17:30'],
    ['reported after hours: received the next working day', '2013-09-30T18:00', 1, '2013-10-09T17:30'],
    ['reported at 17:30 sharp: also after hours', '2013-10-11T17:30', 1, '2013-10-14T17:30'],
    ['reported during the holiday', '2013-10-03T10:00', 1, '2013-10-09T17:30'],
    ['reported before office hours: received that day', '2013-10-11T07:00', 1, '2013-10-12T17:30'],
    ['onto the adjusted working Saturday', '2013-10-11T10:00', 1, '2013-10-12T17:30'],
    ['National Day 2026, on to the working Saturday', '2026-09-30T16:00', 3, '2026-10-10T17:30'],
    ['22 working days across the Mid-Autumn and National Day breaks', '2013-09-02T10:00', 22, '2013-10-09T17:30'],
  ] as const)('%s', (_what, start, days, expected) => {
    expect(due(start, days, 'working_days')).toBe(iso(expected));
  });

  it('refuses part days and negative amounts', () => {
    expect(() => addLimit(at('2013-10-08T10:00'), { amount: 1.5, unit: 'working_days' }, cal)).toThrow(RangeError);
    expect(() => addLimit(at('2013-10-08T10:00'), { amount: -1, unit: 'working_hours' }, cal)).toThrow(RangeError);
  });
});

describe('working time between two instants', () => {
  it('counts office time only, signed', () => {
    expect(workingMsBetween(at('2013-09-30T16:00'), at('2013-10-08T11:30'), cal)).toBe(4 * HOUR);
    expect(workingMsBetween(at('2013-10-08T11:30'), at('2013-09-30T16:00'), cal)).toBe(-4 * HOUR);
    expect(workingMsBetween(at('2013-10-08T11:00'), at('2013-10-08T14:00'), cal)).toBe(1.5 * HOUR);
    expect(workingMsBetween(at('2013-10-02T08:00'), at('2013-10-05T20:00'), cal)).toBe(0);
    // 2013 has 250 working days: 365 − 104 weekend days − 23 weekday holidays + 12 adjusted days
    expect(workingMsBetween(at('2013-01-01T00:00'), at('2014-01-01T00:00'), cal)).toBe(250 * 7 * HOUR);
    // 2026: 365 − 104 − 19 + 6 = 248
    expect(workingMsBetween(at('2026-01-01T00:00'), at('2027-01-01T00:00'), cal)).toBe(248 * 7 * HOUR);
  });
});

describe('timing light', () => {
  const start = at('2013-09-30T16:00');
  const end = at('2013-10-08T11:30'); // 4 working hours later

  it('is green, then yellow at 80% of the limit used, then red once overdue, in working time', () => {
    expect(timingLight(at('2013-10-05T12:00'), start, end, 'working_hours', cal)).toBe('green'); // 1.5 h of 4: holiday time does not count
    expect(timingLight(at('2013-10-08T10:00'), start, end, 'working_hours', cal)).toBe('green'); // 2.5 of 4
    expect(timingLight(at('2013-10-08T10:48'), start, end, 'working_hours', cal)).toBe('yellow'); // 3.3 of 4 = 82.5%
    expect(timingLight(at('2013-10-08T11:30'), start, end, 'working_hours', cal)).toBe('yellow');
    expect(timingLight(at('2013-10-08T11:31'), start, end, 'working_hours', cal)).toBe('red');
  });

  it('uses elapsed time for urgent hours, and a configurable share', () => {
    const s = at('2013-10-01T00:00');
    const d = at('2013-10-01T02:00');
    expect(timingLight(at('2013-10-01T01:35'), s, d, 'urgent_hours', cal)).toBe('green');
    expect(timingLight(at('2013-10-01T01:36'), s, d, 'urgent_hours', cal)).toBe('yellow');
    expect(timingLight(at('2013-10-01T01:00'), s, d, 'urgent_hours', cal, 0.5)).toBe('yellow');
  });
});

describe('suspension moves the due time by the paused time, in the unit', () => {
  const shift = (dueAt: string, unit: LimitUnit, from: string, to: string) =>
    shiftForSuspension(at(dueAt), unit, at(from), at(to), cal).toISOString();

  it('continuous units: by the elapsed time', () => {
    expect(shift('2013-09-30T18:00', 'urgent_hours', '2013-09-30T16:30', '2013-09-30T17:30')).toBe(iso('2013-09-30T19:00'));
    expect(shift('2013-10-03T16:00', 'calendar_days', '2013-09-30T17:00', '2013-10-02T17:00')).toBe(iso('2013-10-05T16:00'));
  });

  it('working hours: the remaining office time runs from the resumption', () => {
    // 1 working hour was left at 16:00; resumed 10-08 10:00, so due 11:00
    expect(shift('2013-09-30T17:00', 'working_hours', '2013-09-30T16:00', '2013-10-08T10:00')).toBe(iso('2013-10-08T11:00'));
  });

  it('working days: by the working days paused, a same-day pause moving nothing', () => {
    // paused from 9-30 to 10-09: 10-08 and 10-09 were lost, so two more working days
    expect(shift('2013-10-09T17:30', 'working_days', '2013-09-30T11:00', '2013-10-09T10:00')).toBe(iso('2013-10-11T17:30'));
    expect(shift('2013-10-09T17:30', 'working_days', '2013-10-08T10:00', '2013-10-08T15:00')).toBe(iso('2013-10-09T17:30'));
  });
});

describe('calendars', () => {
  it('without holiday data, counts weekends only; office hours are configurable', () => {
    const bare = makeCalendar({ officeHours: [[8 * 60, 16 * 60]] });
    expect(isWorkingDay('2013-10-01', bare)).toBe(true);
    expect(addLimit(at('2013-10-04T15:00'), { amount: 2, unit: 'working_hours' }, bare).toISOString()).toBe(iso('2013-10-07T09:00'));
  });

  it('refuses bad office hours and dates outside its range', () => {
    expect(() => makeCalendar({ officeHours: [[600, 540]] })).toThrow(RangeError);
    expect(() => makeCalendar({ officeHours: [[540, 720], [700, 800]] })).toThrow(RangeError);
    expect(() => makeCalendar({ holidays: ['2013-10-1'] })).toThrow(RangeError);
    expect(() => addLimit(at('1969-12-31T10:00'), { amount: 1, unit: 'working_hours' }, cal)).toThrow(RangeError);
  });

  it('computes 150,000 due times quickly (the demo generator does this)', () => {
    const units: TimeLimit[] = [
      { amount: 2, unit: 'urgent_hours' }, { amount: 4, unit: 'working_hours' },
      { amount: 2, unit: 'working_days' }, { amount: 15, unit: 'calendar_days' }, { amount: 70, unit: 'working_hours' },
    ];
    const base = at('2013-01-01T00:00').getTime();
    const t0 = performance.now();
    let last = 0;
    for (let i = 0; i < 150_000; i++) {
      const start = base + ((i * 7_919_113) % (365 * 24 * HOUR));
      last = addLimit(start, units[i % units.length]!, cal).getTime();
    }
    const ms = performance.now() - t0;
    console.log(`150,000 due times in ${ms.toFixed(0)} ms`);
    expect(last).toBeGreaterThan(base);
    expect(ms).toBeLessThan(3000); // generous: a shared 2-core machine; measured figure is printed
  });
});
