import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { fetchCategories, fetchMyGrids } from '../api.js';
import type { MapArea } from '../map/FieldMap.js';
import { useGeolocation } from '../map/useGeolocation.js';
import { newOutboxItem, type OutboxPhoto } from '../offline/model.js';
import { enqueue, useOutbox } from '../offline/outbox.js';
import { useCached } from '../offline/snapshots.js';
import { useWorker } from '../session.js';
import { Icon } from '../ui/Icon.js';
import { PhotoPicker } from '../ui/PhotoPicker.js';
import { StaleNote } from '../ui/StaleNote.js';
import { useToast } from '../ui/Toast.js';
import { usePageTitle } from '../usePageTitle.js';
import { flatten, loadRecent, pushRecent, saveRecent, type CategoryOption } from './categories.js';
import { CategoryField } from './CategoryPicker.js';
import { DuplicateHints } from './DuplicateHints.js';
import { LocationField, type ChosenPlace } from './LocationField.js';

/**
 * 上报: type, photos, place, words, done. The report is kept on the phone the moment the worker
 * presses the button, with its Idempotency-Key, and sent from there (now, or when the connection
 * returns); the form never waits on the network.
 */
export function ReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const { user } = useWorker();
  const outbox = useOutbox();
  usePageTitle(t('field.nav.report'));

  const categories = useCached(user.id, 'categories', (s) => fetchCategories(s), []);
  const grids = useCached(user.id, 'grids', (s) => fetchMyGrids(s), []);
  const geo = useGeolocation(true);
  const options = useMemo(() => flatten(categories.data), [categories.data]);
  const areas: MapArea[] = useMemo(() => (grids.data?.features ?? []).map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry })), [grids.data]);

  const [recent, setRecent] = useState(() => loadRecent(user.id));
  const [category, setCategory] = useState<CategoryOption | null>(null);
  const [photos, setPhotos] = useState<OutboxPhoto[]>([]);
  const [place, setPlace] = useState<ChosenPlace | null>(null);
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);

  // the place follows the phone until the worker places a pin
  useEffect(() => {
    if (geo.position && (!place || place.located === 'gps')) setPlace({ lon: geo.position.lon, lat: geo.position.lat, located: 'gps' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follow the position only
  }, [geo.position]);

  const missing = { category: !category, place: !place, description: !description.trim() };
  const valid = !missing.category && !missing.place && !missing.description;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!valid || !place || !category) {
      toast(t('field.report.incomplete'), 'warn');
      return;
    }
    setSaving(true);
    try {
      const item = newOutboxItem(user.id, photos, {
        kind: 'report',
        report: {
          description: description.trim(),
          lon: Number(place.lon.toFixed(7)),
          lat: Number(place.lat.toFixed(7)),
          category_code: category.code,
          address: address.trim() || undefined,
          located: place.located,
          categoryName: { zh: category.nameZh, en: category.nameEn },
        },
      });
      await enqueue(item);
      const next = pushRecent(recent, category.code);
      setRecent(next);
      saveRecent(user.id, next);
      toast(navigator.onLine ? t('field.report.sending') : t('field.report.savedOffline'), navigator.onLine ? 'ok' : 'warn');
      navigate('/field/mine');
    } catch (err) {
      toast(t('field.report.notSaved', { message: err instanceof Error ? err.message : String(err) }), 'error');
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="fa-page fa-report" onSubmit={(e) => void submit(e)} noValidate>
      {!outbox.online && (
        <div className="fa-note fa-note-warn" data-testid="report-offline">
          <Icon name="cloudOff" size={20} />
          {t('field.report.offlineNote')}
        </div>
      )}
      <StaleNote savedAt={categories.stale ? categories.savedAt : null} />

      <section className="fa-section">
        <h2 className="fa-step">
          <span>1</span>
          {t('field.report.category')}
        </h2>
        {options.length === 0 && !categories.loading ? (
          <p className="fa-note fa-note-error">{t('field.report.noCategories')}</p>
        ) : (
          <CategoryField options={options} recent={recent} value={category} onChange={setCategory} invalid={tried && missing.category} />
        )}
      </section>

      <section className="fa-section">
        <h2 className="fa-step">
          <span>2</span>
          {t('field.report.photos')}
        </h2>
        <PhotoPicker photos={photos} onChange={setPhotos} testId="report-photos" />
      </section>

      <section className="fa-section">
        <h2 className="fa-step">
          <span>3</span>
          {t('field.report.location')}
        </h2>
        <LocationField areas={areas} position={geo.position} problem={geo.problem} value={place} onChange={setPlace} invalid={tried && missing.place} />
      </section>

      <section className="fa-section">
        <h2 className="fa-step">
          <span>4</span>
          {t('field.report.description')}
        </h2>
        <label className={`fa-field${tried && missing.description ? ' fa-invalid' : ''}`}>
          <span className="fa-sr">{t('field.report.description')}</span>
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={4}
            maxLength={2000}
            placeholder={t('field.report.descriptionPlaceholder')}
            enterKeyHint="done"
            data-testid="report-description"
          />
        </label>
        <label className="fa-field">
          <span>{t('field.report.address')}</span>
          <input value={address} onChange={(e) => setAddress(e.target.value)} maxLength={200} placeholder={t('field.report.addressPlaceholder')} />
        </label>
      </section>

      <DuplicateHints category={category?.code ?? null} lon={place?.lon ?? null} lat={place?.lat ?? null} online={outbox.online} />

      <div className="fa-submit-bar">
        <button type="submit" className="fa-btn fa-btn-primary fa-btn-block fa-btn-big" disabled={saving} data-testid="report-submit">
          <Icon name="send" size={24} />
          {outbox.online ? t('field.report.submit') : t('field.report.submitOffline')}
        </button>
        {tried && !valid && (
          <p className="fa-error-text" role="alert">
            {[missing.category && t('field.report.category'), missing.place && t('field.report.location'), missing.description && t('field.report.description')]
              .filter(Boolean)
              .join(t('field.common.listSep'))}
            {t('field.report.missingSuffix')}
          </p>
        )}
      </div>
    </form>
  );
}
