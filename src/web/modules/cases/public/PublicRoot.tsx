import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, NavLink, Outlet, RouterProvider } from 'react-router-dom';
import { BrandMark } from '../../../app/BrandMark.js';
import { PublicConfigProvider, usePublicConfig } from '../../../app/publicConfig.js';
import { LanguageToggle } from '../field/ui/LanguageToggle.js';
import { Crash } from '../field/ui/Crash.js';
import { ToastProvider } from '../field/ui/Toast.js';
import { ResidentReportPage } from './ResidentReportPage.js';
import { TrackPage } from './TrackPage.js';
import '../field/styles.js';
import './resident.css';

/**
 * The resident's pages: report a problem (/report) and follow it by tracking code (/track). No
 * account and no console: a phone opening a link from a poster or a WeChat message loads only this.
 */
function ResidentLayout() {
  const { t } = useTranslation();
  const config = usePublicConfig();
  return (
    <div className="rp-app">
      <header className="rp-top">
        <Link to="/report" className="rp-brand">
          <BrandMark size={34} inverted />
          <span>
            <strong>{t('resident.title')}</strong>
            <small>{config?.districtName ? t('resident.district', { name: config.districtName }) : t('app.platform')}</small>
          </span>
        </Link>
        <LanguageToggle dark />
      </header>
      <nav className="rp-nav" aria-label={t('resident.navLabel')}>
        <NavLink to="/report">{t('resident.nav.report')}</NavLink>
        <NavLink to="/track">{t('resident.nav.track')}</NavLink>
      </nav>
      <main className="rp-main">
        <Outlet />
      </main>
      <footer className="rp-footer">
        {t('resident.footer')}
        {config?.demo && <div className="rp-demo">{t('layout.demo')}</div>}
      </footer>
    </div>
  );
}

const router = createBrowserRouter([
  {
    element: <ResidentLayout />,
    errorElement: <Crash />,
    children: [
      { path: '/report', element: <ResidentReportPage /> },
      { path: '/track', element: <TrackPage /> },
      { path: '/track/:code', element: <TrackPage /> },
    ],
  },
]);

export function PublicRoot() {
  return (
    <PublicConfigProvider>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </PublicConfigProvider>
  );
}
