import type { Generated } from 'kysely';

/** Table types for the query builder. Times are epoch milliseconds. */
export interface DivisionsTable {
  code: string;
  level: number;
  name: string;
  parent_code: string | null;
  sort: number;
  geometry: string | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  area_m2: number | null;
  updated_at: number;
}

export interface DepartmentsTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string;
  area_code: string;
  phone: string | null;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  phone: string | null;
  password_hash: string;
  disabled: number;
  failed_logins: number;
  locked_until: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface GrantsTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  division_code: string | null;
  department_id: number | null;
  created_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  key_hash: string;
  role: string;
  division_code: string | null;
  department_id: number | null;
  created_by: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_user_id: number | null;
  actor_api_key_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  detail: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface FilesTable {
  sha256: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  exif_lon: number | null;
  exif_lat: number | null;
  taken_at: number | null;
  created_at: number;
}

export interface IdempotencyKeysTable {
  caller: string;
  key: string;
  route: string;
  status: number;
  body: string;
  created_at: number;
}

export interface TeamMembersTable {
  id: Generated<number>;
  name: string;
  phone: string | null;
  force: string;
  role: string;
  division_code: string;
  department_id: number | null;
  user_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface TeamAssignmentsTable {
  member_id: number;
  grid_code: string;
}

export interface Database {
  team_members: TeamMembersTable;
  team_assignments: TeamAssignmentsTable;
  files: FilesTable;
  idempotency_keys: IdempotencyKeysTable;
  settings: SettingsTable;
  divisions: DivisionsTable;
  departments: DepartmentsTable;
  users: UsersTable;
  grants: GrantsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}
