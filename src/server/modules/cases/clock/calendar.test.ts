import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOW_SETTINGS, applyTransition } from '../../../../shared/cases/index.js';
import { actorFor } from '../../../../shared/cases/testing.js';
import {
  clockFrom, fixedClock, isWorkingDay, loadCalendarYears, loadWorkingCalendar, manualClock, systemClock, workflowEnv,
} from './index.js';

/** A folder for a test's year files, removed after the file's tests. */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-cal-'));
  made.push(dir);
  return dir;
}

describe('shipped holiday calendars', () => {
  const years = loadCalendarYears();

  it('holds 2013 and 2026, each citing its State Council notice', () => {
    expect(years.map((y) => y.year)).toEqual([2013, 2026]);
    for (const y of years) expect(y.source).toMatch(/国务院办公厅关于\d{4}年部分节假日安排的通知/);
  });

  it('has the days of each notice: 2013 seven breaks of 29 days and 12 adjusted days; 2026 33 and 6', () => {
    const [y2013, y2026] = years;
    expect([y2013!.holidays.length, y2013!.workdays.length]).toEqual([29, 12]);
    expect([y2026!.holidays.length, y2026!.workdays.length]).toEqual([33, 6]);
    expect(y2013!.holidays).toEqual(expect.arrayContaining(['2013-10-01', '2013-10-07', '2013-02-09', '2013-02-15']));
    expect(y2026!.holidays).toEqual(expect.arrayContaining(['2026-02-15', '2026-02-23', '2026-05-05']));
  });

  it('refuses a malformed year file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '2013.json'), JSON.stringify({ year: 2013, holidays: [], workdays: ['2013-10-08'], source: 'x' }));
    expect(() => loadCalendarYears(dir)).toThrow(/weekday/);
    writeFileSync(join(dir, '2013.json'), JSON.stringify({ year: 2014, holidays: [], workdays: [], source: 'x' }));
    expect(() => loadCalendarYears(dir)).toThrow(/2014/);
  });

  it('loads a folder into one calendar with the given office hours', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '2030.json'), JSON.stringify({ year: 2030, holidays: ['2030-10-01'], workdays: ['2030-10-12'], source: 'test' }));
    const cal = loadWorkingCalendar(dir, [[8 * 60, 17 * 60]]);
    expect(isWorkingDay('2030-10-01', cal)).toBe(false);
    expect(isWorkingDay('2030-10-12', cal)).toBe(true);
    expect(cal.officeHours).toEqual([[480, 1020]]);
  });
});

describe('clocks', () => {
  it('are injectable: fixed, manual, system and adapted from the platform clock', () => {
    expect(fixedClock('2013-10-08T10:00:00+08:00').now().toISOString()).toBe('2013-10-08T02:00:00.000Z');
    const m = manualClock(0);
    m.advance(3_600_000);
    expect(m.now().getTime()).toBe(3_600_000);
    m.set(new Date('2026-01-01T00:00:00Z'));
    expect(m.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(clockFrom({ now: () => 42 }).now().getTime()).toBe(42);
    expect(() => fixedClock('not a time')).toThrow(RangeError);
  });
});

describe('workflow on the real calendar', () => {
  const env = workflowEnv(loadWorkingCalendar());
  const at = (local: string) => new Date(`${local}:00+08:00`).getTime();

  it('gives a grid worker report on the eve of National Day 2013 its due times in working time', () => {
    const grid = actorFor('grid_worker');
    const street = actorFor('street_dispatcher');
    const reported = applyTransition(null, 'report', { source: 'grid_worker', level: 'street' }, grid, at('2013-09-30T17:00'), env);
    if (!reported.ok) throw new Error(reported.refusal);
    // accept: 1 working hour; half an hour left on 9-30, the rest after the holiday
    expect(reported.case.due_at).toBe(at('2013-10-08T09:30'));
    const rocking = { category_code: '01001', category_version: 1, condition_code: '01001-03', limit: { amount: 2, unit: 'working_days' as const } };
    const accepted = applyTransition(reported.case, 'accept', { filing: rocking }, street, at('2013-10-08T09:10'), env);
    if (!accepted.ok) throw new Error(accepted.refusal);
    const dispatched = applyTransition(accepted.case, 'dispatch', { department: 'SW' }, street, at('2013-10-11T17:00'), env);
    if (!dispatched.ok) throw new Error(dispatched.refusal);
    // 2 working days from Friday 10-11 17:00: the adjusted Saturday 10-12, then Monday 10-14
    expect(dispatched.case).toMatchObject({ step: 'handle', due_at: at('2013-10-14T17:30') });
    expect(DEFAULT_WORKFLOW_SETTINGS.stepLimits.accept).toEqual({ amount: 1, unit: 'working_hours' });
  });
});
