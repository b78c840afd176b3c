import { createBrowserRouter } from 'react-router-dom';
import { LightPageRedirect } from '../modules/cases/field/light.js';
import { NotFoundPage, RequireAuth, RequirePermission, RouteErrorPage } from './guards.js';
import { MainLayout } from './MainLayout.js';
// Every page loads on first visit, or beside the console's code when its address is opened (pages.ts).
import {
  ApiKeysPage, ApprovalsPage, AuditPage, CalendarPage, CasePage, CommunityPage, DashboardPage, DepartmentsPage, DivisionsPage, GridImportPage,
  HomePage, ImportPage, IndicatorsPage, MapPage, QueuePage, ReportPage, SignInPage, TasksPage, TeamPage, UsersPage,
} from './pages.js';

export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage />, errorElement: <RouteErrorPage /> },
  // the field app and the resident pages run without the console (see modules/cases/field/light.tsx)
  { path: '/field/*', element: <LightPageRedirect /> },
  { path: '/report', element: <LightPageRedirect /> },
  { path: '/track/*', element: <LightPageRedirect /> },
  {
    path: '/',
    errorElement: <RouteErrorPage />,
    element: (
      <RequireAuth>
        <MainLayout />
      </RequireAuth>
    ),
    // a page that breaks is replaced inside the console, its menu kept
    children: [
      {
        errorElement: <RouteErrorPage />,
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
          {
            path: 'map',
            element: (
              <RequirePermission permission="grids.read">
                <MapPage />
              </RequirePermission>
            ),
          },
          {
            path: 'team',
            element: (
              <RequirePermission permission="team.read">
                <TeamPage />
              </RequirePermission>
            ),
          },
          { path: 'admin/users', element: <RequirePermission permission="users.read"><UsersPage /></RequirePermission> },
          { path: 'admin/departments', element: <RequirePermission permission="departments.manage"><DepartmentsPage /></RequirePermission> },
          { path: 'admin/apikeys', element: <RequirePermission permission="apikeys.manage"><ApiKeysPage /></RequirePermission> },
          { path: 'admin/audit', element: <RequirePermission permission="audit.read"><AuditPage /></RequirePermission> },
          { path: 'admin/grids', element: <RequirePermission permission="grids.manage"><GridImportPage /></RequirePermission> },
          { path: 'admin/calendar', element: <RequirePermission permission="calendar.manage"><CalendarPage /></RequirePermission> },
          {
            path: 'cases',
            element: (
              <RequirePermission permission="cases.dispatch">
                <QueuePage />
              </RequirePermission>
            ),
          },
          {
            path: 'cases/approvals',
            element: (
              <RequirePermission permission="cases.approve">
                <ApprovalsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'cases/tasks',
            element: (
              <RequirePermission permission="cases.handle">
                <TasksPage />
              </RequirePermission>
            ),
          },
          {
            path: 'cases/community',
            element: (
              <RequirePermission permission="cases.accept">
                <CommunityPage />
              </RequirePermission>
            ),
          },
          {
            path: 'cases/:id',
            element: (
              <RequirePermission permission="cases.read">
                <CasePage />
              </RequirePermission>
            ),
          },
          { path: 'dashboard', element: <RequirePermission permission="evaluation.read"><DashboardPage /></RequirePermission> },
          { path: 'evaluation/indicators', element: <RequirePermission permission="evaluation.read"><IndicatorsPage /></RequirePermission> },
          { path: 'evaluation/report', element: <RequirePermission permission="evaluation.read"><ReportPage /></RequirePermission> },
          { path: 'evaluation/import', element: <RequirePermission permission="evaluation.configure"><ImportPage /></RequirePermission> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
