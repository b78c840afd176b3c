import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { describeError } from '../../../app/errors.js';
import { fetchCategories, type CategoryTree } from '../field/api.js';
import { useGeolocation } from '../field/map/useGeolocation.js';
import { newIdempotencyKey, type OutboxPhoto } from '../field/offline/model.js';
import { flatten, type CategoryOption } from '../field/report/categories.js';
import { CategoryField } from '../field/report/CategoryPicker.js';
import { LocationField, type ChosenPlace } from '../field/report/LocationField.js';
import { Icon } from '../field/ui/Icon.js';
import { PhotoPicker } from '../field/ui/PhotoPicker.js';
import { useToast } from '../field/ui/Toast.js';
import { usePageTitle } from '../field/usePageTitle.js';
import { keepCode, submitPublicReport, type PublicCase } from './api.js';

const PHONE = /^[0-9+\- ]{5,20}$/;

/**
 * 我要反映: a photo, the place (the phone's position or a pin), a few words, optionally a type and a
 * way to call back. The answer is a tracking code to keep; nothing else about the resident is kept.
 */
export function ResidentReportPage() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  usePageTitle(t('resident.nav.report'));
  const geo = useGeolocation(true);
  const [tree, setTree] = useState<CategoryTree | null>(null);
  const options = useMemo(() => flatten(tree), [tree]);
  const [category, setCategory] = useState<CategoryOption | null>(null);
  const [photos, setPhotos] = useState<OutboxPhoto[]>([]);
  const [place, setPlace] = useState<ChosenPlace | null>(null);
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PublicCase | null>(null);
  // one key per report: a retry after a lost answer gets the same case back
  const [key, setKey] = useState(() => newIdempotencyKey('web'));

  useEffect(() => {
    const c = new AbortController();
    fetchCategories(c.signal).then(setTree, () => undefined);
    return () => c.abort();
  }, []);
  useEffect(() => {
    if (geo.position && (!place || place.located === 'gps')) setPlace({ lon: geo.position.lon, lat: geo.position.lat, located: 'gps' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follow the position only
  }, [geo.position]);

  const missing = { place: !place, description: !description.trim(), phone: phone.trim() !== '' && !PHONE.test(phone.trim()) };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setError(null);
    if (missing.place || missing.description || missing.phone || !place) {
      toast(t('resident.report.incomplete'), 'warn');
      return;
    }
    setBusy(true);
    try {
      const out = await submitPublicReport(
        {
          description: description.trim(), lon: Number(place.lon.toFixed(7)), lat: Number(place.lat.toFixed(7)),
          address: address.trim() || undefined, category_code: category?.code, reporter_name: name.trim() || undefined, reporter_phone: phone.trim() || undefined,
        },
        photos,
        key,
      );
      keepCode({ code: out.trackingCode, at: out.createdAt, summary: out.description.slice(0, 40) });
      setDone(out);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(describeError(err, t, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setDone(null);
    setPhotos([]);
    setDescription('');
    setAddress('');
    setCategory(null);
    setTried(false);
    setKey(newIdempotencyKey('web'));
  };

  if (done) return <Submitted c={done} onAgain={again} />;

  return (
    <form className="fa-page rp-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="rp-intro">
        <h1>{t('resident.report.title')}</h1>
        <p>{t('resident.report.intro')}</p>
      </div>
      <section className="fa-section">
        <h2 className="fa-step">
          <span>1</span>
          {t('resident.report.photos')}
        </h2>
        <PhotoPicker photos={photos} onChange={setPhotos} testId="resident-photos" />
      </section>
      <section className="fa-section">
        <h2 className="fa-step">
          <span>2</span>
          {t('resident.report.place')}
        </h2>
        <LocationField areas={[]} position={geo.position} problem={geo.problem} value={place} onChange={setPlace} invalid={tried && missing.place} />
        <label className="fa-field">
          <span>{t('resident.report.address')}</span>
          <input value={address} onChange={(e) => setAddress(e.target.value)} maxLength={200} placeholder={t('resident.report.addressPlaceholder')} data-testid="resident-address" />
        </label>
      </section>
      <section className="fa-section">
        <h2 className="fa-step">
          <span>3</span>
          {t('resident.report.what')}
        </h2>
        <label className={`fa-field${tried && missing.description ? ' fa-invalid' : ''}`}>
          <span className="fa-sr">{t('resident.report.what')}</span>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={4} maxLength={2000} placeholder={t('resident.report.whatPlaceholder')} data-testid="resident-description" />
        </label>
        {options.length > 0 && (
          <div className="fa-field">
            <span>{t('resident.report.type')}</span>
            <CategoryField options={options} recent={[]} value={category} onChange={setCategory} invalid={false} />
          </div>
        )}
      </section>
      <section className="fa-section">
        <h2 className="fa-step">
          <span>4</span>
          {t('resident.report.contact')}
        </h2>
        <p className="fa-hint">{t('resident.report.contactHint')}</p>
        <label className="fa-field">
          <span>{t('resident.report.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} autoComplete="name" />
        </label>
        <label className={`fa-field${tried && missing.phone ? ' fa-invalid' : ''}`}>
          <span>{t('resident.report.phone')}</span>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" autoComplete="tel" maxLength={20} />
        </label>
      </section>
      {error && (
        <div className="fa-note fa-note-error" role="alert" data-testid="resident-error">
          {error}
        </div>
      )}
      <div className="fa-submit-bar rp-submit">
        <button type="submit" className="fa-btn fa-btn-primary fa-btn-block fa-btn-big" disabled={busy} data-testid="resident-submit">
          <Icon name="send" />
          {busy ? t('resident.report.sending') : t('resident.report.submit')}
        </button>
      </div>
      <p className="fa-hint rp-privacy">{t('resident.report.privacy')}</p>
    </form>
  );
}

function Submitted({ c, onAgain }: { c: PublicCase; onAgain: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(c.trackingCode);
      toast(t('resident.done.copied'));
    } catch {
      toast(t('resident.done.copyFailed'), 'warn');
    }
  };
  return (
    <div className="fa-page rp-done" data-testid="resident-done">
      <div className="rp-done-icon" aria-hidden>
        <Icon name="check" size={44} strokeWidth={3} />
      </div>
      <h1>{t('resident.done.title')}</h1>
      <p>{t('resident.done.keep')}</p>
      <div className="rp-code" data-testid="tracking-code" aria-label={t('resident.done.codeLabel')}>
        {c.trackingCode}
      </div>
      <button type="button" className="fa-btn fa-btn-block" onClick={() => void copy()}>
        <Icon name="copy" />
        {t('resident.done.copy')}
      </button>
      <Link to={`/track/${c.trackingCode}`} className="fa-btn fa-btn-primary fa-btn-block" data-testid="resident-follow">
        <Icon name="clock" />
        {t('resident.done.follow')}
      </Link>
      <p className="fa-hint">{t('resident.done.number', { number: c.number })}</p>
      <button type="button" className="fa-link" onClick={onAgain}>
        {t('resident.done.another')}
      </button>
    </div>
  );
}
