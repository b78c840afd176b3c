import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../../shared/permissions.js';
import { useAuth } from '../../../app/auth.js';
import { currentLanguage } from '../../../app/i18n.js';
import type { State } from '../../../../shared/cases/workflow.js';
import type { Queue } from '../shared/api.js';
import { WITH_HOLDERS, type TileCounts } from './data.js';
import '../pages.css';

/** The permission each work list belongs to: a queue the reader cannot work is not shown. */
export const QUEUE_PERMISSIONS: Record<Queue, Permission> = {
  to_verify: 'cases.verify',
  to_accept: 'cases.accept',
  to_dispatch: 'cases.dispatch',
  to_handle: 'cases.handle',
  to_check: 'cases.check',
  to_close: 'cases.close',
  approvals: 'cases.approve',
};

export type QueueChoice = Queue | 'with_holders' | 'open' | 'all';

/** Whether a state filter is exactly the "with holders" tile. */
export function isWithHolders(states: readonly State[] | undefined): boolean {
  return !!states && states.length === WITH_HOLDERS.length && WITH_HOLDERS.every((s) => states.includes(s));
}

interface QueueTabsProps {
  counts: TileCounts | null;
  active: QueueChoice;
  onSelect: (choice: QueueChoice) => void;
}

/**
 * The counts per work list as a row of tiles, the one being worked highlighted; a tile with
 * waiting cases draws the eye, an empty one stays quiet.
 */
export function QueueTabs({ counts, active, onSelect }: QueueTabsProps) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const lang = currentLanguage();
  const queues = (Object.keys(QUEUE_PERMISSIONS) as Queue[]).filter((q) => can(QUEUE_PERMISSIONS[q]));
  const tile = (key: QueueChoice, label: string, value: number | null, urgent = false) => (
    <li key={key}>
      <button
        type="button"
        className={`og-queue-tile${active === key ? ' og-queue-tile-active' : ''}${urgent && value ? ' og-queue-tile-urgent' : ''}${value === 0 ? ' og-queue-tile-empty' : ''}`}
        aria-pressed={active === key}
        data-queue={key}
        onClick={() => onSelect(key)}
      >
        <span className="og-queue-label">{label}</span>
        <span className="og-queue-count" data-testid={`queue-count-${key}`}>
          {value === null ? '–' : value.toLocaleString(lang)}
        </span>
      </button>
    </li>
  );
  return (
    <nav aria-label={t('cases.desk.queues.label')}>
      <ul className="og-queue-tiles">
        {queues.flatMap((q) => {
          const own = tile(q, t(`cases.desk.queues.${q}`), counts ? counts[q] : null, q === 'approvals' || q === 'to_dispatch');
          // a dispatcher's 待处置 follows 待派遣: what is out with the departments
          const holders = q === 'to_dispatch' && !can('cases.handle') ? [tile('with_holders', t('cases.desk.queues.to_handle'), counts ? counts.with_holders : null)] : [];
          return [own, ...holders];
        })}
        {tile('open', t('cases.desk.queues.open'), counts ? counts.open : null)}
        {tile('all', t('cases.desk.queues.all'), counts ? counts.all : null)}
      </ul>
    </nav>
  );
}
