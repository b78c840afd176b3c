import { useTranslation } from 'react-i18next';
import { formatTime } from '../../shared/format.js';
import { Icon } from './Icon.js';

/** "离线显示：11-29 08:30 的数据" when a list comes from the phone, not the server. */
export function StaleNote({ savedAt }: { savedAt: number | null }) {
  const { t } = useTranslation();
  if (savedAt === null) return null;
  return (
    <div className="fa-stale" role="note" data-testid="stale-note">
      <Icon name="cloudOff" size={18} />
      {t('field.common.stale', { time: formatTime(savedAt) })}
    </div>
  );
}
