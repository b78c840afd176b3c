import type { TFunction } from 'i18next';
import type { Grant } from './auth.js';
import { roleLabel, type Language } from './i18n.js';

/** Where a grant applies, in words: a division, a department, or (admin without a node) everywhere. */
export function grantScope(grant: Grant, t: TFunction): string {
  return grant.divisionName ?? grant.departmentName ?? grant.divisionCode ?? grant.departmentCode ?? t('scope.wholeSystem');
}

/** "区中心调度员 · 通州区" — the first grant, which is what the header has room for. */
export function grantSummary(grant: Grant, t: TFunction, lang: Language): string {
  return `${roleLabel(grant.role, lang)} · ${grantScope(grant, t)}`;
}
