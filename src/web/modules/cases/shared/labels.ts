import type { Language } from '../../../app/resources.js';
import type { PlatformLevel, TimeLimit } from '../../../../shared/cases/limits.js';
import {
  CASE_SOURCE_LABELS, STATE_LABELS, STEP_LABELS, historyActionLabels,
  type CaseSource, type HistoryAction, type State, type Step,
} from '../../../../shared/cases/workflow.js';
import type { Light } from './api.js';
import { en, zh } from './locale.js';

/**
 * Words and colours of the case loop. The words come from the shared workflow tables (one source
 * for server, web and documents); this file only picks the language and gives each state a colour.
 * It imports nothing that carries zod, so the field app's bundle stays small.
 */
type Bilingual = { zh: string; en: string };

const pick = (entry: Bilingual | undefined, lang: Language, fallback: string) => (entry ? (lang === 'en' ? entry.en : entry.zh) : fallback);

export const stateLabel = (s: State, lang: Language) => pick(STATE_LABELS[s], lang, s);
export const actionLabel = (a: HistoryAction, lang: Language) => pick(historyActionLabels(a), lang, a);
export const sourceLabel = (s: CaseSource, lang: Language) => pick(CASE_SOURCE_LABELS[s], lang, s);
export const stepLabel = (s: Step, lang: Language) => pick(STEP_LABELS[s], lang, s);
// limits.ts carries zod with its labels; the words are copied into the locale (a test keeps them equal)
export const levelLabel = (l: PlatformLevel, lang: Language) => (lang === 'en' ? en : zh).levels[l] ?? l;

export function limitLabel(limit: TimeLimit, lang: Language): string {
  return `${limit.amount} ${(lang === 'en' ? en : zh).limitUnits[limit.unit] ?? limit.unit}`;
}

export function categoryName(c: { nameZh: string; nameEn: string } | null, lang: Language): string | null {
  if (!c) return null;
  return lang === 'en' ? c.nameEn : c.nameZh;
}

/**
 * One colour per stage of the loop, so a wall of cases reads at a glance: violet waits for the
 * field, indigo for the desk, orange for dispatch, blue is with a department, magenta is rework,
 * teal waits for the check, green is done, grey has left the loop.
 */
export const STATE_COLORS: Record<State, string> = {
  pending_verification: '#7c3aed',
  pending_acceptance: '#4f46e5',
  rejected: '#8c8c8c',
  accepted: '#ea7a0c',
  returned: '#d4380d',
  dispatched: '#1677ff',
  handling: '#0958d9',
  rework: '#c41d7f',
  pending_check: '#08979c',
  checked: '#389e0d',
  closed: '#52a447',
  archived: '#8c8c8c',
  suspended: '#ad8b00',
  cancelled: '#a3a3a3',
  merged: '#a3a3a3',
};

export const LIGHT_COLORS: Record<Light, string> = {
  green: '#2e9d49',
  yellow: '#e6a100',
  red: '#e03131',
};

/** A history entry's colour: a supervision card in its own, any other event in the colour of the state it reached. */
export function eventColor(e: { action: HistoryAction; to: State }): string {
  if (e.action === 'yellow_card') return LIGHT_COLORS.yellow;
  if (e.action === 'red_card') return LIGHT_COLORS.red;
  return STATE_COLORS[e.to];
}

/** A case's history in the order things happened (a card recorded on upgrade carries its own time). */
export function byTime(a: { at: number; seq: number }, b: { at: number; seq: number }): number {
  return a.at - b.at || a.seq - b.seq;
}

/** Groups of states for the map legend and its filter: one colour per group. */
export const STATE_GROUPS: { key: string; states: State[]; color: string }[] = [
  { key: 'intake', states: ['pending_verification', 'pending_acceptance'], color: STATE_COLORS.pending_acceptance },
  { key: 'dispatch', states: ['accepted', 'returned'], color: STATE_COLORS.accepted },
  { key: 'handle', states: ['dispatched', 'handling'], color: STATE_COLORS.dispatched },
  { key: 'rework', states: ['rework'], color: STATE_COLORS.rework },
  { key: 'check', states: ['pending_check', 'checked'], color: STATE_COLORS.pending_check },
  { key: 'suspended', states: ['suspended'], color: STATE_COLORS.suspended },
  { key: 'done', states: ['closed', 'archived', 'rejected', 'cancelled', 'merged'], color: STATE_COLORS.closed },
];

export function stateGroupOf(state: State): string {
  return STATE_GROUPS.find((g) => g.states.includes(state))?.key ?? 'done';
}
