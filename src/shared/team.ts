/** The grid team (网格工作团队): three forces and the roles inside each. */
export const FORCES = ['fulltime', 'social', 'professional'] as const;
export type Force = (typeof FORCES)[number];

export const FORCE_LABELS: Record<Force, { zh: string; en: string }> = {
  fulltime: { zh: '专职力量', en: 'Full-time' },
  social: { zh: '社会力量', en: 'Social' },
  professional: { zh: '专业力量', en: 'Professional' },
};

export const TEAM_ROLES = {
  grid_head: { force: 'fulltime', zh: '网格长', en: 'Grid head' },
  grid_worker: { force: 'fulltime', zh: '专职网格员', en: 'Grid worker' },
  volunteer: { force: 'social', zh: '志愿者', en: 'Volunteer' },
  building_head: { force: 'social', zh: '楼门长', en: 'Building head' },
  persuasion: { force: 'social', zh: '市民劝导队员', en: 'Persuasion team member' },
  department_staff: { force: 'professional', zh: '下沉专业人员', en: 'Department staff in the grid' },
} as const satisfies Record<string, { force: Force; zh: string; en: string }>;
export type TeamRole = keyof typeof TEAM_ROLES;
export const TEAM_ROLE_KEYS = Object.keys(TEAM_ROLES) as TeamRole[];

/** Phone numbers are personal data: shown masked (138****1234) unless the role may read them unmasked. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
