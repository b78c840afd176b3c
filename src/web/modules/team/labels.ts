import { FORCE_LABELS, FORCES, TEAM_ROLES, type Force, type TeamRole } from '../../../shared/team.js';
import type { Language } from '../../app/i18n.js';
import type { Tone } from '../../ui/StatusTag.js';

/** Force and role labels live with the catalogue in src/shared, in both languages. */
export function forceLabel(force: Force, lang: Language): string {
  return lang === 'en' ? FORCE_LABELS[force].en : FORCE_LABELS[force].zh;
}

export function teamRoleLabel(role: TeamRole, lang: Language): string {
  const info = TEAM_ROLES[role];
  return info ? (lang === 'en' ? info.en : info.zh) : role;
}

/** Each force keeps one colour everywhere: tags, bars, the card's counts. */
export const FORCE_TONE: Record<Force, Tone> = { fulltime: 'info', social: 'success', professional: 'warning' };
export const FORCE_COLOR: Record<Force, string> = { fulltime: '#1650a8', social: '#389e0d', professional: '#d46b08' };

export function rolesOf(force: Force | null | undefined): TeamRole[] {
  return (Object.keys(TEAM_ROLES) as TeamRole[]).filter((role) => !force || TEAM_ROLES[role].force === force);
}

export { FORCES };
