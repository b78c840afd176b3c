import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../app/errors.js';
import { currentLanguage } from '../../../app/i18n.js';
import { formatFullTime } from '../shared/format.js';
import { Icon } from '../field/ui/Icon.js';
import { PhotoStrip } from '../field/ui/CaseBits.js';
import { reopenPublicCase, type PublicCase } from './api.js';
import { MILESTONES, phraseOf, progressOf } from './progress.js';

const AFTER = new Set(['after', 'feedback']);

/**
 * Where the resident's case stands: four steps, what happened when (never who, never the staff's
 * words: the server sends neither), the photos before and after, and reopening when not satisfied.
 */
export function ProgressView({ c, onChanged, onRefresh, refreshing }: { c: PublicCase; onChanged: (c: PublicCase) => void; onRefresh: () => void; refreshing: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const p = progressOf(c.state);
  const before = c.photos.filter((x) => x.kind === 'report');
  const after = c.photos.filter((x) => AFTER.has(x.kind));
  return (
    <article className="rp-progress" data-testid="public-progress" data-state={c.state}>
      <header className={`rp-status rp-status-${p.outcome ?? (p.status === 'done' ? 'done' : 'open')}`}>
        <div className="rp-status-word" data-testid="public-status">
          {t(`resident.status.${p.status}`)}
        </div>
        <div className="rp-status-help">{t(`resident.statusHelp.${p.status}`)}</div>
      </header>

      {!p.outcome || p.outcome === 'suspended' ? (
        <ol className="rp-steps" aria-label={t('resident.track.steps')}>
          {MILESTONES.map((m, i) => (
            <li key={m} className={i < p.step ? 'rp-step-done' : i === p.step ? 'rp-step-now' : undefined} aria-current={i === p.step ? 'step' : undefined}>
              <span className="rp-step-dot">{i < p.step || (i === p.step && p.status === 'done') ? <Icon name="check" size={16} strokeWidth={3} /> : i + 1}</span>
              <span className="rp-step-label">{t(`resident.milestone.${m}`)}</span>
            </li>
          ))}
        </ol>
      ) : null}

      <dl className="fa-facts rp-facts">
        <dt>{t('resident.track.code')}</dt>
        <dd className="fa-code" data-testid="public-code">
          {c.trackingCode}
        </dd>
        <dt>{t('resident.track.number')}</dt>
        <dd className="fa-code">{c.number}</dd>
        {c.category && (
          <>
            <dt>{t('resident.track.type')}</dt>
            <dd>{lang === 'en' ? c.category.nameEn : c.category.nameZh}</dd>
          </>
        )}
        <dt>{t('resident.track.submitted')}</dt>
        <dd>{formatFullTime(c.createdAt)}</dd>
        {c.address && (
          <>
            <dt>{t('resident.track.place')}</dt>
            <dd>{c.address}</dd>
          </>
        )}
      </dl>
      <p className="rp-desc">{c.description}</p>

      {(before.length > 0 || after.length > 0) && (
        <div className="fa-before-after">
          <section>
            <h3>{t('resident.track.yourPhotos')}</h3>
            {before.length ? <PhotoStrip photos={before} label={t('resident.track.yourPhotos')} tracking={c.trackingCode} /> : <p className="fa-muted">{t('cases.shared.photos.none')}</p>}
          </section>
          <section>
            <h3>{t('resident.track.afterPhotos')}</h3>
            {after.length ? <PhotoStrip photos={after} label={t('resident.track.afterPhotos')} tracking={c.trackingCode} /> : <p className="fa-muted">{t('resident.track.noAfter')}</p>}
          </section>
        </div>
      )}

      <section className="fa-section">
        <div className="fa-row">
          <h2 className="fa-section-title">{t('resident.track.history')}</h2>
          <button type="button" className="fa-btn fa-btn-small" onClick={onRefresh} disabled={refreshing} data-testid="public-refresh">
            <Icon name="refresh" size={18} />
            {t('resident.track.refresh')}
          </button>
        </div>
        <ol className="fa-timeline rp-timeline" data-testid="public-timeline">
          {[...c.timeline].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`} data-action={e.action}>
              <div className="fa-timeline-head">
                <strong>{t(`resident.phrase.${phraseOf(e.action)}`)}</strong>
                <time dateTime={new Date(e.at).toISOString()}>{formatFullTime(e.at)}</time>
              </div>
            </li>
          ))}
        </ol>
      </section>

      {c.canReopen && <Reopen c={c} onChanged={onChanged} errorOf={(err) => describeError(err, t, i18n.language)} />}
    </article>
  );
}

function Reopen({ c, onChanged, errorOf }: { c: PublicCase; onChanged: (c: PublicCase) => void; errorOf: (err: unknown) => string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="fa-btn fa-btn-block" onClick={() => setOpen(true)}>
        {t('resident.reopen.ask')}
      </button>
    );
  }
  return (
    <section className="fa-card fa-card-warn">
      <label className="fa-field">
        <span>{t('resident.reopen.reason')}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} />
      </label>
      {error && <p className="fa-error-text">{error}</p>}
      <button
        type="button"
        className="fa-btn fa-btn-primary fa-btn-block"
        disabled={busy || !reason.trim()}
        onClick={() => {
          setBusy(true);
          reopenPublicCase(c.trackingCode, reason.trim(), c.version)
            .then(onChanged, (err: unknown) => setError(errorOf(err)))
            .finally(() => setBusy(false));
        }}
      >
        {t('resident.reopen.submit')}
      </button>
    </section>
  );
}
