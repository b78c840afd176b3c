import { GlobalOutlined } from '@ant-design/icons';
import { Flex, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, LANGUAGES, type Language } from './i18n.js';

const SHORT: Record<Language, string> = { 'zh-CN': '中', en: 'EN' };

/** Switches the interface language; the choice is remembered in this browser. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" gap={6}>
      {!compact && <GlobalOutlined aria-hidden style={{ color: 'inherit', opacity: 0.7 }} />}
      <Segmented<Language>
        size="small"
        aria-label={t('layout.language')}
        value={currentLanguage()}
        onChange={(lang) => void changeLanguage(lang)}
        options={LANGUAGES.map((lang) => ({
          value: lang,
          label: compact ? SHORT[lang] : t(`language.${lang}`),
          title: t(`language.${lang}`),
        }))}
      />
    </Flex>
  );
}
