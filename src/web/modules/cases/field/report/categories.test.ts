import { describe, expect, it } from 'vitest';
import { flatten, MAX_RECENT, pushRecent, searchCategories } from './categories.js';

const tree = {
  version: 1,
  classes: [
    {
      code: '01', kind: 'component', name_zh: '市政公用设施', name_en: 'Public utilities',
      subcategories: [
        { code: '01001', name_zh: '供水井盖', name_en: 'Water manhole cover' },
        { code: '01003', name_zh: '雨水井盖', name_en: 'Storm drain cover' },
        { code: '01037', name_zh: '路灯', name_en: 'Street light' },
      ],
    },
    {
      code: '06', kind: 'event', name_zh: '市容环境', name_en: 'City appearance',
      subcategories: [
        { code: '06010', name_zh: '暴露垃圾', name_en: 'Exposed rubbish' },
        { code: '06042', name_zh: '垃圾满溢', name_en: 'Overflowing bin' },
      ],
    },
  ],
};
const options = flatten(tree);

describe('category search', () => {
  it('finds by Chinese name, English name, class and code', () => {
    expect(searchCategories(options, '井盖').map((o) => o.code)).toEqual(['01001', '01003']);
    expect(searchCategories(options, 'street').map((o) => o.code)).toEqual(['01037']);
    expect(searchCategories(options, '市容').map((o) => o.code)).toEqual(['06010', '06042']);
    expect(searchCategories(options, '0604').map((o) => o.code)).toEqual(['06042']);
  });

  it('puts names that start with the query before names that contain it', () => {
    expect(searchCategories(options, '垃圾').map((o) => o.code)).toEqual(['06042', '06010']);
  });

  it('needs every word to match, and ignores case and spaces', () => {
    expect(searchCategories(options, 'STORM cover').map((o) => o.code)).toEqual(['01003']);
    expect(searchCategories(options, 'storm 垃圾')).toEqual([]);
    expect(searchCategories(options, '  ')).toHaveLength(options.length);
  });
});

describe('recent categories', () => {
  it('moves the chosen one to the front without repeating it, up to the limit', () => {
    let recent: string[] = [];
    for (const code of ['a', 'b', 'c', 'a', 'd', 'e', 'f', 'g', 'h']) recent = pushRecent(recent, code);
    expect(recent).toEqual(['h', 'g', 'f', 'e', 'd', 'a']);
    expect(recent).toHaveLength(MAX_RECENT);
  });
});
