import { useTranslation } from 'react-i18next';
import { useLiveStatus } from './live.js';
import './cases.css';

/** A small "live" mark: green while the update stream is up, grey while it reconnects. */
export function LiveBadge() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  const on = status === 'open';
  return (
    <span className={`og-live-badge${on ? ' og-live-badge-on' : ''}`} role="status" title={on ? t('cases.shared.live.connected') : t('cases.shared.live.reconnecting')} data-live={status}>
      <span className="og-live-dot" aria-hidden />
      {on ? t('cases.shared.live.on') : t('cases.shared.live.off')}
    </span>
  );
}
