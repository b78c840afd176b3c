import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ROLE_INFO, PERMISSIONS, type Role } from '../../shared/permissions.js';
import { LANGUAGES, resources, type Language } from './resources.js';

export { LANGUAGES, type Language };

/**
 * zh-CN is the language of the product; English is offered on request. The choice comes from
 * `?lang=` first (so a link can force it), then what the user picked before, then zh-CN.
 */
const STORAGE_KEY = 'onegrid.lang';

function normalise(value: string | null | undefined): Language | null {
  if (!value) return null;
  const lower = value.toLowerCase();
  if (lower.startsWith('en')) return 'en';
  if (lower.startsWith('zh')) return 'zh-CN';
  return null;
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage can be disabled (private modes, policies); the default still works
  }
}

export function initialLanguage(): Language {
  const fromUrl = normalise(new URLSearchParams(window.location.search).get('lang'));
  if (fromUrl) {
    rememberLanguage(fromUrl);
    return fromUrl;
  }
  return normalise(readStored()) ?? 'zh-CN';
}

function rememberLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // see readStored
  }
}

export function currentLanguage(): Language {
  return normalise(i18n.resolvedLanguage ?? i18n.language) ?? 'zh-CN';
}

export async function changeLanguage(lang: Language): Promise<void> {
  rememberLanguage(lang);
  await i18n.changeLanguage(lang);
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = normalise(lng) ?? 'zh-CN';
});

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});
document.documentElement.lang = currentLanguage();

/** Joins names the way each language lists them: 中仓街道、新华街道 / Zhongcang, Xinhua. */
export function joinNames(names: readonly string[], lang: Language = currentLanguage()): string {
  return names.join(lang === 'en' ? ', ' : '、');
}

/** Role and permission labels live with the catalogue in src/shared, in both languages. */
export function roleLabel(role: Role, lang: Language = currentLanguage()): string {
  const info = ROLE_INFO[role];
  return info ? (lang === 'en' ? info.en : info.zh) : role;
}

const permissionByKey = new Map<string, (typeof PERMISSIONS)[number]>(PERMISSIONS.map((p) => [p.key, p]));

const catalogueOrder = new Map<string, number>(PERMISSIONS.map((p, i) => [p.key, i]));

/** Permissions in catalogue order (by area of work), not in the order the server happens to send. */
export function sortPermissions(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => (catalogueOrder.get(a) ?? Infinity) - (catalogueOrder.get(b) ?? Infinity));
}

export function permissionLabel(key: string, lang: Language = currentLanguage()): string {
  const def = permissionByKey.get(key);
  if (!def) return key;
  return lang === 'en' ? def.en : def.zh;
}

export default i18n;
