/**
 * Roles and the permission catalogue: data, not code. Every permission check in the server and
 * every menu in the web reads these tables; nothing re-derives them with ad-hoc ifs.
 */

export const ROLES = [
  'admin',
  'district_dispatcher',
  'street_dispatcher',
  'community_staff',
  'grid_worker',
  'department_staff',
  'leader',
] as const;
export type Role = (typeof ROLES)[number];

/** Platform level each role works at (三级平台 + field + departments). */
export const ROLE_INFO: Record<Role, { zh: string; en: string; scope: 'division' | 'department' }> = {
  admin: { zh: '系统管理员', en: 'Administrator', scope: 'division' },
  district_dispatcher: { zh: '区中心调度员', en: 'District dispatcher', scope: 'division' },
  street_dispatcher: { zh: '街道分中心调度员', en: 'Street dispatcher', scope: 'division' },
  community_staff: { zh: '社区工作站人员', en: 'Community staff', scope: 'division' },
  grid_worker: { zh: '网格员', en: 'Grid worker', scope: 'division' },
  department_staff: { zh: '专业部门人员', en: 'Department staff', scope: 'department' },
  leader: { zh: '领导（只读）', en: 'Leader (read-only)', scope: 'division' },
};

export interface PermissionDef {
  key: string;
  zh: string;
  en: string;
  description: string;
}

export const PERMISSIONS = [
  { key: 'divisions.read', zh: '查看行政区划', en: 'View divisions', description: 'Browse district, streets, communities and grids.' },
  { key: 'divisions.manage', zh: '维护行政区划', en: 'Manage divisions', description: 'Import and edit the division tree.' },
  { key: 'grids.read', zh: '查看网格', en: 'View grids', description: 'See grids, their polygons and cards on the map.' },
  { key: 'grids.manage', zh: '维护网格', en: 'Manage grids', description: 'Import grids, run the coverage check, edit grid data.' },
  { key: 'team.read', zh: '查看网格团队', en: 'View grid team', description: 'See grid team members and counts.' },
  { key: 'team.manage', zh: '维护网格团队', en: 'Manage grid team', description: 'Add, edit and assign grid team members.' },
  { key: 'users.read', zh: '查看用户', en: 'View users', description: 'List user accounts and their grants.' },
  { key: 'users.manage', zh: '管理用户与授权', en: 'Manage users and grants', description: 'Create users, reset passwords, grant and revoke roles.' },
  { key: 'departments.manage', zh: '管理部门', en: 'Manage departments', description: 'Create and edit professional departments.' },
  { key: 'apikeys.manage', zh: '管理接口密钥', en: 'Manage API keys', description: 'Create, list and revoke API keys for other systems.' },
  { key: 'audit.read', zh: '查看审计日志', en: 'View audit log', description: 'Read sign-ins and administrative changes.' },
  { key: 'cases.read', zh: '查看案件', en: 'View cases', description: 'List and read cases inside one\'s jurisdiction.' },
  { key: 'cases.report', zh: '上报案件', en: 'Report cases', description: 'Report a problem (采集上报), including hotline entries.' },
  { key: 'cases.verify', zh: '核实', en: 'Verify reports', description: 'Check on site that a public report is real (核实).' },
  { key: 'cases.accept', zh: '立案', en: 'Accept or reject', description: 'Accept a verified report as a case (立案) or reject it (不予立案).' },
  { key: 'cases.dispatch', zh: '指挥派遣', en: 'Dispatch', description: 'Dispatch a case to a department or a platform level; re-route returned cases.' },
  { key: 'cases.handle', zh: '处置反馈', en: 'Handle', description: 'Accept, return, handle and feed back on a dispatched case.' },
  { key: 'cases.check', zh: '核查', en: 'Check handling', description: 'Check on site that the handling worked (核查).' },
  { key: 'cases.self_resolve', zh: '自处理', en: 'Self-resolve', description: 'Resolve a small problem on the spot as a grid worker (自处理).' },
  { key: 'cases.close', zh: '结单归档', en: 'Close and archive', description: 'Close a checked case (结单) and archive it (归档).' },
  { key: 'cases.escalate', zh: '上报上级平台', en: 'Escalate', description: 'Escalate a case to the next platform level.' },
  { key: 'cases.request', zh: '提出申请', en: 'Request approval', description: 'Request postponement, suspension or cancellation.' },
  { key: 'cases.approve', zh: '审批', en: 'Approve requests', description: 'Approve or refuse postponement, suspension, cancellation and returns.' },
  { key: 'cases.urge', zh: '督办', en: 'Urge', description: 'Urge the holder of an open case (督办).' },
  { key: 'cases.comment', zh: '补充说明', en: 'Add a note', description: 'Add a note to an open case (补充说明): no change of state or clock.' },
  { key: 'cases.instruct', zh: '领导批示', en: 'Instruct', description: 'Add a leader instruction to an open case (批示).' },
  { key: 'cases.merge', zh: '合并重复案件', en: 'Merge duplicates', description: 'Merge a duplicate report into its original.' },
  { key: 'categories.manage', zh: '维护案件分类', en: 'Manage categories', description: 'Edit categories, filing and closing conditions, time limits.' },
  { key: 'calendar.manage', zh: '维护工作日历', en: 'Manage calendar', description: 'Set office hours, holidays and adjusted working days.' },
  { key: 'dispatch_rules.manage', zh: '维护派遣规则', en: 'Manage dispatch rules', description: 'Edit category × area → department rules.' },
  { key: 'evaluation.read', zh: '查看综合评价', en: 'View evaluation', description: 'See indicators, rankings and dashboards.' },
  { key: 'evaluation.configure', zh: '配置评价权重', en: 'Configure evaluation', description: 'Change indicator weights and grade bands.' },
  { key: 'exports.run', zh: '导出数据', en: 'Export data', description: 'Export lists and indicator tables as CSV or XLSX.' },
  { key: 'persons.read_unmasked', zh: '查看未脱敏个人信息', en: 'Read unmasked personal data', description: 'See identity numbers and phone numbers unmasked (every read is audited).' },
] as const satisfies readonly PermissionDef[];

