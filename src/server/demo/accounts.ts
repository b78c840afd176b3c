import type { Executor } from '../platform/db.js';
import type { Role } from '../../shared/permissions.js';
import { createUser } from '../modules/people/users.service.js';
import { hashPassword } from '../platform/secrets.js';

/** The demo's sign-in password for every demo account (printed at start; demo mode only). */
export const DEMO_PASSWORD = 'onegrid2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  divisionCode?: string;
  departmentCode?: string;
}

/** One account per role, placed in Tongzhou: 中仓街道 and its first community and grid. */
export function demoAccounts(place: { district: string; street: string; community: string; grid: string | null; department: string }): DemoAccount[] {
  return [
    { username: 'admin', displayName: '系统管理员', role: 'admin', divisionCode: place.district },
    { username: 'district', displayName: '区中心调度员 王敏', role: 'district_dispatcher', divisionCode: place.district },
    { username: 'street', displayName: '街道分中心调度员 李强', role: 'street_dispatcher', divisionCode: place.street },
    { username: 'community', displayName: '社区工作站 张丽', role: 'community_staff', divisionCode: place.community },
    { username: 'gridworker', displayName: '网格员 刘洋', role: 'grid_worker', divisionCode: place.grid ?? place.community },
    { username: 'department', displayName: '城管执法 陈刚', role: 'department_staff', departmentCode: place.department },
    { username: 'leader', displayName: '区领导 赵建国', role: 'leader', divisionCode: place.district },
  ];
}

export async function createDemoAccounts(db: Executor, accounts: DemoAccount[], now: number, password = DEMO_PASSWORD) {
  const hash = await hashPassword(password);
  for (const a of accounts) {
    await createUser(db, { actor: null, now }, {
      username: a.username,
      displayName: a.displayName,
      password,
      grants: [{ role: a.role, divisionCode: a.divisionCode ?? null, departmentCode: a.departmentCode ?? null }],
    }, hash);
  }
}
