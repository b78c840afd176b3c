import { GlobalOutlined } from '@ant-design/icons';
import { Flex } from 'antd';
import { LanguageButton } from './LanguageButton.js';
import type { Language } from './i18n.js';

const SHORT: Record<Language, string> = { 'zh-CN': '中', en: 'EN' };

/** Switches the interface language; the choice is remembered in this browser. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  return (
    <Flex align="center" gap={6}>
      {!compact && <GlobalOutlined aria-hidden style={{ color: 'inherit', opacity: 0.7 }} />}
      <LanguageButton className="og-lang-switch" names={compact ? SHORT : undefined} />
    </Flex>
  );
}
