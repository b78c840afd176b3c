import { z } from 'zod';
import { DEFAULT_WORKFLOW_SETTINGS, type WorkflowSettings } from '../../../../shared/cases/index.js';
import type { Executor } from '../../../platform/db.js';
import { getSetting, setSetting } from '../../../platform/settings.js';

/**
 * The case loop's tunable numbers, kept in `settings` so every node reads the same ones: the share
 * of a step's limit that turns it yellow, how long after closing a case is archived and may be
 * reopened, and how often the scheduler looks. Office hours live with the calendar.
 */
export const CASE_SETTINGS_KEY = 'cases.settings';

export const CaseSettingsSchema = z.strictObject({
  yellowShare: z.number().min(0.5).max(0.99),
  archiveAfterDays: z.number().int().min(1).max(3650),
  reopenWindowDays: z.number().int().min(0).max(365),
  schedulerIntervalSeconds: z.number().int().min(5).max(3600),
});
export type CaseSettings = z.infer<typeof CaseSettingsSchema>;

export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  yellowShare: 0.8,
  archiveAfterDays: DEFAULT_WORKFLOW_SETTINGS.archiveAfterDays,
  reopenWindowDays: DEFAULT_WORKFLOW_SETTINGS.reopenWindowDays,
  schedulerIntervalSeconds: 30,
};

/** The stored settings over the defaults; a value that no longer validates falls back to its default. */
export async function caseSettingsOf(db: Executor): Promise<CaseSettings> {
  const raw = await getSetting(db, CASE_SETTINGS_KEY);
  if (!raw) return { ...DEFAULT_CASE_SETTINGS };
  let stored: Record<string, unknown> = {};
  try {
    stored = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_CASE_SETTINGS };
  }
  const out = { ...DEFAULT_CASE_SETTINGS };
  for (const key of Object.keys(DEFAULT_CASE_SETTINGS) as (keyof CaseSettings)[]) {
    const one = CaseSettingsSchema.shape[key].safeParse(stored[key]);
    if (one.success) out[key] = one.data;
  }
  return out;
}

export async function saveCaseSettings(db: Executor, settings: CaseSettings, now: number): Promise<void> {
  await setSetting(db, CASE_SETTINGS_KEY, JSON.stringify(CaseSettingsSchema.parse(settings)), now);
}

/** The workflow's settings with the stored windows, for the workflow environment of every action. */
export function workflowSettingsOf(s: CaseSettings): WorkflowSettings {
  return { ...DEFAULT_WORKFLOW_SETTINGS, archiveAfterDays: s.archiveAfterDays, reopenWindowDays: s.reopenWindowDays };
}
