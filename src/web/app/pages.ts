import type { ComponentType } from 'react';
import { requestEarly } from './api.js';
import { preloadable, type Preloadable } from './preloadable.js';

/**
 * The console's pages, each in a chunk of its own that loads on first visit. An address opened
 * directly starts its page's code, the session check and the page's first data beside the
 * console's own code (main.tsx), instead of one after the other.
 */

type Page = Preloadable<Record<string, never>>;
const page = (load: () => Promise<{ default: ComponentType }>): Page => preloadable(load);

export const SignInPage = page(() => import('../modules/auth/SignInPage.js'));
export const HomePage = page(() => import('../modules/home/HomePage.js'));
export const DivisionsPage = page(() => import('../modules/divisions/DivisionsPage.js'));
export const QueuePage = page(() => import('../modules/cases/queue/QueuePage.js'));
export const CasePage = page(() => import('../modules/cases/case/CasePage.js'));
export const ApprovalsPage = page(() => import('../modules/cases/approvals/ApprovalsPage.js'));
export const TasksPage = page(() => import('../modules/cases/tasks/TasksPage.js'));
export const CommunityPage = page(() => import('../modules/cases/community/CommunityPage.js'));
export const MapPage = page(() => import('../modules/map/MapPage.js'));
export const TeamPage = page(() => import('../modules/team/TeamPage.js'));
export const UsersPage = page(() => import('../modules/admin/UsersPage.js'));
export const DepartmentsPage = page(() => import('../modules/admin/DepartmentsPage.js'));
export const ApiKeysPage = page(() => import('../modules/admin/ApiKeysPage.js'));
export const AuditPage = page(() => import('../modules/admin/AuditPage.js'));
export const GridImportPage = page(() => import('../modules/admin/GridImportPage.js'));
export const CalendarPage = page(() => import('../modules/admin/CalendarPage.js'));
export const DashboardPage = page(() => import('../modules/evaluation/DashboardPage.js'));
export const IndicatorsPage = page(() => import('../modules/evaluation/IndicatorsPage.js'));
export const ImportPage = page(() => import('../modules/evaluation/ImportPage.js'));
export const ReportPage = page(() => import('../modules/evaluation/ReportPage.js'));

/** Which page an address opens (router.tsx has the same paths), and the data it asks for first. */
const BY_PATH: { path: RegExp; page: Page; data?: (params: URLSearchParams) => Promise<unknown> }[] = [
  { path: /^\/signin\/?$/, page: SignInPage },
  { path: /^\/$/, page: HomePage },
  { path: /^\/cases\/?$/, page: QueuePage, data: (params) => import('../modules/cases/queue/data.js').then((m) => m.requestQueueEarly(params)) },
  { path: /^\/cases\/approvals\/?$/, page: ApprovalsPage },
  { path: /^\/cases\/tasks\/?$/, page: TasksPage },
  { path: /^\/cases\/community\/?$/, page: CommunityPage },
  { path: /^\/cases\/[^/]+\/?$/, page: CasePage },
  { path: /^\/divisions(\/|$)/, page: DivisionsPage },
  // the map's layers and MapLibre (1 MB) download with the console rather than after the page has drawn
  { path: /^\/map\/?$/, page: MapPage, data: () => Promise.all([import('../modules/map/api.js').then((m) => m.requestLayersEarly()), import('../modules/map/GridMap.js')]) },
  { path: /^\/team\/?$/, page: TeamPage },
  { path: /^\/admin\/users\/?$/, page: UsersPage },
  { path: /^\/admin\/departments\/?$/, page: DepartmentsPage },
  { path: /^\/admin\/apikeys\/?$/, page: ApiKeysPage },
  { path: /^\/admin\/audit\/?$/, page: AuditPage },
  { path: /^\/admin\/grids\/?$/, page: GridImportPage },
  { path: /^\/admin\/calendar\/?$/, page: CalendarPage },
  { path: /^\/dashboard\/?$/, page: DashboardPage },
  { path: /^\/evaluation\/indicators\/?$/, page: IndicatorsPage },
  { path: /^\/evaluation\/import\/?$/, page: ImportPage },
  { path: /^\/evaluation\/report\/?$/, page: ReportPage },
];

/** The page a console address opens, if it is one of these. */
export function pageOf(pathname: string): Page | undefined {
  return BY_PATH.find((p) => p.path.test(pathname))?.page;
}

/** Starts what the console at this address needs before it can draw, while its code downloads. */
export function startConsole(location: { pathname: string; search: string }): void {
  requestEarly('/api/auth/me');
  requestEarly('/api/config/public');
  const match = BY_PATH.find((p) => p.path.test(location.pathname));
  if (!match) return;
  // a failure here is seen again, and shown, when the page itself loads
  match.data?.(new URLSearchParams(location.search)).catch(() => undefined);
  match.page.preload().catch(() => undefined);
}
