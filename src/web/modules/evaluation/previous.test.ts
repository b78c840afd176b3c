import { describe, expect, it } from 'vitest';
import { hasFigures, headlineChange } from './previous.js';
import { formatChange } from './report.js';

/** The dashboard's headline against the period before: sizes, and which way is better. */
describe('the headline against the period before', () => {
  const now = { reported: 1_409, closed: 1_385, completion_rate: 0.983, handle_on_time_rate: 0.86, avg_handling_hours: 30.4, rework: 59, returned: 0 };
  const before = { reported: 1_250, closed: 1_400, completion_rate: 0.97, handle_on_time_rate: 0.88, avg_handling_hours: 32, rework: 59, returned: 4 };

  it('gives counts and hours in %, rates in points', () => {
    const reported = headlineChange('reported', now, before);
    expect(formatChange(reported, 'zh')).toBe('+12.7%');
    expect(reported).toMatchObject({ before: 1_250, verdict: 'none' });
    expect(formatChange(headlineChange('completion_rate', now, before), 'zh')).toBe('+1.3 个百分点');
    expect(formatChange(headlineChange('handle_on_time_rate', now, before), 'en')).toBe('−2.0 points');
    expect(formatChange(headlineChange('avg_handling_hours', now, before), 'zh')).toBe('−5.0%');
  });

  it('says better or worse only where a figure has a better direction', () => {
    expect(headlineChange('closed', now, before).verdict).toBe('none');
    expect(headlineChange('completion_rate', now, before).verdict).toBe('better');
    expect(headlineChange('handle_on_time_rate', now, before).verdict).toBe('worse');
    expect(headlineChange('avg_handling_hours', now, before).verdict).toBe('better');
    expect(headlineChange('returned', now, before).verdict).toBe('better');
    expect(headlineChange('rework', now, before).verdict).toBe('same');
  });

  it('has nothing to compare with a period without figures, or a count from nothing', () => {
    expect(hasFigures({ reported: 0, closed: 0 })).toBe(false);
    expect(hasFigures({ reported: 0, closed: 3 })).toBe(true);
    expect(headlineChange('returned', before, now)).toMatchObject({ delta: null, before: 0, verdict: 'none' });
    expect(headlineChange('completion_rate', now, { completion_rate: null })).toMatchObject({ delta: null, verdict: 'none' });
  });
});
