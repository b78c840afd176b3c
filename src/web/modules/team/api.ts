import { api } from '../../app/api.js';
import type { Force, TeamRole } from '../../../shared/team.js';

export interface TeamListItem {
  id: number;
  name: string;
  /** Masked (138****1234) unless the user may read personal data unmasked. */
  phone: string | null;
  force: Force;
  role: TeamRole;
  divisionCode: string;
  departmentId: number | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  gridCodes: string[];
  /** The same grids with their names; `retired`: redrawn away, to be replaced. */
  grids: { code: string; name: string; retired: boolean }[];
}

export interface TeamQuery {
  area?: string;
  force?: Force;
  role?: TeamRole;
  q?: string;
  page: number;
  pageSize: number;
}

export interface TeamCountRow {
  code: string;
  name: string;
  fulltime: number;
  social: number;
  professional: number;
  total: number;
  /** grid heads among them */
  heads: number;
}

export type CountLevel = 'district' | 'street' | 'community';

export interface NewTeamMember {
  name: string;
  phone?: string | null;
  role: TeamRole;
  gridCodes: string[];
  departmentId?: number | null;
}

export function fetchTeam(query: TeamQuery, signal?: AbortSignal): Promise<{ total: number; items: TeamListItem[] }> {
  return api.get('/api/team', { ...query }, signal);
}

export async function fetchTeamCounts(by: CountLevel, signal?: AbortSignal): Promise<TeamCountRow[]> {
  return (await api.get<{ items: TeamCountRow[] }>('/api/team/counts', { by }, signal)).items;
}

export function addTeamMember(member: NewTeamMember): Promise<{ id: number }> {
  return api.post('/api/team', member);
}

/** Changes a member; their grids are replaced by `gridCodes`. `phone` left out: unchanged; null: removed. */
export function updateTeamMember(id: number, member: Omit<NewTeamMember, 'phone'> & { phone?: string | null }): Promise<{ ok: true }> {
  return api.put(`/api/team/${id}`, member);
}

export function removeTeamMember(id: number): Promise<{ ok: true }> {
  return api.delete(`/api/team/${id}`);
}
