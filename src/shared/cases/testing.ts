import { ROLE_PERMISSIONS, type Role } from '../permissions.js';
import type { CaseActor, CaseSnapshot, DueTimeRules, Filing, WorkflowEnv } from './model.js';
import { DEFAULT_WORKFLOW_SETTINGS } from './settings.js';

/**
 * Test factories for the cases workflow, shipped with the module so the service and route tests
 * build actors and cases the same way. Every factory takes overrides.
 */

const HOUR = 3_600_000;

/**
 * Calendar-free due-time rules: hours are continuous hours and days are 24 h. Enough for the
 * workflow's own tests, which are about states, not calendars; the clock's tests use the real one.
 */
export const continuousTime: DueTimeRules = {
  addLimit: (start, { amount, unit }) => start + amount * (unit === 'urgent_hours' || unit === 'working_hours' ? HOUR : 24 * HOUR),
  shiftForSuspension: (due, _unit, from, to) => due + Math.max(0, to - from),
};

export function testEnv(overrides: Partial<WorkflowEnv> = {}): WorkflowEnv {
  return { time: continuousTime, settings: DEFAULT_WORKFLOW_SETTINGS, ...overrides };
}

/** A manhole cover gone missing: 2 urgent hours. */
export const MANHOLE_MISSING: Filing = {
  category_code: '01001',
  category_version: 1,
  condition_code: '01001-01',
  limit: { amount: 2, unit: 'urgent_hours' },
};

/** Typical grant per role: division, level or department. */
const ROLE_UNITS: Record<Role, Pick<CaseActor, 'level' | 'division_code' | 'department_code'>> = {
  admin: { level: 'district', division_code: '110112', department_code: null },
  district_dispatcher: { level: 'district', division_code: '110112', department_code: null },
  street_dispatcher: { level: 'street', division_code: '110112001', department_code: null },
  community_staff: { level: 'community', division_code: '110112001001', department_code: null },
  grid_worker: { level: 'grid', division_code: '110112001001001', department_code: null },
  department_staff: { level: null, division_code: null, department_code: 'SZ' },
  leader: { level: 'district', division_code: '110112', department_code: null },
};

export function actorFor(role: Role, overrides: Partial<CaseActor> = {}): CaseActor {
  return { id: `${role}-1`, kind: 'user', permissions: ROLE_PERMISSIONS[role], ...ROLE_UNITS[role], ...overrides };
}

export const SYSTEM_ACTOR: CaseActor = {
  id: 'system',
  kind: 'system',
  permissions: ['cases.close'],
};

export function publicActor(trackingCode: string): CaseActor {
  return { id: `public:${trackingCode}`, kind: 'public', permissions: ['cases.report'] };
}

export function caseSnapshot(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 'case-1',
    state: 'accepted',
    level: 'district',
    source: 'grid_worker',
    reported_by: 'grid_worker-1',
    category_code: MANHOLE_MISSING.category_code,
    filing: MANHOLE_MISSING,
    holder: null,
    returned_from: null,
    self_resolved_by: null,
    rework_count: 0,
    pending_request: null,
    step: 'dispatch',
    step_started_at: 0,
    step_limit: { amount: 1, unit: 'working_hours' },
    due_at: HOUR,
    suspended_at: null,
    suspended_from: null,
    closed_at: null,
    merged_into: null,
    ...overrides,
  };
}
