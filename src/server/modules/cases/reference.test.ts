import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/db.js';
import { migrateToLatest } from '../../db/migrator.js';
import { replaceCalendarYear, seedReferenceData } from './reference.js';

/**
 * The shipped calendar years reach a database on every start, not only its first: an upgrade that
 * ships next year's holidays brings them to an installation running since before, and a year the
 * administrators entered or cleared themselves stays as they left it.
 */
const t = useTestDatabase(async (db) => {
  await migrateToLatest(db);
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A folder of shipped calendar years, as data/calendar/ holds them. */
function shipped(years: Record<number, { holidays: string[]; workdays: string[]; breaks?: { name: string; from: string; to: string }[] }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-calendar-'));
  dirs.push(dir);
  for (const [year, days] of Object.entries(years)) writeFileSync(join(dir, `${year}.json`), JSON.stringify({ year: Number(year), ...days, source: 'test' }));
  return dir;
}

const daysOf = async (year: number) => (await t.db.selectFrom('calendar_days').select(['date', 'kind', 'name'])
  .where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).orderBy('date').execute()).map((r) => [r.date, r.kind, r.name].filter(Boolean).join(' '));

const Y2030 = { holidays: ['2030-01-01'], workdays: [] };
const Y2031 = { holidays: ['2031-01-01', '2031-01-02'], workdays: ['2031-01-05'], breaks: [{ name: '元旦', from: '2031-01-01', to: '2031-01-02' }] };

describe('shipped calendar years', () => {
  it('are taken in on first start, and a year added by an upgrade on the next; a year the administrators cleared stays cleared', async () => {
    await seedReferenceData(t.db, 1, undefined, shipped({ 2030: Y2030 }));
    expect(await daysOf(2030)).toEqual(['2030-01-01 holiday']);

    // the administrators clear 2030 (to enter it again later): the next start leaves it so
    await replaceCalendarYear(t.db, 2030, { holidays: [], workdays: [] }, 2);
    await seedReferenceData(t.db, 3, undefined, shipped({ 2030: Y2030 }));
    expect(await daysOf(2030)).toEqual([]);

    // an upgrade ships 2031: it arrives; 2030 is still as the administrators left it
    await seedReferenceData(t.db, 4, undefined, shipped({ 2030: Y2030, 2031: Y2031 }));
    // the holidays of a named break carry its name
    expect(await daysOf(2031)).toEqual(['2031-01-01 holiday 元旦', '2031-01-02 holiday 元旦', '2031-01-05 workday']);
    expect(await daysOf(2030)).toEqual([]);
  });

  it('ship the breaks\' names with their days, and refuse a break outside its year', async () => {
    await expect(seedReferenceData(t.db, 7, undefined, shipped({ 2033: { holidays: ['2033-01-01'], workdays: [], breaks: [{ name: '元旦', from: '2032-12-31', to: '2033-01-01' }] } })))
      .rejects.toThrow(/the break 元旦 \(2032-12-31 – 2033-01-01\) is not a run of days in 2033/);
    const real = await import('./clock/index.js');
    const y2026 = real.loadCalendarYears().find((y) => y.year === 2026)!;
    expect(y2026.breaks?.map((b) => b.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);
    // every holiday of the shipped years lies in a named break
    for (const y of real.loadCalendarYears()) for (const d of y.holidays) expect(y.breaks?.some((b) => b.from <= d && d <= b.to), d).toBe(true);
  });

  it('leave a year alone that a database running since before this record already holds', async () => {
    // a database of an earlier version: days of 2032 entered, no record of shipped years taken in
    await t.db.deleteFrom('settings').where('key', '=', 'calendar.shipped_years').execute();
    await replaceCalendarYear(t.db, 2032, { holidays: ['2032-10-01'], workdays: [] }, 5);
    await seedReferenceData(t.db, 6, undefined, shipped({ 2032: { holidays: ['2032-01-01', '2032-10-01', '2032-10-02'], workdays: [] } }));
    expect(await daysOf(2032)).toEqual(['2032-10-01 holiday']);
  });
});
