import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** "<page> · 一张网外业" in the tab and the app switcher. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('field.appName')}`;
  }, [title, t]);
}
