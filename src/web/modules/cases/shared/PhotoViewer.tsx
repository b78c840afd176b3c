import { Image } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileUrl, thumbUrl } from './api.js';
import './cases.css';

export interface PhotoRef {
  sha256: string;
  kind: string;
}

interface PhotoThumbsProps {
  photos: readonly PhotoRef[];
  /** What these photos are, for the accessible names ("处置前照片 2"). */
  label: string;
  size?: 'small' | 'large';
}

/**
 * A row of thumbnails; each is a button (Tab, Enter) that opens the full-size photos in a viewer
 * with zoom, rotation and arrow keys between them.
 */
export function PhotoThumbs({ photos, label, size = 'small' }: PhotoThumbsProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState(0);
  if (photos.length === 0) return null;
  return (
    <>
      <ul className={`og-photo-thumbs og-photo-thumbs-${size}`}>
        {photos.map((p, i) => (
          <li key={`${p.sha256}-${i}`}>
            <button
              type="button"
              className="og-photo-thumb"
              aria-label={t('cases.shared.photos.open', { label, n: i + 1 })}
              onClick={() => {
                setCurrent(i);
                setOpen(true);
              }}
            >
              <img src={thumbUrl(p.sha256)} alt={t('cases.shared.photos.alt', { label, n: i + 1 })} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
      <Image.PreviewGroup
        items={photos.map((p) => fileUrl(p.sha256))}
        preview={{ open, current, onOpenChange: (next) => setOpen(next), onChange: (next) => setCurrent(next) }}
      />
    </>
  );
}

const BEFORE_KINDS = new Set(['report', 'before']);
const AFTER_KINDS = new Set(['after', 'feedback', 'check']);

/**
 * Photos split into before (reported, before) and after (feedback, after, check), the latest
 * handling round first, so a checker sees the problem and the result side by side.
 */
export function splitBeforeAfter<P extends PhotoRef & { eventSeq?: number }>(photos: readonly P[]): { before: P[]; after: P[] } {
  const before = photos.filter((p) => BEFORE_KINDS.has(p.kind));
  const after = photos.filter((p) => AFTER_KINDS.has(p.kind)).sort((a, b) => (b.eventSeq ?? 0) - (a.eventSeq ?? 0));
  return { before, after };
}

/** 处置前 | 处置后, side by side on a desk, stacked on a phone. */
export function BeforeAfter({ photos }: { photos: readonly (PhotoRef & { eventSeq?: number })[] }) {
  const { t } = useTranslation();
  const { before, after } = splitBeforeAfter(photos);
  if (photos.length === 0) return <div className="og-muted">{t('cases.shared.photos.none')}</div>;
  return (
    <div className="og-before-after">
      <section aria-label={t('cases.shared.photos.before')}>
        <h4 className="og-before-after-title">{t('cases.shared.photos.before')}</h4>
        {before.length ? <PhotoThumbs photos={before} label={t('cases.shared.photos.before')} size="large" /> : <div className="og-muted">{t('cases.shared.photos.none')}</div>}
      </section>
      <section aria-label={t('cases.shared.photos.after')}>
        <h4 className="og-before-after-title">{t('cases.shared.photos.after')}</h4>
        {after.length ? <PhotoThumbs photos={after} label={t('cases.shared.photos.after')} size="large" /> : <div className="og-muted">{t('cases.shared.photos.noAfter')}</div>}
      </section>
    </div>
  );
}
