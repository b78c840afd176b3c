import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useRouteError } from 'react-router-dom';
import { useAuth } from './auth.js';
import { useDocumentTitle } from './hooks.js';
import { isStaleCodeError } from './staleCode.js';

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="og-full-page-spinner" role="status" aria-live="polite">
      <Spin size="large" />
      <span>{t('app.loading')}</span>
    </div>
  );
}

/** Pages behind it need a session; without one the user goes to sign-in and comes back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpinner />;
  if (state.status === 'signedOut') {
    const from = state.reason === 'signedOut' ? undefined : `${location.pathname}${location.search}`;
    return <Navigate to="/signin" replace state={{ from }} />;
  }
  return <>{children}</>;
}

/**
 * The menu already hides what a user may not open; this covers typed-in addresses. The server is
 * the real gate: it refuses the data whatever the page shows.
 */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  if (can(permission)) return <>{children}</>;
  return <ForbiddenPage />;
}

function ForbiddenPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('forbidden.title'));
  return (
    <Result
      status="403"
      title={t('forbidden.title')}
      subTitle={t('forbidden.subtitle')}
      extra={<BackHomeButton />}
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      subTitle={t('notFound.subtitle')}
      extra={<BackHomeButton />}
    />
  );
}

/**
 * What the console shows instead of a page that broke: its own words, and a reload. A page whose
 * code is gone from the server (an upgrade since the console was opened) says so.
 */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  useDocumentTitle(t('crash.title'));
  return (
    <Result
      status="warning"
      title={t('crash.title')}
      subTitle={isStaleCodeError(error) ? t('crash.stale') : t('crash.subtitle')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </Button>
      }
    />
  );
}

function BackHomeButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate('/')}>
      {t('common.backHome')}
    </Button>
  );
}
