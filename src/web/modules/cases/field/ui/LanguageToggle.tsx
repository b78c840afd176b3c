import { LanguageButton } from '../../../../app/LanguageButton.js';

const SHORT = { 'zh-CN': '中文', en: 'EN' } as const;

/** 中文 | EN, big enough for a thumb; the choice is remembered like the console's. */
export function LanguageToggle({ dark = false }: { dark?: boolean }) {
  return <LanguageButton className={`fa-lang${dark ? ' fa-lang-dark' : ''}`} names={SHORT} />;
}
