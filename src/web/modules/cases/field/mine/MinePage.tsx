import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentLanguage } from '../../../../app/i18n.js';
import { listCases } from '../../shared/api.js';
import { formatTime } from '../../shared/format.js';
import { StateTag } from '../../shared/StateTag.js';
import { itemsOf, useOutbox } from '../offline/outbox.js';
import { useCached } from '../offline/snapshots.js';
import { useWorker } from '../session.js';
import { LightBadge } from '../ui/CaseBits.js';
import { Icon } from '../ui/Icon.js';
import { StaleNote } from '../ui/StaleNote.js';
import { usePageTitle } from '../usePageTitle.js';
import { OutboxCard } from './OutboxCard.js';

/**
 * 我的上报: first what is still on the phone (waiting, sending, or needing the worker), then the
 * reports in the worker's grids with their progress; the ones sent from this phone are marked.
 */
export function MinePage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { user } = useWorker();
  const outbox = useOutbox();
  usePageTitle(t('field.nav.mine'));
  const onPhone = itemsOf(outbox, user.id);
  const sentCount = outbox.sent.filter((s) => s.userId === user.id).length;
  // refetched whenever something more was sent, so a report shows up the moment it lands
  const reports = useCached(user.id, 'reports', (s) => listCases({ source: ['grid_worker'], sort: 'created_at', order: 'desc', pageSize: 30 }, s), [sentCount]);
  const fromPhone = new Set(outbox.sent.filter((s) => s.kind === 'report').map((s) => s.caseId));

  return (
    <div className="fa-page">
      <section className="fa-section" aria-labelledby="fa-onphone">
        <h2 id="fa-onphone" className="fa-section-title">
          <Icon name={outbox.online ? 'upload' : 'cloudOff'} size={22} />
          {t('field.mine.onPhone', { count: onPhone.length })}
        </h2>
        {!outbox.loaded ? null : onPhone.length === 0 ? (
          <p className="fa-muted" data-testid="outbox-empty">
            {t('field.mine.allSent')}
          </p>
        ) : (
          <>
            <p className="fa-hint">{outbox.online ? t('field.mine.willSend') : t('field.mine.willSendOffline')}</p>
            <div className="fa-stack" data-testid="outbox-list">
              {onPhone.map((i) => (
                <OutboxCard key={i.key} item={i} />
              ))}
            </div>
          </>
        )}
      </section>

      <section className="fa-section" aria-labelledby="fa-reports">
        <h2 id="fa-reports" className="fa-section-title">
          <Icon name="list" size={22} />
          {t('field.mine.reports')}
        </h2>
        <StaleNote savedAt={reports.stale ? reports.savedAt : null} />
        {reports.data?.items.length === 0 && <p className="fa-muted">{t('field.mine.noReports')}</p>}
        {!reports.data && reports.error ? <p className="fa-muted">{outbox.online ? t('field.common.loadFailed') : t('field.mine.reportsOffline')}</p> : null}
        <ul className="fa-cards" data-testid="report-list">
          {reports.data?.items.map((c) => (
            <li key={c.id}>
              <Link to={`/field/cases/${c.id}`} className="fa-case-card" data-testid="report-card" data-number={c.number}>
                <div className="fa-row">
                  <StateTag state={c.state} />
                  {fromPhone.has(c.id) && <span className="fa-pill">{t('field.mine.fromPhone')}</span>}
                </div>
                <div className="fa-case-title">{c.category ? (lang === 'en' ? c.category.nameEn : c.category.nameZh) : t('field.tasks.noCategory')}</div>
                <div className="fa-clamp">{c.description}</div>
                <div className="fa-row fa-muted">
                  <span className="fa-code">{c.number}</span>
                  <span>{formatTime(c.createdAt)}</span>
                </div>
                <LightBadge light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
