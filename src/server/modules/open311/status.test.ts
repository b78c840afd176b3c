import { describe, expect, it } from 'vitest';
import { findRow, OPEN_STATES, STATES, type State } from '../../../shared/cases/index.js';
import {
  EXTENDED_STATUSES, INCOMING_STATUSES, INTENT_OF_STATUS, PUBLIC_NOTES, STATUS_OF_STATE, planUpdate, specStatus,
} from './status.js';

describe('states as Open311 statuses', () => {
  it('every state has a specification status, an extended status and a public note in both languages', () => {
    for (const s of STATES) {
      expect(['open', 'closed']).toContain(specStatus(s));
      expect(EXTENDED_STATUSES).toContain(STATUS_OF_STATE[s]);
      expect(PUBLIC_NOTES[s].zh.length).toBeGreaterThan(0);
      expect(PUBLIC_NOTES[s].en.length).toBeGreaterThan(0);
    }
  });

  it('open in the specification exactly while work is owed', () => {
    expect(STATES.filter((s) => specStatus(s) === 'open')).toEqual([...OPEN_STATES]);
    expect(specStatus('closed')).toBe('closed');
    expect(specStatus('merged')).toBe('closed');
  });

  it('fixed only once a check confirmed it; a duplicate is a duplicate; a withdrawn report is closed', () => {
    expect(STATES.filter((s) => STATUS_OF_STATE[s] === 'fixed')).toEqual(['checked', 'closed', 'archived']);
    expect(STATUS_OF_STATE.pending_check).toBe('in_progress');
    expect(STATUS_OF_STATE.merged).toBe('duplicate');
    expect(STATUS_OF_STATE.cancelled).toBe('closed');
    expect(STATUS_OF_STATE.rejected).toBe('no_further_action');
  });

  it('every incoming status has an intent', () => {
    for (const s of INCOMING_STATUSES) expect(INTENT_OF_STATUS[s]).toBeDefined();
  });
});

describe('posted statuses brought back into the loop', () => {
  /** Follows a plan through the transition table; null when some step has no row. */
  function walk(from: State, actions: readonly string[]): State | null {
    let at: State = from;
    for (const a of actions) {
      const row = findRow(a as never, at);
      if (!row) return null;
      // the only targets a plan passes through are fixed states or the reopen target (rework)
      at = row.to === 'same' ? at : row.to === 'rework_target' ? 'rework' : (row.to as State);
    }
    return at;
  }

  it('every plan, for every status and state, is a path the transition table allows', () => {
    for (const status of INCOMING_STATUSES) {
      for (const state of STATES) {
        const plan = planUpdate(status, state);
        if (plan.kind === 'act') expect(walk(state, plan.actions), `${status} on ${state}`).not.toBeNull();
        if (plan.kind === 'note') expect(findRow('comment', state), `${status} on ${state} as a note`).toBeDefined();
      }
    }
  });

  it('FIXED and CLOSED: withdraw an unaccepted report, pass the check and close a handled one', () => {
    for (const s of ['FIXED', 'CLOSED'] as const) {
      expect(planUpdate(s, 'pending_verification')).toEqual({ kind: 'act', actions: ['reject'] });
      expect(planUpdate(s, 'pending_acceptance')).toEqual({ kind: 'act', actions: ['reject'] });
      expect(planUpdate(s, 'pending_check')).toEqual({ kind: 'act', actions: ['check_pass', 'close'] });
      expect(planUpdate(s, 'checked')).toEqual({ kind: 'act', actions: ['close'] });
      expect(walk('pending_check', ['check_pass', 'close'])).toBe('closed');
    }
  });

  it('while a body handles the case, the reporter cannot declare it fixed: a note for the holder', () => {
    for (const state of ['accepted', 'returned', 'dispatched', 'handling', 'rework', 'suspended'] as const) {
      expect(planUpdate('FIXED', state)).toEqual({ kind: 'note' });
    }
  });

  it('REOPEN reopens a closed case, and OPEN does too (clients that know only OPEN and CLOSED)', () => {
    expect(planUpdate('REOPEN', 'closed')).toEqual({ kind: 'act', actions: ['reopen'] });
    expect(planUpdate('OPEN', 'closed')).toEqual({ kind: 'act', actions: ['reopen'] });
    expect(planUpdate('REOPEN', 'handling')).toEqual({ kind: 'note' });
    for (const state of ['archived', 'rejected', 'cancelled', 'merged'] as const) {
      expect(planUpdate('REOPEN', state).kind).toBe('refuse');
      expect(planUpdate('OPEN', state).kind).toBe('refuse');
    }
  });

  it('a status that only echoes is a note on an open case and nothing on a closed one', () => {
    expect(planUpdate('IN_PROGRESS', 'handling')).toEqual({ kind: 'note' });
    expect(planUpdate('IN_PROGRESS', 'closed')).toEqual({ kind: 'already' });
    expect(planUpdate('FIXED', 'closed')).toEqual({ kind: 'already' });
    expect(planUpdate('DUPLICATE', 'merged')).toEqual({ kind: 'already' });
  });

  it('NOT_COUNCILS_RESPONSIBILITY and NO_FURTHER_ACTION withdraw only an unaccepted report', () => {
    expect(planUpdate('NOT_COUNCILS_RESPONSIBILITY', 'pending_acceptance')).toEqual({ kind: 'act', actions: ['reject'] });
    expect(planUpdate('NO_FURTHER_ACTION', 'dispatched')).toEqual({ kind: 'note' });
  });
});
