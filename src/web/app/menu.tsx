import { AlertOutlined, ApartmentOutlined, AuditOutlined, CarryOutOutlined, GlobalOutlined, HomeOutlined, ShopOutlined } from '@ant-design/icons';
import { MobileOutlined } from '@ant-design/icons';
import { BankOutlined, CalendarOutlined, CloudUploadOutlined, FileSearchOutlined, KeyOutlined, TeamOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { BarChartOutlined, DashboardOutlined, ImportOutlined, PrinterOutlined } from '@ant-design/icons';
import type { ParseKeys } from 'i18next';
import type { ReactNode } from 'react';
import type { Permission } from '../../shared/permissions.js';

export interface MenuEntry {
  key: string;
  path: string;
  icon: ReactNode;
  /** i18n key of the label. */
  labelKey: ParseKeys;
  /** i18n key of the one-line description shown on the home page's quick links; none for home itself. */
  descriptionKey: ParseKeys | null;
  /** The permission that shows the entry; null means every signed-in user. */
  permission: Permission | null;
  /** The permission must cover the whole district (what writes into every area). */
  reach?: 'district';
  /** Where the description promises changes: the words for a reader without the permission to make them. */
  readOnly?: { unless: Permission; descriptionKey: ParseKeys };
}

/** The quick link's description for this user: what they can do there, not what others can. */
export function descriptionOf(entry: MenuEntry, can: (permission: Permission) => boolean): ParseKeys | null {
  return entry.readOnly && !can(entry.readOnly.unless) ? entry.readOnly.descriptionKey : entry.descriptionKey;
}

/**
 * The navigation as data. A module adds a row here (and its route in router.tsx); the layout and
 * the home page's quick links show a row only to users whose `permissions` include its key (and,
 * for an entry with `reach: 'district'`, whose `districtWide` does).
 */
export const MENU: readonly MenuEntry[] = [
  { key: 'home', path: '/', icon: <HomeOutlined />, labelKey: 'nav.home', descriptionKey: null, permission: null },
  {
    key: 'divisions',
    path: '/divisions',
    icon: <ApartmentOutlined />,
    labelKey: 'nav.divisions',
    descriptionKey: 'home.links.divisions',
    permission: 'divisions.read',
  },
  { key: 'map', path: '/map', icon: <GlobalOutlined />, labelKey: 'map.nav', descriptionKey: 'map.navDescription', permission: 'grids.read' },
  { key: 'team', path: '/team', icon: <TeamOutlined />, labelKey: 'team.nav', descriptionKey: 'team.navDescription', permission: 'team.read', readOnly: { unless: 'team.manage', descriptionKey: 'team.navDescriptionRead' } },
  // the field app runs in a document of its own, made for a phone (modules/cases/field)
  { key: 'field', path: '/field', icon: <MobileOutlined />, labelKey: 'field.nav.menu', descriptionKey: 'field.nav.menuDescription', permission: 'cases.report' },
  { key: 'cases', path: '/cases', icon: <AlertOutlined />, labelKey: 'cases.desk.nav', descriptionKey: 'cases.desk.navDescription', permission: 'cases.dispatch' },
  {
    key: 'approvals',
    path: '/cases/approvals',
    icon: <AuditOutlined />,
    labelKey: 'cases.desk.approvals.nav',
    descriptionKey: 'cases.desk.approvals.navDescription',
    permission: 'cases.approve',
  },
  { key: 'tasks', path: '/cases/tasks', icon: <CarryOutOutlined />, labelKey: 'cases.tasks.nav', descriptionKey: 'cases.tasks.navDescription', permission: 'cases.handle' },
  {
    key: 'community',
    path: '/cases/community',
    icon: <ShopOutlined />,
    labelKey: 'cases.community.nav',
    descriptionKey: 'cases.community.navDescription',
    permission: 'cases.accept',
  },
  // evaluation (综合评价): the leaders' dashboard and the indicator tables
  { key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined />, labelKey: 'evaluation.nav', descriptionKey: 'evaluation.navDescription', permission: 'evaluation.read' },
  { key: 'indicators', path: '/evaluation/indicators', icon: <BarChartOutlined />, labelKey: 'evaluation.indicatorsNav', descriptionKey: 'evaluation.indicatorsNavDescription', permission: 'evaluation.read' },
  { key: 'report', path: '/evaluation/report', icon: <PrinterOutlined />, labelKey: 'evaluation.report.nav', descriptionKey: 'evaluation.report.navDescription', permission: 'evaluation.read' },
  // administration last: most users never see these rows
  { key: 'admin-users', path: '/admin/users', icon: <UserSwitchOutlined />, labelKey: 'admin.users.nav', descriptionKey: 'admin.users.navDescription', permission: 'users.read' },
  { key: 'admin-departments', path: '/admin/departments', icon: <BankOutlined />, labelKey: 'admin.departments.nav', descriptionKey: 'admin.departments.navDescription', permission: 'departments.manage' },
  { key: 'admin-grids', path: '/admin/grids', icon: <CloudUploadOutlined />, labelKey: 'admin.grids.nav', descriptionKey: 'admin.grids.navDescription', permission: 'grids.manage' },
  { key: 'admin-calendar', path: '/admin/calendar', icon: <CalendarOutlined />, labelKey: 'admin.calendar.nav', descriptionKey: 'admin.calendar.navDescription', permission: 'calendar.manage', reach: 'district' },
  { key: 'admin-apikeys', path: '/admin/apikeys', icon: <KeyOutlined />, labelKey: 'admin.apikeys.nav', descriptionKey: 'admin.apikeys.navDescription', permission: 'apikeys.manage' },
  { key: 'admin-import', path: '/evaluation/import', icon: <ImportOutlined />, labelKey: 'evaluation.importNav', descriptionKey: 'evaluation.importNavDescription', permission: 'evaluation.configure', reach: 'district' },
  { key: 'admin-audit', path: '/admin/audit', icon: <FileSearchOutlined />, labelKey: 'admin.audit.nav', descriptionKey: 'admin.audit.navDescription', permission: 'audit.read' },
];

export function visibleMenu(can: (permission: string, reach?: 'district') => boolean): MenuEntry[] {
  return MENU.filter((entry) => entry.permission === null || can(entry.permission, entry.reach));
}

/** The entry whose path is the longest prefix of the location, so /divisions/110112 lights "divisions". */
export function activeMenuKey(pathname: string, entries: readonly MenuEntry[]): string | undefined {
  let best: MenuEntry | undefined;
  for (const entry of entries) {
    const matches = entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(`${entry.path}/`);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best?.key;
}
