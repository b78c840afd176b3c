import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isAbort } from '../../../app/api.js';
import { describeError } from '../../../app/errors.js';
import { formatTime } from '../shared/format.js';
import { Icon } from '../field/ui/Icon.js';
import { usePageTitle } from '../field/usePageTitle.js';
import { fetchPublicCase, keptCodes, type PublicCase } from './api.js';
import { normaliseTrackingCode } from './progress.js';
import { ProgressView } from './ProgressView.js';

/** 查询进度: type or open a tracking code and see where the case stands; refreshes while open. */
export function TrackPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { code: param } = useParams();
  const code = param ? normaliseTrackingCode(param) : null;
  usePageTitle(t('resident.nav.track'));
  const [input, setInput] = useState(param ?? '');
  const [inputError, setInputError] = useState(false);
  const [data, setData] = useState<PublicCase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setData(null);
    setError(null);
    if (!code) return;
    const controller = new AbortController();
    setLoading(true);
    fetchPublicCase(code, controller.signal)
      .then(setData, (err: unknown) => !isAbort(err) && setError(describeError(err, t, i18n.language)))
      .finally(() => !controller.signal.aborted && setLoading(false));
    return () => controller.abort();
  }, [code, attempt, t, i18n.language]);

  // a page left open shows new progress without the resident doing anything
  useEffect(() => {
    if (!code) return;
    const id = window.setInterval(() => document.visibilityState === 'visible' && setAttempt((n) => n + 1), 60_000);
    return () => window.clearInterval(id);
  }, [code]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = normaliseTrackingCode(input);
    setInputError(!c);
    if (c) navigate(`/track/${c}`);
  };

  const kept = keptCodes();
  return (
    <div className="fa-page rp-track">
      {/* the page's title for those who read by headings; the tab above already shows it */}
      <h1 className="fa-sr">{t('resident.nav.track')}</h1>
      <form className="rp-lookup" onSubmit={submit}>
        <label className={`fa-field${inputError ? ' fa-invalid' : ''}`}>
          <span>{t('resident.track.label')}</span>
          <div className="rp-lookup-row">
            <input
              value={input}
              onChange={(e) => setInput(e.target.value)}
              placeholder={t('resident.track.placeholder')}
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              maxLength={16}
              data-testid="track-input"
            />
            <button type="submit" className="fa-btn fa-btn-primary" data-testid="track-submit">
              {t('resident.track.submit')}
            </button>
          </div>
        </label>
        {inputError && <p className="fa-error-text">{t('resident.track.badCode')}</p>}
      </form>

      {loading && !data && <p className="fa-muted fa-pad">{t('field.common.loading')}</p>}
      {error && (
        <div className="fa-note fa-note-error" role="alert">
          {error}
        </div>
      )}
      {data && <ProgressView c={data} onChanged={setData} onRefresh={() => setAttempt((n) => n + 1)} refreshing={loading} />}

      {!code && kept.length > 0 && (
        <section className="fa-section">
          <h2 className="fa-section-title">{t('resident.track.kept')}</h2>
          <ul className="fa-cards">
            {kept.map((k) => (
              <li key={k.code}>
                <Link to={`/track/${k.code}`} className="fa-case-card">
                  <div className="fa-row">
                    <strong className="fa-code">{k.code}</strong>
                    <span className="fa-muted">{formatTime(k.at)}</span>
                  </div>
                  <div className="fa-clamp">{k.summary}</div>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!code && (
        <Link to="/report" className="fa-card fa-link-card">
          <Icon name="camera" />
          <span>{t('resident.track.reportInstead')}</span>
          <Icon name="chevronRight" />
        </Link>
      )}
    </div>
  );
}
