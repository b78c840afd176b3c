import { describe, expect, it } from 'vitest';
import { ACTIONS, TRANSITIONS } from '../../../../shared/cases/workflow.js';
import { actionTone, formFields, levelOfDivision, orderActions } from './actionForm.js';

describe('action forms', () => {
  it('ask for exactly the fields the transition table requires', () => {
    expect(formFields('dispatch', 'accepted')).toEqual(['department']);
    expect(formFields('assign', 'returned')).toEqual(['division']);
    expect(formFields('accept', 'pending_acceptance')).toEqual(['filing']);
    expect(formFields('feedback', 'rework')).toEqual(['comment', 'photos']);
    expect(formFields('request_postpone', 'handling')).toEqual(['due_at', 'reason']);
    expect(formFields('check_fail', 'pending_check')).toEqual(['reason']);
    expect(formFields('claim', 'dispatched')).toEqual([]);
    expect(formFields('close', 'checked')).toEqual([]);
    expect(formFields('merge', 'accepted')).toEqual(['original_case_id']);
    // not allowed from this state: nothing to ask
    expect(formFields('feedback', 'closed')).toEqual([]);
  });

  it('cover every required field of every row on an existing case', () => {
    for (const row of TRANSITIONS) {
      for (const from of row.from) {
        if (from === 'new') continue;
        const shown = new Set(formFields(row.action, from));
        for (const field of row.requires ?? []) {
          const expected = field === 'level' ? 'division' : field;
          expect(shown.has(expected as never), `${row.action} from ${from} needs ${field}`).toBe(true);
        }
      }
    }
  });

  it('puts the way forward first and the refusals last', () => {
    expect(orderActions(['refuse_return', 'urge', 'dispatch'])).toEqual(['dispatch', 'urge', 'refuse_return']);
    for (const a of ACTIONS) expect(['primary', 'danger', 'default']).toContain(actionTone(a));
  });

  it('reads the level from a division code', () => {
    expect(levelOfDivision('110112001')).toBe('street');
    expect(levelOfDivision('110112001006')).toBe('community');
    expect(levelOfDivision('110112')).toBeNull();
  });
});
