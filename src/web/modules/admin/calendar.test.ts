import { describe, expect, it } from 'vitest';
import { bodyOf, breaksOf, choicesOf, clockOf, countsOf, mark, marksOf, minutesOf, monthWeeks, nameBreak, officeHoursOf, sameMarks, weekdayOf } from './calendar.js';

describe('the working calendar screen', () => {
  it('prints a month as weeks from Monday', () => {
    // 2027-01-01 is a Friday; February 2027 starts on a Monday and has four whole weeks
    const jan = monthWeeks(2027, 1);
    expect(jan[0]).toEqual([null, null, null, null, '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(jan.at(-1)).toEqual(['2027-01-25', '2027-01-26', '2027-01-27', '2027-01-28', '2027-01-29', '2027-01-30', '2027-01-31']);
    expect(monthWeeks(2027, 2)).toHaveLength(4);
    expect(monthWeeks(2024, 2).flat().filter(Boolean)).toHaveLength(29);
    expect(weekdayOf('2026-12-03')).toBe(3);
  });

  it('offers a weekend day as a working day, a weekday only as a holiday', () => {
    expect(choicesOf('2027-01-01')).toEqual(['holiday']);
    expect(choicesOf('2027-01-02')).toEqual(['holiday', 'workday']);
  });

  it('counts the working days as the server does: weekdays, less holidays, plus adjusted working days', () => {
    const none = marksOf({ holidays: [], workdays: [] });
    expect(countsOf(2027, none)).toEqual({ workingDays: 261, holidays: 0, workdays: 0 });
    let m = mark(none, '2027-01-01', 'holiday');
    m = mark(m, '2027-01-02', 'holiday');
    m = mark(m, '2027-01-04', 'holiday');
    m = mark(m, '2027-01-09', 'workday');
    // two weekdays off, one Saturday worked
    expect(countsOf(2027, m)).toEqual({ workingDays: 260, holidays: 3, workdays: 1 });
    expect(countsOf(2027, mark(m, '2027-01-09', null)).workingDays).toBe(259);
  });

  it('names a break once: a day marked beside a named one takes its name, and renaming a break names every day of it', () => {
    let m = marksOf({ holidays: [{ date: '2027-02-06', name: '春节' }], workdays: [] });
    m = mark(m, '2027-02-07', 'holiday');
    m = mark(m, '2027-02-09', 'holiday');
    expect(breaksOf(m)).toEqual([{ from: '2027-02-06', to: '2027-02-07', days: 2, name: '春节' }, { from: '2027-02-09', to: '2027-02-09', days: 1, name: null }]);
    m = mark(m, '2027-02-08', 'holiday');
    expect(breaksOf(m)).toEqual([{ from: '2027-02-06', to: '2027-02-09', days: 4, name: '春节' }]);
    m = nameBreak(m, { from: '2027-02-06', to: '2027-02-09' }, ' Spring Festival ');
    expect(bodyOf(m).holidays).toEqual(['06', '07', '08', '09'].map((d) => ({ date: `2027-02-${d}`, name: 'Spring Festival' })));
    expect(bodyOf(nameBreak(m, { from: '2027-02-06', to: '2027-02-09' }, '  ')).holidays[0]).toEqual({ date: '2027-02-06' });
  });

  it('sends both lists in date order and tells a change from none', () => {
    const saved = marksOf({ holidays: [{ date: '2027-10-01', name: '国庆节' }], workdays: [{ date: '2027-09-26', name: null }] });
    const edited = mark(mark(saved, '2027-05-01', 'holiday'), '2027-09-26', null);
    expect(bodyOf(edited)).toEqual({ holidays: [{ date: '2027-05-01' }, { date: '2027-10-01', name: '国庆节' }], workdays: [] });
    expect(sameMarks(saved, edited)).toBe(false);
    expect(sameMarks(saved, mark(mark(edited, '2027-05-01', null), '2027-09-26', 'workday'))).toBe(true);
    expect(sameMarks(saved, nameBreak(saved, { from: '2027-10-01', to: '2027-10-01' }, '国庆'))).toBe(false);
  });
});

describe('office hours on the screen', () => {
  it('reads HH:mm, a full-width colon too, and refuses anything else', () => {
    expect(minutesOf('09:00')).toBe(540);
    expect(minutesOf(' 13：30 ')).toBe(810);
    expect(minutesOf('24:00')).toBe(1440);
    for (const bad of ['9', '09:60', '24:01', '25:00', 'nine', '']) expect(minutesOf(bad), bad).toBeNull();
    expect(clockOf(810)).toBe('13:30');
  });

  it('takes periods in order that do not overlap, and says which row is wrong otherwise', () => {
    expect(officeHoursOf([{ from: '09:00', to: '12:00' }, { from: '13:30', to: '17:30' }])).toEqual({ hours: [[540, 720], [810, 1050]] });
    expect(officeHoursOf([])).toEqual({ problem: 'none' });
    expect(officeHoursOf([{ from: '09:00', to: '12:00' }, { from: '11:00', to: '17:00' }])).toEqual({ problem: 'order', row: 1 });
    expect(officeHoursOf([{ from: '12:00', to: '09:00' }])).toEqual({ problem: 'order', row: 0 });
    expect(officeHoursOf([{ from: '09:00', to: '12:00' }, { from: '1:3', to: '17:00' }])).toEqual({ problem: 'time', row: 1 });
  });
});
