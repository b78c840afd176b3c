import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api.js';
import { MERGE_REFUSALS } from '../../../shared/geo.js';
import type { Division, DivisionDetail } from '../divisions/api.js';
import { en, zh } from './locale.js';
import { communityNamed, mergeGroupsOf, mergeRefusalOf, namedCommunities, streetsOf } from './merge.js';

const division = (code: string, name: string): Division => ({
  code, name, level: code.length === 9 ? 20 : 10, parentCode: code.length === 12 ? code.slice(0, 9) : null, childCount: 1, areaM2: null,
} as Division);
const detail = (street: Division, children: Division[]): DivisionDetail => ({ division: street, path: [], children, parent: null, rename: 'allowed' });
const feature = (community: unknown) => ({ type: 'Feature', properties: { code: 'x', community_code: community } });

describe('community merge on the grid import page', () => {
  it('reads the communities a file draws, each once, ignoring what is not a community code', () => {
    const collection = { features: [feature('110112001006'), feature('110112001006'), feature('110112002001'), feature(110112001011), feature('1101120010'), null, {}] };
    expect(namedCommunities(collection)).toEqual(['110112001006', '110112002001']);
    expect(streetsOf(namedCommunities(collection))).toEqual(['110112001', '110112002']);
  });

  it('offers the other communities in use of the file\'s streets, grouped by street; a street not found offers nothing', () => {
    const zhongcang = division('110112001', '中仓街道');
    const groups = mergeGroupsOf([
      detail(zhongcang, [division('110112001006', '悟仙观社区'), division('110112001011', '白将军社区')]),
      detail(division('110112002', '新华街道'), [division('110112002001', '天桥湾社区')]), // only the file's own community
      null,
    ], ['110112001006', '110112002001']);
    expect(groups).toEqual([{ street: zhongcang, communities: [division('110112001011', '白将军社区')] }]);
    expect(communityNamed(groups, '110112001011')?.name).toBe('白将军社区');
    expect(communityNamed(groups, '110112001099')).toBeUndefined();
  });

  it('tells a refused merge, with its reason and community, from any other error', () => {
    const refused = new ApiError(400, 'validation_failed', 'Community 110112001011 is already retired.', { field: 'mergeCommunities', reason: 'retired', code: '110112001011' });
    expect(mergeRefusalOf(refused)).toEqual({ reason: 'retired', code: '110112001011', message: 'Community 110112001011 is already retired.' });
    // a reason this page does not know: the server's message is shown
    expect(mergeRefusalOf(new ApiError(400, 'validation_failed', 'm', { field: 'mergeCommunities', reason: 'later' }))).toEqual({ reason: null, code: null, message: 'm' });
    expect(mergeRefusalOf(new ApiError(400, 'validation_failed', 'm', { field: 'divisionCode' }))).toBeNull();
    expect(mergeRefusalOf(new ApiError(422, 'import_failed', 'm', { problems: [] }))).toBeNull();
    expect(mergeRefusalOf(new Error('offline'))).toBeNull();
  });

  it('has words for every reason the server gives, in both languages', () => {
    for (const reason of MERGE_REFUSALS) {
      expect(zh.grids.mergeReasons[reason]).toMatch(/\S/);
      expect(en.grids.mergeReasons[reason]).toMatch(/\S/);
    }
  });
});
