import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, LANGUAGES, type Language } from './i18n.js';

/**
 * The language switch of the console, the field app and the resident's pages: one button, so one
 * Tab stop (a segment or a button per language made a keyboard user pass every one of them). It shows
 * every language with the current one marked; its name holds what it shows, in order, and says in
 * words which language is on; a click, Enter or Space switches to the next. Plain markup, no Ant
 * Design: the field app and the resident's pages load without it. Each caller styles it, the current
 * language's span by its class `og-lang-current`.
 */
export function LanguageButton({ className, names }: { className: string; /** Shorter names to show; the full ones otherwise. */ names?: Record<Language, string> }) {
  const { t } = useTranslation();
  const current = currentLanguage();
  const next = LANGUAGES[(LANGUAGES.indexOf(current) + 1) % LANGUAGES.length]!;
  const shown = LANGUAGES.map((lang) => (names ? names[lang] : t(`language.${lang}`)));
  const label = t('layout.languageSwitch', { shown: shown.join(' / '), current: t(`language.${current}`) });
  return (
    <button type="button" className={className} aria-label={label} title={label} onClick={() => void changeLanguage(next)} data-testid="language-switch">
      {LANGUAGES.map((lang, i) => (
        <span key={lang} lang={lang} className={lang === current ? 'og-lang-current' : undefined}>
          {shown[i]}
        </span>
      ))}
    </button>
  );
}
