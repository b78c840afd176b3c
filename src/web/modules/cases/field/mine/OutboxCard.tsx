import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../app/errors.js';
import { ApiError } from '../../../../app/api.js';
import { currentLanguage } from '../../../../app/i18n.js';
import { formatTime } from '../../shared/format.js';
import { actionLabel } from '../../shared/labels.js';
import type { OutboxItem } from '../offline/model.js';
import { discard, retry } from '../offline/outbox.js';
import { BlobThumb } from '../ui/PhotoPicker.js';
import { Icon } from '../ui/Icon.js';

/** A report or check still on the phone: what it is, its state of sending, and what can be done. */
export function OutboxCard({ item }: { item: OutboxItem }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const [confirming, setConfirming] = useState(false);
  const title =
    item.kind === 'report'
      ? (item.report.categoryName ? (lang === 'en' ? item.report.categoryName.en : item.report.categoryName.zh) : t('field.mine.report'))
      : `${actionLabel(item.act.action, lang)} · ${item.act.caseNumber}`;
  const text = item.kind === 'report' ? item.report.description : (item.act.reason ?? item.act.comment ?? '');
  const status = item.status;
  const waitingLong = status === 'waiting' && item.attempts > 0 && item.nextAttemptAt > Date.now();
  const error = item.error ? describeError(new ApiError(0, item.error.code, item.error.message), t, i18n.language) : null;
  return (
    <article className={`fa-outbox fa-outbox-${status}`} data-testid="outbox-item" data-status={status} data-key={item.key}>
      <div className="fa-row">
        <span className={`fa-pill fa-pill-${status === 'failed' || status === 'conflict' ? 'error' : 'warn'}`}>
          <Icon name={status === 'sending' ? 'upload' : status === 'waiting' ? 'clock' : 'alert'} size={16} strokeWidth={2.4} />
          {t(`field.mine.status.${status}`)}
        </span>
        <time className="fa-muted">{formatTime(item.createdAt)}</time>
      </div>
      <div className="fa-case-title">{title}</div>
      {text && <div className="fa-clamp">{text}</div>}
      {item.photos.length > 0 && (
        <ul className="fa-thumbs fa-thumbs-small">
          {item.photos.map((p, i) => (
            <li key={i} className="fa-thumb">
              <BlobThumb photo={p} alt={t('field.photos.alt', { n: i + 1 })} />
            </li>
          ))}
        </ul>
      )}
      {status === 'waiting' && item.attempts > 0 && (
        <p className="fa-hint">
          {t('field.mine.attempts', { count: item.attempts })}
          {waitingLong && ` · ${t('field.mine.nextAttempt', { time: formatTime(item.nextAttemptAt) })}`}
        </p>
      )}
      {(status === 'failed' || status === 'conflict') && error && <p className="fa-error-text">{status === 'conflict' ? t('field.mine.conflict') : error}</p>}
      {status !== 'sending' && (
        <div className="fa-row fa-outbox-actions">
          {(status !== 'waiting' || waitingLong) && (
            <button type="button" className="fa-btn fa-btn-small" onClick={() => void retry(item.key)} data-testid="outbox-retry">
              <Icon name="refresh" size={18} />
              {t('field.mine.retry')}
            </button>
          )}
          {confirming ? (
            <>
              <button type="button" className="fa-btn fa-btn-small fa-btn-danger" onClick={() => void discard(item.key)}>
                {t('field.mine.confirmDelete')}
              </button>
              <button type="button" className="fa-btn fa-btn-small" onClick={() => setConfirming(false)}>
                {t('field.common.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="fa-btn fa-btn-small fa-btn-quiet" onClick={() => setConfirming(true)}>
              <Icon name="trash" size={18} />
              {t('field.mine.delete')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
