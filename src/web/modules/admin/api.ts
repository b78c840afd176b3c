import { api, request } from '../../app/api.js';
import type { GridImportResult } from '../../../shared/geo.js';
import { forgetLayers } from '../map/api.js';
import type { Role } from '../../../shared/permissions.js';
import type { bodyOf, CalendarYear } from './calendar.js';

export type { GridImportResult, GridProblem, RetiredCommunity, RetiredGrid } from '../../../shared/geo.js';

export interface UserGrant {
  id: number;
  role: Role;
  divisionCode: string | null;
  divisionName: string | null;
  /** The division was retired (a grid redrawn away, a community merged): grant one in use instead. */
  divisionRetired: boolean;
  departmentCode: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
}

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
  lastLoginAt: number | null;
  lockedUntil: number | null;
  /** The reader may reset its password, disable or unlock it: every grant of the account lies in their area. */
  manageable: boolean;
  grants: UserGrant[];
}

/** A role over a division (most roles) or over a department (department staff). */
export interface GrantInput {
  role: Role;
  divisionCode?: string | null;
  departmentCode?: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  phone?: string | null;
  grants: GrantInput[];
}

export interface Department {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  areaCode: string;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  divisionCode: string | null;
  divisionName: string | null;
  departmentId: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** the target's name where it still exists: an account's login name, a key's, a department's or an area's */
  targetName: string | null;
  ip: string | null;
  detail: string | null;
}

export async function fetchUsers(signal?: AbortSignal): Promise<UserRow[]> {
  return (await api.get<{ items: UserRow[] }>('/api/users', undefined, signal)).items;
}
export const createUser = (user: NewUser) => api.post<{ id: number }>('/api/users', user);
export const addGrant = (userId: number, grant: GrantInput) => api.post<{ ok: true }>(`/api/users/${userId}/grants`, grant);
export const removeGrant = (userId: number, grantId: number) => api.delete<{ ok: true }>(`/api/users/${userId}/grants/${grantId}`);
export const setPassword = (userId: number, password: string) => api.post<{ ok: true }>(`/api/users/${userId}/password`, { password });
export const setDisabled = (userId: number, disabled: boolean) => api.post<{ ok: true }>(`/api/users/${userId}/disabled`, { disabled });
export const unlockUser = (userId: number) => api.post<{ ok: true }>(`/api/users/${userId}/unlock`);

export async function fetchDepartments(signal?: AbortSignal): Promise<Department[]> {
  return (await api.get<{ items: Department[] }>('/api/departments', undefined, signal)).items;
}
export const createDepartment = (d: Omit<Department, 'id'>) => api.post<{ id: number }>('/api/departments', d);
export const renameDepartment = (id: number, d: { name: string; nameEn: string }) => api.put<{ ok: true }>(`/api/departments/${id}`, d);

export async function fetchApiKeys(signal?: AbortSignal): Promise<ApiKeyRow[]> {
  return (await api.get<{ items: ApiKeyRow[] }>('/api/apikeys', undefined, signal)).items;
}
/** The key itself comes back only here, once; the server keeps a hash. */
export const createApiKey = (input: GrantInput & { name: string }) => api.post<{ id: number; key: string; prefix: string }>('/api/apikeys', input);
export const revokeApiKey = (id: number) => api.delete<{ ok: true }>(`/api/apikeys/${id}`);

export async function fetchAudit(limit: number, before: number | undefined, signal?: AbortSignal): Promise<AuditEntry[]> {
  return (await api.get<{ items: AuditEntry[] }>('/api/audit', { limit, before }, signal)).items;
}

/**
 * Nothing is written when a feature is invalid, unless skipInvalid; the 422 carries details.problems.
 * retireMissing: the file redraws the communities it names, and their grids it leaves out are retired.
 * mergeCommunities (with retireMissing; 社区合并): communities of the same streets merged into the
 * file's communities, retired with all their grids; a code the server refuses is a 400 with
 * details.field 'mergeCommunities', and nothing is written.
 */
export interface BoundarySet { code: string; name: string; areaM2: number; bbox: [number, number, number, number] }

/** Sets the district's boundary (区界) from a GeoJSON file's contents; the maps draw it at once. */
export async function setBoundary(geojson: unknown): Promise<BoundarySet> {
  const result = await request<BoundarySet>('/api/geo/boundary', { method: 'PUT', body: geojson });
  forgetLayers();
  return result;
}

export async function importGrids(collection: unknown, skipInvalid: boolean, retireMissing: boolean, mergeCommunities: string[] = []): Promise<GridImportResult> {
  const query = { skipInvalid, retireMissing, mergeCommunities: mergeCommunities.length > 0 ? mergeCommunities.join(',') : undefined };
  const result = await request<GridImportResult>('/api/geo/grids/import', { method: 'POST', query, body: collection });
  forgetLayers(); // this browser's maps draw the new grids at once
  return result;
}

/** A year of the working calendar (工作日历): holidays and adjusted working days, and the year's working days. */
export const fetchCalendarYear = (year: number, signal?: AbortSignal) => api.get<CalendarYear>(`/api/admin/calendar/${year}`, undefined, signal);
/** Replaces the year's two lists; due times already set keep their value. */
export const saveCalendarYear = (year: number, body: ReturnType<typeof bodyOf> & { baseVersion: string }) => api.put<CalendarYear>(`/api/admin/calendar/${year}`, body);

/** Office hours (minutes after midnight), the yellow-card share, the case windows and the scheduler's interval. */
export interface TimingSettings {
  officeHours: [number, number][];
  yellowShare: number;
  archiveAfterDays: number;
  reopenWindowDays: number;
  schedulerIntervalSeconds: number;
}
export const fetchTimingSettings = (signal?: AbortSignal) => api.get<TimingSettings>('/api/admin/workflow-settings', undefined, signal);
export const saveTimingSettings = (s: TimingSettings) => api.put<TimingSettings>('/api/admin/workflow-settings', s);
