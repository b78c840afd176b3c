import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORCES, TEAM_ROLE_KEYS } from '../../../shared/team.js';
import { rolesOf } from './labels.js';
import { nameStreetRows, parseTeamQuery, sumCounts, teamQueryParams } from './summary.js';

describe('team counts', () => {
  it('adds every force and the total over the rows', () => {
    const rows = [
      { code: '110112001', name: '中仓街道', fulltime: 438, social: 118, professional: 111, total: 667, heads: 30 },
      { code: '110112002', name: '新华街道', fulltime: 250, social: 93, professional: 111, total: 454, heads: 25 },
    ];
    expect(sumCounts(rows)).toEqual({ fulltime: 688, social: 211, professional: 222, total: 1121, heads: 55 });
    expect(sumCounts([])).toEqual({ fulltime: 0, social: 0, professional: 0, total: 0, heads: 0 });
  });
});

describe('rows of members based at a street', () => {
  it('get the street name, marked as spanning communities', () => {
    const streets = [{ code: '110112001', name: '中仓街道', fulltime: 0, social: 0, professional: 111, total: 111, heads: 0 }];
    const rows = nameStreetRows(
      [
        { code: '110112001', name: '110112001', fulltime: 0, social: 0, professional: 33, total: 33, heads: 0 },
        { code: '110112001006', name: '悟仙观社区居委会', fulltime: 30, social: 11, professional: 2, total: 43, heads: 2 },
      ],
      streets,
      '（跨社区）',
    );
    expect(rows.map((r) => r.name)).toEqual(['中仓街道（跨社区）', '悟仙观社区居委会']);
  });
});

describe('member filters in the address', () => {
  it('reads what a grid card link carries', () => {
    expect(parseTeamQuery(new URLSearchParams('area=110112001006001'))).toEqual({ area: '110112001006001', page: 1, pageSize: 20 });
  });

  it('drops malformed values instead of sending them to be refused', () => {
    const q = parseTeamQuery(new URLSearchParams('area=abc&force=army&role=king&page=-3&q=%20%20'));
    expect(q).toEqual({ page: 1, pageSize: 20 });
  });

  it('drops a role that belongs to another force', () => {
    expect(parseTeamQuery(new URLSearchParams('force=social&role=grid_head')).role).toBeUndefined();
    expect(parseTeamQuery(new URLSearchParams('force=fulltime&role=grid_head')).role).toBe('grid_head');
  });

  it('round-trips every valid filter', () => {
    fc.assert(
      fc.property(
        fc.record({
          area: fc.option(fc.stringMatching(/^\d{6,15}$/), { nil: undefined }),
          force: fc.option(fc.constantFrom(...FORCES), { nil: undefined }),
          q: fc.option(fc.stringMatching(/^[a-z\u4e00-\u4e10]{1,10}$/), { nil: undefined }),
          page: fc.integer({ min: 1, max: 500 }),
        }),
        (query) => {
          const role = query.force ? rolesOf(query.force)[0] : fc.sample(fc.constantFrom(...TEAM_ROLE_KEYS), 1)[0];
          const full = { ...query, role, pageSize: 20 };
          const back = parseTeamQuery(teamQueryParams(full));
          for (const key of ['area', 'force', 'role', 'q', 'page'] as const) expect(back[key]).toEqual(full[key]);
        },
      ),
    );
  });
});
