import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router-dom';
import { AuthProvider } from './auth.js';
import { FullPageSpinner } from './guards.js';
import { currentLanguage } from './i18n.js';
import { PublicConfigProvider } from './publicConfig.js';
import { router } from './router.js';

const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif';

/**
 * A sober government blue with one red accent, used sparingly (see BrandMark). Muted text,
 * placeholders and the error red are darker than Ant Design's: its defaults read at about 3:1 on
 * white, and GB/T 37668 (WCAG 2.1 AA) asks 4.5:1 of text.
 */
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1650a8',
    colorInfo: '#1650a8',
    colorInfoBg: '#eef4fc',
    colorInfoBorder: '#c5d8f3',
    colorLink: '#1650a8',
    colorError: '#cf1322',
    colorTextDescription: 'rgba(0, 0, 0, 0.58)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.58)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 6,
    fontFamily: FONT,
    colorBgLayout: '#f3f5f9',
  },
  components: {
    Layout: { siderBg: '#0f2747', headerBg: '#ffffff', headerHeight: 60, headerPadding: '0 20px', footerBg: 'transparent' },
    Menu: {
      darkItemBg: '#0f2747',
      darkSubMenuItemBg: '#0b1f3a',
      darkItemSelectedBg: '#1650a8',
      darkItemColor: 'rgba(255,255,255,0.78)',
      itemHeight: 44,
    },
    Card: { headerFontSize: 16 },
  },
};

export function App() {
  const { i18n } = useTranslation();
  void i18n.language; // re-render on language change
  const lang = currentLanguage();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <PublicConfigProvider>
          <AuthProvider>
            {/* the sign-in page, when a signed-out visit is sent there, loads like any other page */}
            <Suspense fallback={<FullPageSpinner />}>
              <RouterProvider router={router} />
            </Suspense>
          </AuthProvider>
        </PublicConfigProvider>
      </AntApp>
    </ConfigProvider>
  );
}
