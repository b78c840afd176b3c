import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/db.js';
import { migrateToLatest } from '../../db/migrator.js';
import { AppError } from '../../platform/errors.js';
import { importDivisions, parseDivisionCsv } from './divisions.import.js';

/** The division list an operator imports first: every problem named, and a mistyped parent refused. */
const t = useTestDatabase(async (db) => {
  await migrateToLatest(db);
});

describe('the division list', () => {
  it('names every problem of a file, with the levels it knows', () => {
    const { problems } = parseDivisionCsv([
      'level,code,name,parent_code',
      'town,110112001,中仓街道,110112',
      'street,11011200,短码街道,110112',
      'community,110112001006,甲,乙社区,110112001',
    ].join('\n'));
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[0]!.reason).toMatch(/unknown level "town" \(one of city, district, street/);
    expect(problems[2]!.reason).toMatch(/expected 4 columns, found 5 \(quote a name that holds a comma/);
  });

  it('reads names quoted as CSV writes them, a comma, a quote or a line break inside', () => {
    const { records, problems } = parseDivisionCsv([
      'level,code,name,parent_code',
      'street,110112001,中仓街道,110112',
      'community,110112001006,"甲,乙社区",110112001',
      'community,110112001007,"""新华""社区",110112001',
      '',
      'community,110112001008,  丙社区  ,110112001\r',
    ].join('\n'));
    expect(problems).toEqual([]);
    expect(records.map((r) => r.name)).toEqual(['中仓街道', '甲,乙社区', '"新华"社区', '丙社区']);
    // a quote left open names the line it starts on, and nothing is read
    const open = parseDivisionCsv('level,code,name,parent_code\nstreet,110112001,中仓街道,110112\ncommunity,110112001006,"甲社区,110112001\n');
    expect(open).toEqual({ records: [], problems: [{ line: 3, reason: 'a quoted field is not closed' }] });
  });

  it('takes a district whose city is not stored, and refuses a street whose parent is unknown', async () => {
    const ok = parseDivisionCsv('level,code,name,parent_code\ndistrict,110112,通州区,1101\nstreet,110112001,中仓街道,110112\n');
    expect(ok.problems).toEqual([]);
    expect(await importDivisions(t.db, ok.records, 1)).toEqual({ inserted: 2, updated: 0 });
    // a mistyped parent code: 110188 is no division here
    const typo = parseDivisionCsv('level,code,name,parent_code\nstreet,110188003,错码街道,110188\n');
    expect(typo.problems).toEqual([]);
    const refused = await importDivisions(t.db, typo.records, 2).then(() => null, (e: AppError) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused!.details).toEqual({ problems: [{ line: 0, reason: 'parent 110188 of 110188003 is unknown' }] });
    expect(await t.db.selectFrom('divisions').select('code').where('code', '=', '110188003').execute()).toEqual([]);
  });
});