export type Permission = (typeof PERMISSIONS)[number]['key'];

const ALL = PERMISSIONS.map((p) => p.key) as Permission[];
const READ: Permission[] = ['divisions.read', 'grids.read', 'team.read', 'cases.read', 'evaluation.read'];
const CASE_FLOW_ALL: Permission[] = [
  'cases.report', 'cases.verify', 'cases.accept', 'cases.dispatch', 'cases.check', 'cases.close',
  'cases.escalate', 'cases.request', 'cases.approve', 'cases.urge', 'cases.merge', 'cases.comment',
];

/** What each role may do. Denied by default: a key not listed here is refused. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ALL.filter((k) => !k.startsWith('cases.') || k === 'cases.read'),
  district_dispatcher: [...READ, ...CASE_FLOW_ALL, 'exports.run', 'users.read'],
  street_dispatcher: [...READ, ...CASE_FLOW_ALL, 'exports.run'],
  community_staff: [...READ, 'cases.report', 'cases.verify', 'cases.accept', 'cases.check', 'cases.close', 'cases.escalate', 'cases.handle', 'cases.request', 'cases.comment'],
  grid_worker: ['divisions.read', 'grids.read', 'team.read', 'cases.read', 'cases.report', 'cases.verify', 'cases.check', 'cases.self_resolve', 'cases.comment'],
  department_staff: ['divisions.read', 'grids.read', 'cases.read', 'cases.handle', 'cases.request', 'cases.comment'],
  leader: [...READ, 'cases.urge', 'cases.instruct', 'exports.run', 'audit.read'],
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Division levels (organization levels used for jurisdiction). */
export const LEVELS = { city: 40, district: 30, street: 20, community: 10, grid: 0 } as const;
export type LevelName = keyof typeof LEVELS;
/** Length of a division code at each level: district 6, street 9, community 12, grid 15. */
export const CODE_LENGTH: Record<number, number> = { 40: 4, 30: 6, 20: 9, 10: 12, 0: 15 };
