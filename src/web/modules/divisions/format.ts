import type { TFunction } from 'i18next';
import type { DivisionLevel } from './api.js';

export function levelName(level: DivisionLevel, t: TFunction): string {
  return t(`divisions.levels.l${level}`);
}

/** Areas are stored in m²; people read districts and streets in km², a tiny grid in m². */
export function areaParts(areaM2: number, t: TFunction, lang: string): { value: string; unit: string } {
  if (areaM2 < 10_000) {
    return { value: new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(areaM2), unit: t('divisions.unitM2') };
  }
  const km2 = areaM2 / 1_000_000;
  return { value: new Intl.NumberFormat(lang, { maximumFractionDigits: km2 < 10 ? 2 : 1 }).format(km2), unit: t('divisions.unitKm2') };
}

export function formatArea(areaM2: number | null, t: TFunction, lang: string): string {
  if (areaM2 === null) return t('divisions.areaUnknown');
  const { value, unit } = areaParts(areaM2, t, lang);
  return `${value} ${unit}`;
}
