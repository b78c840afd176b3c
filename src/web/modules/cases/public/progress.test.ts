import { describe, expect, it } from 'vitest';
import { ACTIONS, STATES, TRANSITIONS } from '../../../../shared/cases/workflow.js';
import { MILESTONES, normaliseTrackingCode, phraseOf, progressOf } from './progress.js';

describe('resident progress', () => {
  it('places every state on the four steps, and only ends off the path carry an outcome', () => {
    for (const s of STATES) {
      const p = progressOf(s);
      expect(p.step).toBeGreaterThanOrEqual(0);
      expect(p.step).toBeLessThan(MILESTONES.length);
      if (p.outcome === null) expect(['rejected', 'cancelled', 'merged', 'suspended']).not.toContain(p.status);
    }
    expect(progressOf('pending_verification')).toMatchObject({ step: 0, status: 'reviewing' });
    expect(progressOf('dispatched')).toMatchObject({ step: 2, status: 'handling' });
    expect(progressOf('closed')).toMatchObject({ step: 3, status: 'done' });
    expect(progressOf('rejected').outcome).toBe('rejected');
  });

  it('never moves a resident backwards along the main path of the loop', () => {
    const main = ['pending_verification', 'pending_acceptance', 'accepted', 'dispatched', 'handling', 'pending_check', 'checked', 'closed'] as const;
    const steps = main.map((s) => progressOf(s).step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('has resident words for every action that changes the state', () => {
    const moving = new Set(TRANSITIONS.filter((r) => r.to !== 'same').map((r) => r.action));
    for (const a of ACTIONS) if (moving.has(a)) expect(phraseOf(a), a).not.toBe('other');
  });

  it('reads tracking codes typed loosely', () => {
    expect(normaliseTrackingCode(' abcd-efgh 23 ')).toBe('ABCDEFGH23');
    expect(normaliseTrackingCode('ABC')).toBeNull();
    expect(normaliseTrackingCode('ABCDEFGH2!')).toBeNull();
  });
});
