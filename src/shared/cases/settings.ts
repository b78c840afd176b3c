import type { WorkflowSettings } from './model.js';

/**
 * Default limits for the steps around the handling itself (whose limit comes from the filing
 * condition). These are local practice, not national standard: district centres commonly give
 * 核实 and 核查 a couple of working hours, 立案 and 派遣 one, and close within a working day.
 * Deployments override them in config.
 */
export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  stepLimits: {
    verify: { amount: 2, unit: 'working_hours' },
    accept: { amount: 1, unit: 'working_hours' },
    dispatch: { amount: 1, unit: 'working_hours' },
    handle: { amount: 5, unit: 'working_days' },
    check: { amount: 2, unit: 'working_hours' },
    close: { amount: 1, unit: 'working_days' },
  },
  reopenWindowDays: 7,
  archiveAfterDays: 30,
};
