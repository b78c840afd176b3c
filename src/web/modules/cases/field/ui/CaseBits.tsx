import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { State } from '../../../../../shared/cases/workflow.js';
import { useFocusReturn } from '../../../../app/focusReturn.js';
import { currentLanguage } from '../../../../app/i18n.js';
import { fileUrl, thumbUrl, type Light, type TimelineEvent } from '../../shared/api.js';
import { dueText, formatFullTime, formatTime } from '../../shared/format.js';
import { actionLabel, byTime, eventColor, LIGHT_COLORS, stateLabel } from '../../shared/labels.js';
import { useNow } from '../../shared/useNow.js';
import { Icon } from './Icon.js';

/**
 * Case pieces for a phone: the timing light with words, photos that open full screen, and the
 * timeline as a plain list. The console's versions of these sit on its desktop UI kit; these use the
 * same words and colours (shared/labels, shared/format) without it.
 */
export function LightBadge({ light, dueAt, frozen = false }: { light: Light | null; dueAt: number | null; /** suspended: the clock stands still */ frozen?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  if (!light && !dueAt) return null;
  const due = frozen ? null : dueText(dueAt, now, t);
  return (
    <span className={`fa-light fa-light-${frozen ? 'frozen' : (light ?? 'none')}`} data-light={light ?? 'none'} title={dueAt ? t('cases.shared.due.at', { time: formatFullTime(dueAt) }) : undefined}>
      <span className="fa-light-dot" style={light ? { backgroundColor: LIGHT_COLORS[light] } : undefined} aria-hidden />
      {frozen ? t('cases.shared.light.frozen') : (due?.text ?? (light ? t(`cases.shared.light.${light}`) : ''))}
    </span>
  );
}

export interface PhotoLike {
  sha256: string;
  kind: string;
}

/** Thumbnails in a row; a tap shows the photo over the whole screen, swipe-free (buttons), big. */
export function PhotoStrip({ photos, label, tracking }: { photos: readonly PhotoLike[]; label: string; tracking?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  useFocusReturn(open !== null);
  const q = tracking ? `?tracking=${encodeURIComponent(tracking)}` : '';
  useEffect(() => {
    if (open === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(null);
      if (e.key === 'ArrowRight') setOpen((i) => (i === null ? i : Math.min(photos.length - 1, i + 1)));
      if (e.key === 'ArrowLeft') setOpen((i) => (i === null ? i : Math.max(0, i - 1)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, photos.length]);
  if (!photos.length) return null;
  const current = open === null ? null : photos[open];
  return (
    <>
      <ul className="fa-thumbs">
        {photos.map((p, i) => (
          <li key={`${p.sha256}-${i}`}>
            <button type="button" className="fa-thumb" onClick={() => setOpen(i)} aria-label={t('cases.shared.photos.open', { label, n: i + 1 })}>
              <img src={`${thumbUrl(p.sha256)}${q}`} alt={t('cases.shared.photos.alt', { label, n: i + 1 })} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
      {current && (
        <div className="fa-lightbox" role="dialog" aria-modal="true" aria-label={label} onClick={() => setOpen(null)}>
          <img src={`${fileUrl(current.sha256)}${q}`} alt={t('cases.shared.photos.alt', { label, n: (open ?? 0) + 1 })} />
          <div className="fa-lightbox-bar" onClick={(e) => e.stopPropagation()}>
            <button type="button" className="fa-icon-btn" disabled={open === 0} onClick={() => setOpen((i) => Math.max(0, (i ?? 0) - 1))} aria-label={t('field.common.previous')}>
              <Icon name="chevronLeft" />
            </button>
            <span>
              {(open ?? 0) + 1} / {photos.length}
            </span>
            <button type="button" className="fa-icon-btn" disabled={open === photos.length - 1} onClick={() => setOpen((i) => Math.min(photos.length - 1, (i ?? 0) + 1))} aria-label={t('field.common.next')}>
              <Icon name="chevronRight" />
            </button>
            {/* the photo's dialog takes the focus on its close button; closing gives it back to the thumbnail */}
            <button type="button" className="fa-icon-btn" onClick={() => setOpen(null)} aria-label={t('field.common.close')} autoFocus>
              <Icon name="close" />
            </button>
          </div>
        </div>
      )}
    </>
  );
}

/** 办理过程 as a list, newest first: what happened, by whom, when, with the comment and photos. */
export function TimelineList({ events }: { events: readonly TimelineEvent[] }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const now = Date.now();
  if (!events.length) return <p className="fa-muted">{t('cases.shared.timeline.empty')}</p>;
  const who = (e: TimelineEvent) => {
    if (e.actor.kind === 'system') return t('cases.shared.timeline.system');
    if (e.actor.kind === 'public') return t('cases.shared.timeline.resident');
    return e.actor.name ?? t('cases.shared.timeline.unknownActor');
  };
  return (
    <ol className="fa-timeline" aria-label={t('cases.shared.timeline.ariaLabel')}>
      {[...events].sort((a, b) => byTime(b, a)).map((e) => (
        <li key={e.seq} style={{ ['--fa-dot' as string]: eventColor(e) }} data-action={e.action}>
          <div className="fa-timeline-head">
            <strong>{actionLabel(e.action, lang)}</strong>
            <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at, now)}</time>
          </div>
          <div className="fa-timeline-meta">
            {who(e)}
            {e.from !== e.to && ` · ${stateLabel(e.to as State, lang)}`}
          </div>
          {e.comment && <p className="fa-timeline-comment">{e.comment}</p>}
          {e.photos.length > 0 && <PhotoStrip photos={e.photos} label={actionLabel(e.action, lang)} />}
        </li>
      ))}
    </ol>
  );
}
