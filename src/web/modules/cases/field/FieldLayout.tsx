import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { BrandMark } from '../../../app/BrandMark.js';
import { fetchQueueCounts } from '../shared/api.js';
import { itemsOf, useOutbox } from './offline/outbox.js';
import { useCached } from './offline/snapshots.js';
import { useFieldSession, useWorker } from './session.js';
import { Icon, type IconName } from './ui/Icon.js';

/** The frame of every field page: the title and the sending state on top, five big tabs below. */
const TITLES: [RegExp, string][] = [
  [/^\/field\/report/, 'field.nav.report'],
  [/^\/field\/tasks/, 'field.nav.tasks'],
  [/^\/field\/(mine|cases)/, 'field.nav.mine'],
  [/^\/field\/me/, 'field.nav.me'],
];

function SyncChip() {
  const { t } = useTranslation();
  const { user } = useWorker();
  const outbox = useOutbox();
  const mine = itemsOf(outbox, user.id);
  const waiting = mine.filter((i) => i.status === 'waiting' || i.status === 'sending').length;
  const stuck = mine.filter((i) => i.status === 'failed' || i.status === 'conflict').length;
  let tone: 'offline' | 'sending' | 'waiting' | 'stuck' | 'ok';
  let text: string;
  if (!outbox.online) {
    tone = 'offline';
    text = waiting ? t('field.sync.offlineWaiting', { count: waiting }) : t('field.sync.offline');
  } else if (stuck) {
    tone = 'stuck';
    text = t('field.sync.stuck', { count: stuck });
  } else if (outbox.sending && waiting) {
    tone = 'sending';
    text = t('field.sync.sending', { count: waiting });
  } else if (waiting) {
    tone = 'waiting';
    text = t('field.sync.waiting', { count: waiting });
  } else {
    tone = 'ok';
    text = t('field.sync.ok');
  }
  const icon: IconName = tone === 'offline' ? 'cloudOff' : tone === 'stuck' ? 'alert' : tone === 'ok' ? 'check' : 'upload';
  return (
    <NavLink to="/field/mine" className={`fa-sync fa-sync-${tone}`} data-testid="sync-chip" data-tone={tone} aria-live="polite">
      <Icon name={icon} size={18} strokeWidth={2.4} />
      <span>{text}</span>
    </NavLink>
  );
}

function Tab({ to, icon, label, badge, end }: { to: string; icon: IconName; label: string; badge?: number; end?: boolean }) {
  return (
    <NavLink to={to} end={end} className={({ isActive }) => `fa-tab${isActive ? ' fa-tab-active' : ''}`}>
      <span className="fa-tab-icon">
        <Icon name={icon} size={26} />
        {badge ? <span className="fa-badge">{badge > 99 ? '99+' : badge}</span> : null}
      </span>
      <span className="fa-tab-label">{label}</span>
    </NavLink>
  );
}

export function FieldLayout() {
  const { t } = useTranslation();
  const { user } = useWorker();
  const { refresh } = useFieldSession();
  const location = useLocation();
  const outbox = useOutbox();
  const queues = useCached(user.id, 'queues', (signal) => fetchQueueCounts(signal), [location.pathname === '/field/tasks', outbox.sent.length]);
  const tasks = (queues.data?.to_verify ?? 0) + (queues.data?.to_check ?? 0);
  const waiting = itemsOf(outbox, user.id).length;
  const title = TITLES.find(([re]) => re.test(location.pathname))?.[1] ?? 'field.nav.map';

  // a send refused for want of a session: ask the server, which ends the session on this phone too
  useEffect(() => {
    if (outbox.stopped === 'signin') void refresh().catch(() => undefined);
  }, [outbox.stopped, refresh]);

  // braces: newer browsers answer scrollTo with a promise, which an effect must not return
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <div className="fa-app">
      <header className="fa-top">
        <div className="fa-top-title">
          <BrandMark size={30} inverted />
          <h1>{t(title as 'field.nav.map')}</h1>
        </div>
        <SyncChip />
      </header>
      <main className="fa-main" id="fa-main">
        <Outlet />
      </main>
      <nav className="fa-tabs" aria-label={t('field.nav.label')}>
        <Tab to="/field" end icon="map" label={t('field.nav.map')} />
        <Tab to="/field/tasks" icon="tasks" label={t('field.nav.tasks')} badge={tasks} />
        <NavLink to="/field/report" className={({ isActive }) => `fa-tab fa-tab-report${isActive ? ' fa-tab-active' : ''}`} data-testid="tab-report">
          <span className="fa-tab-report-btn">
            <Icon name="plus" size={34} strokeWidth={2.6} />
          </span>
          <span className="fa-tab-label">{t('field.nav.report')}</span>
        </NavLink>
        <Tab to="/field/mine" icon="list" label={t('field.nav.mine')} badge={waiting} />
        <Tab to="/field/me" icon="user" label={t('field.nav.me')} />
      </nav>
    </div>
  );
}
