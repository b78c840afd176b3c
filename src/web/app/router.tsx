import { lazy } from 'react';
import { createBrowserRouter } from 'react-router-dom';
import SignInPage from '../modules/auth/SignInPage.js';
import HomePage from '../modules/home/HomePage.js';
import { LightPageRedirect } from '../modules/cases/field/light.js';
import { NotFoundPage, RequireAuth, RequirePermission } from './guards.js';
import { MainLayout } from './MainLayout.js';

// Module pages load on first visit; the sign-in and home pages come with the first download.
const DivisionsPage = lazy(() => import('../modules/divisions/DivisionsPage.js'));

export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage /> },
  // the field app and the resident pages run without the console (see modules/cases/field/light.tsx)
  { path: '/field/*', element: <LightPageRedirect /> },
  { path: '/report', element: <LightPageRedirect /> },
  { path: '/track/*', element: <LightPageRedirect /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <MainLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'divisions/:code?',
        element: (
          <RequirePermission permission="divisions.read">
            <DivisionsPage />
          </RequirePermission>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
