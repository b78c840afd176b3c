import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, LANGUAGES } from '../../../../app/i18n.js';

const SHORT = { 'zh-CN': '中文', en: 'EN' } as const;

/** 中文 | EN, big enough for a thumb; the choice is remembered like the console's. */
export function LanguageToggle({ dark = false }: { dark?: boolean }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <div className={`fa-lang${dark ? ' fa-lang-dark' : ''}`} role="group" aria-label={t('layout.language')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" aria-pressed={lang === l} onClick={() => void changeLanguage(l)} lang={l}>
          {SHORT[l]}
        </button>
      ))}
    </div>
  );
}
