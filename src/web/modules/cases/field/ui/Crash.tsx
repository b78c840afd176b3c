import { useTranslation } from 'react-i18next';
import { Icon } from './Icon.js';

/**
 * What a page shows instead of itself when it breaks: what the worker can do (reload), and that
 * their reports are safe — they are on the phone, not in the page.
 */
export function Crash() {
  const { t } = useTranslation();
  return (
    <div className="fa-page fa-crash" role="alert">
      <Icon name="alert" size={40} />
      <h1>{t('field.crash.title')}</h1>
      <p>{t('field.crash.safe')}</p>
      <button type="button" className="fa-btn fa-btn-primary fa-btn-block" onClick={() => window.location.reload()}>
        <Icon name="refresh" />
        {t('field.crash.reload')}
      </button>
    </div>
  );
}
