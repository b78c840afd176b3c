import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxPhoto } from '../offline/model.js';
import { preparePhoto } from '../report/photos.js';
import { Icon } from './Icon.js';

export const MAX_PHOTOS = 9;

/** A photo kept on the phone, shown from its Blob. */
export function BlobThumb({ photo, alt }: { photo: OutboxPhoto; alt: string }) {
  const url = useMemo(() => URL.createObjectURL(photo.blob), [photo.blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <img src={url} alt={alt} />;
}

/**
 * Photos from the camera (the phone opens its back camera) or the gallery, up to nine, each
 * removable. Photos are shrunk on the phone before they are kept (see photos.ts).
 */
export function PhotoPicker({ photos, onChange, testId }: { photos: OutboxPhoto[]; onChange: (next: OutboxPhoto[]) => void; testId?: string }) {
  const { t } = useTranslation();
  const camera = useRef<HTMLInputElement>(null);
  const gallery = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(photos);
  latest.current = photos;

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    try {
      const room = MAX_PHOTOS - latest.current.length;
      const prepared = await Promise.all([...files].slice(0, room).map(preparePhoto));
      onChange([...latest.current, ...prepared]);
    } finally {
      setBusy(false);
      if (camera.current) camera.current.value = '';
      if (gallery.current) gallery.current.value = '';
    }
  };

  const full = photos.length >= MAX_PHOTOS;
  return (
    <div className="fa-photos" data-testid={testId}>
      <ul className="fa-photo-grid">
        {photos.map((p, i) => (
          <li key={`${p.name}-${i}`} className="fa-photo-cell">
            <BlobThumb photo={p} alt={t('field.photos.alt', { n: i + 1 })} />
            <button type="button" className="fa-photo-remove" onClick={() => onChange(photos.filter((_, j) => j !== i))} aria-label={t('field.photos.remove', { n: i + 1 })}>
              <Icon name="close" size={18} strokeWidth={2.6} />
            </button>
          </li>
        ))}
        {!full && (
          <li className="fa-photo-cell">
            <label className="fa-photo-add fa-photo-add-camera">
              <Icon name="camera" size={30} />
              <span>{busy ? t('field.photos.preparing') : t('field.photos.camera')}</span>
              <input ref={camera} type="file" accept="image/*" capture="environment" multiple onChange={(e) => void add(e.target.files)} data-testid="photo-camera" />
            </label>
          </li>
        )}
        {!full && (
          <li className="fa-photo-cell">
            <label className="fa-photo-add">
              <Icon name="image" size={28} />
              <span>{t('field.photos.gallery')}</span>
              <input ref={gallery} type="file" accept="image/*" multiple onChange={(e) => void add(e.target.files)} data-testid="photo-gallery" />
            </label>
          </li>
        )}
      </ul>
      <div className="fa-hint">{t('field.photos.count', { n: photos.length, max: MAX_PHOTOS })}</div>
    </div>
  );
}
