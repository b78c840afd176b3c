import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../../shared/permissions.js';
import {
  ACTIONS, NEW, allowedActions, applyTransition, replay, type ActionInput, type CaseSnapshot, type ReplayEvent,
} from '../../../../shared/cases/index.js';
import { actorFor, MANHOLE_MISSING, SYSTEM_ACTOR } from '../../../../shared/cases/testing.js';
import { dayOf, isWorkingDay, msOfDay, startOfDay } from './calendar.js';
import { addLimit, loadWorkingCalendar, shiftForSuspension, timingLight, workflowEnv, workingMsBetween } from './index.js';

const cal = loadWorkingCalendar();
const HOUR = 3_600_000;
const MIN = 60_000;
const FROM = Date.parse('2013-01-01T00:00:00+08:00');
const TO = Date.parse('2013-12-20T00:00:00+08:00');
/** Any minute of 2013, the year of the seed and of the shipped calendar. */
const instant = fc.integer({ min: 0, max: (TO - FROM) / MIN }).map((m) => FROM + m * MIN);
const inOffice = (t: number) => [[540, 720], [810, 1050]].some(([s, e]) => msOfDay(t) >= s! * MIN && msOfDay(t) <= e! * MIN);

describe('due-time properties on the 2013 calendar (fast-check)', () => {
  it('working hours: exactly N office hours pass, and not a minute earlier', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 }), (start, quarters) => {
        const ms = quarters * 15 * MIN;
        const due = addLimit(start, { amount: ms / HOUR, unit: 'working_hours' }, cal).getTime();
        expect(workingMsBetween(start, due, cal)).toBe(ms);
        expect(workingMsBetween(start, due - MIN, cal)).toBeLessThan(ms);
        expect(isWorkingDay(due, cal) && inOffice(due)).toBe(true);
      }),
      { numRuns: 2000, seed: 1 },
    );
  });

  it('working days: due at 17:30 on a working day, N to N+1 office days away', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 }), (start, n) => {
        const due = addLimit(start, { amount: n, unit: 'working_days' }, cal).getTime();
        expect(isWorkingDay(due, cal)).toBe(true);
        expect(due - startOfDay(dayOf(due))).toBe(17.5 * HOUR);
        const w = workingMsBetween(start, due, cal);
        expect(w).toBeGreaterThanOrEqual(n * 7 * HOUR);
        expect(w).toBeLessThanOrEqual((n + 1) * 7 * HOUR);
      }),
      { numRuns: 2000, seed: 2 },
    );
  });

  it('suspension keeps the working time that was left', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 20 * 24 * 60 }),
        (start, hours, pausePct, pauseMin) => {
          const due = addLimit(start, { amount: hours / 4, unit: 'working_hours' }, cal).getTime();
          const from = start + Math.floor(((due - start) * pausePct) / 100);
          const to = from + pauseMin * MIN;
          const moved = shiftForSuspension(due, 'working_hours', from, to, cal).getTime();
          expect(workingMsBetween(to, moved, cal)).toBe(workingMsBetween(from, due, cal));
          expect(moved).toBeGreaterThanOrEqual(due);
        }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it('the light is red exactly when overdue, and never goes back from yellow to green', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 60 * 24 * 30 }), (start, hours, after) => {
        const due = addLimit(start, { amount: hours, unit: 'working_hours' }, cal).getTime();
        const now = start + after * MIN;
        const light = timingLight(now, start, due, 'working_hours', cal);
        expect(light === 'red').toBe(now > due);
        if (light === 'yellow') expect(timingLight(now + 10 * MIN, start, due, 'working_hours', cal)).not.toBe('green');
      }),
      { numRuns: 1000, seed: 4 },
    );
  });
});

describe('workflow on the real calendar (fast-check)', () => {
  const env = workflowEnv(cal);
  const actors = [...ROLES.map((r) => actorFor(r)), actorFor('grid_worker', { id: 'grid_worker-2' }), SYSTEM_ACTOR];
  const input = (now: number, dueIn: number): ActionInput => ({
    source: 'grid_worker', level: 'street', filing: MANHOLE_MISSING, reason: 'r', comment: 'c', department: 'SZ',
    division: '110112001001', photos: ['p'], photos_before: ['b'], photos_after: ['a'], due_at: now + dueIn * HOUR,
    original_case_id: 'case-0',
  });

  it('replays to the same state and due times', () => {
    fc.assert(
      fc.property(
        instant,
        fc.array(fc.record({ pick: fc.nat(999), advance: fc.integer({ min: 0, max: 5 * 24 * 60 }), dueIn: fc.integer({ min: 1, max: 300 }) }), { maxLength: 40 }),
        (start, steps) => {
          let c: CaseSnapshot | null = null;
          let now = start;
          const events: ReplayEvent[] = [];
          for (const s of steps) {
            now += s.advance * MIN;
            const offered = actors.flatMap((a) => allowedActions(c ? c.state : NEW, { case: c, actor: a, now, env }, a.permissions).map((action) => ({ a, action })));
            const { a, action } = offered[s.pick % offered.length] ?? { a: actors[0]!, action: ACTIONS[0] };
            const r = applyTransition(c, action, input(now, s.dueIn), a, now, env);
            if (!r.ok) continue;
            if (r.case.due_at !== null) expect(r.case.due_at).toBeGreaterThanOrEqual(r.case.step_started_at!);
            events.push(r.event);
            c = r.case;
          }
          expect(replay(events, env)).toEqual(c);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
