import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BrandMark } from '../../../app/BrandMark.js';
import { describeError } from '../../../app/errors.js';
import { getAll } from './offline/idb.js';
import type { OutboxItem } from './offline/model.js';
import { useFieldSession, type FieldSession } from './session.js';
import { LanguageToggle } from './ui/LanguageToggle.js';
import { usePageTitle } from './usePageTitle.js';

/** Signing in on the phone: two big fields and a button; what waits on the phone is said first. */
export function SignInScreen({ reason }: { reason: Extract<FieldSession, { status: 'signedOut' }>['reason'] }) {
  const { t, i18n } = useTranslation();
  const { signIn } = useFieldSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(0);
  usePageTitle(t('field.signIn.title'));

  useEffect(() => {
    getAll<OutboxItem>('outbox').then((items) => setWaiting(items.length), () => undefined);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setError(describeError(err, t, i18n.language));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    // the screen is the page's main content: a screen reader can jump to it
    <main className="fa-signin">
      <div className="fa-signin-top">
        <LanguageToggle dark />
      </div>
      <div className="fa-signin-brand">
        <BrandMark size={64} inverted />
        <h1>{t('field.appName')}</h1>
        <p>{t('field.signIn.subtitle')}</p>
      </div>
      <form className="fa-signin-form" onSubmit={(e) => void submit(e)}>
        {reason === 'expired' && <div className="fa-note fa-note-warn">{t('field.signIn.expired')}</div>}
        {reason === 'offline' && <div className="fa-note fa-note-warn">{t('field.signIn.offline')}</div>}
        {waiting > 0 && <div className="fa-note" data-testid="signin-waiting">{t('field.signIn.waiting', { count: waiting })}</div>}
        <label className="fa-field">
          <span>{t('field.signIn.username')}</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" required />
        </label>
        <label className="fa-field">
          <span>{t('field.signIn.password')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {error && (
          <div className="fa-note fa-note-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="fa-btn fa-btn-primary fa-btn-block" disabled={busy}>
          {busy ? t('field.signIn.busy') : t('field.signIn.submit')}
        </button>
      </form>
    </main>
  );
}
