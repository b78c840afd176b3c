import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grantSummary } from '../../../app/grants.js';
import { currentLanguage } from '../../../app/i18n.js';
import { itemsOf, useOutbox } from './offline/outbox.js';
import { PasswordCard } from './me/PasswordCard.js';
import { useInstall } from './pwa.js';
import { useFieldSession, useWorker } from './session.js';
import { Icon } from './ui/Icon.js';
import { LanguageToggle } from './ui/LanguageToggle.js';
import { useToast } from './ui/Toast.js';
import { usePageTitle } from './usePageTitle.js';

/** 我的: who is signed in, the language, installing the app, changing the password, the console, signing out. */
export function MePage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { user, offline } = useWorker();
  const { signOut } = useFieldSession();
  const outbox = useOutbox();
  const toast = useToast();
  const install = useInstall();
  const [confirm, setConfirm] = useState(false);
  const [offlineReady, setOfflineReady] = useState(false);
  usePageTitle(t('field.nav.me'));
  const waiting = itemsOf(outbox, user.id).length;

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    void navigator.serviceWorker.getRegistration().then((r) => setOfflineReady(Boolean(r?.active)));
  }, []);

  const doSignOut = async () => {
    try {
      await signOut();
    } catch {
      toast(t('field.me.signOutOffline'), 'warn');
    }
  };

  return (
    <div className="fa-page">
      <section className="fa-card fa-me">
        <div className="fa-avatar" aria-hidden>
          <Icon name="user" size={34} />
        </div>
        <div>
          <div className="fa-me-name" data-testid="field-user">
            {user.displayName}
          </div>
          {user.grants.map((g, i) => (
            <div key={i} className="fa-muted">
              {grantSummary(g, t, lang)}
            </div>
          ))}
          {offline && <div className="fa-pill fa-pill-warn">{t('field.me.offlineSession')}</div>}
        </div>
      </section>

      <section className="fa-card">
        <h2 className="fa-card-title">{t('layout.language')}</h2>
        <LanguageToggle />
      </section>

      <section className="fa-card">
        <h2 className="fa-card-title">{t('field.me.install')}</h2>
        <p className="fa-muted">{install.installed ? t('field.me.installed') : t('field.me.installHelp')}</p>
        {install.canInstall && (
          <button type="button" className="fa-btn fa-btn-primary fa-btn-block" onClick={() => void install.install()}>
            <Icon name="download" />
            {t('field.me.installButton')}
          </button>
        )}
        <p className={offlineReady ? 'fa-ok' : 'fa-muted'} data-testid="offline-ready">
          <Icon name={offlineReady ? 'check' : 'clock'} size={18} /> {offlineReady ? t('field.me.offlineReady') : t('field.me.offlineNotYet')}
        </p>
      </section>

      {!offline && <PasswordCard />}

      <a className="fa-card fa-link-card" href="/">
        <Icon name="desktop" />
        <span>{t('field.me.console')}</span>
        <Icon name="chevronRight" />
      </a>

      {confirm && waiting > 0 ? (
        <section className="fa-card fa-card-warn">
          <p>{t('field.me.signOutWaiting', { count: waiting })}</p>
          <div className="fa-row">
            <button type="button" className="fa-btn fa-btn-danger" onClick={() => void doSignOut()}>
              {t('field.me.signOutAnyway')}
            </button>
            <button type="button" className="fa-btn" onClick={() => setConfirm(false)}>
              {t('field.common.cancel')}
            </button>
          </div>
        </section>
      ) : (
        <button type="button" className="fa-btn fa-btn-block fa-btn-quiet" onClick={() => (waiting > 0 ? setConfirm(true) : void doSignOut())}>
          <Icon name="signOut" />
          {t('layout.signOut')}
        </button>
      )}
    </div>
  );
}
