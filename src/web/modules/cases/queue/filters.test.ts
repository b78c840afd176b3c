import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasFilters, listQuery, parseView, serializeView, withFilter, type QueueView } from './filters.js';

const parse = (qs: string) => parseView(new URLSearchParams(qs));

describe('queue filters in the address', () => {
  it('reads known values and drops unknown or malformed ones', () => {
    const v = parse('queue=to_dispatch&state=accepted,bogus,returned&light=red&street=110112001&community=123&department=CG&source=resident&from=2026-11-01&to=2026-1-2&page=3&pageSize=100&q=%20井盖%20');
    expect(v).toMatchObject({
      view: 'list', queue: 'to_dispatch', state: ['accepted', 'returned'], light: 'red', street: '110112001', department: 'CG',
      source: ['resident'], from: '2026-11-01', page: 3, pageSize: 100, q: '井盖',
    });
    expect(v.community).toBeUndefined();
    expect(v.to).toBeUndefined();
    expect(parse('queue=nope&light=blue&pageSize=7&page=-2&department=cg')).toMatchObject({ queue: undefined, light: undefined, pageSize: undefined, page: undefined, department: undefined });
  });

  it('round-trips every view it writes', () => {
    const view = fc.record({
      view: fc.constantFrom('list', 'map'),
      queue: fc.option(fc.constantFrom('to_verify', 'to_dispatch', 'approvals'), { nil: undefined }),
      state: fc.option(fc.subarray(['accepted', 'returned', 'handling'], { minLength: 1 }), { nil: undefined }),
      light: fc.option(fc.constantFrom('green', 'yellow', 'red'), { nil: undefined }),
      grid: fc.option(fc.stringMatching(/^\d{15}$/), { nil: undefined }),
      q: fc.option(fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.trim()).filter((s) => s.length > 0), { nil: undefined }),
      page: fc.option(fc.integer({ min: 2, max: 500 }), { nil: undefined }),
      sort: fc.option(fc.constantFrom('due_at', 'number'), { nil: undefined }),
      order: fc.option(fc.constantFrom('asc', 'desc'), { nil: undefined }),
    }) as fc.Arbitrary<QueueView>;
    fc.assert(
      fc.property(view, (v) => {
        const back = parseView(serializeView(v));
        for (const [k, value] of Object.entries(v)) if (value !== undefined) expect(back[k as keyof QueueView]).toEqual(value);
      }),
    );
  });

  it('works a queue by due time, soonest first, and a search by newest first', () => {
    expect(listQuery(parse('queue=to_handle'))).toMatchObject({ sort: 'due_at', order: 'asc', page: 1, pageSize: 50 });
    expect(listQuery(parse('status=open'))).toMatchObject({ sort: 'due_at', order: 'asc' });
    expect(listQuery(parse('state=dispatched,handling'))).toMatchObject({ sort: 'due_at', order: 'asc' });
    expect(listQuery(parse('state=handling,closed'))).toMatchObject({ sort: 'created_at', order: 'desc' });
    expect(listQuery(parse('q=abc'))).toMatchObject({ sort: 'created_at', order: 'desc' });
    expect(listQuery(parse('queue=to_handle&sort=number'))).toMatchObject({ sort: 'number', order: 'desc' });
    expect(listQuery(parse('view=map'))).not.toHaveProperty('view');
  });

  it('goes back to page 1 when a filter changes, and knows when filters are set', () => {
    const v = parse('queue=to_check&page=4');
    expect(withFilter(v, { light: 'red' }).page).toBeUndefined();
    expect(withFilter(v, { page: 5 }).page).toBe(5);
    expect(hasFilters(v)).toBe(false);
    expect(hasFilters(withFilter(v, { light: 'red' }))).toBe(true);
  });
});
