import type { ColumnType, Generated } from 'kysely';

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
  /** 019: when a grid was retired (redrawn away) or a community merged into another; null while in use. */
  retired_at: ColumnType<number | null, number | null | undefined, number | null>;
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

export interface CategoryVersionsTable {
  version: number;
  body: string;
  note: string | null;
  created_by: number | null;
  created_at: number;
}

export interface CategoriesTable {
  code: string;
  parent_code: string | null;
  kind: string;
  name_zh: string;
  name_en: string;
  default_department: string | null;
  platform_level: string | null;
  duplicate_radius_m: number | null;
  duplicate_window_h: number | null;
  sort: number;
  version: number;
}

export interface CategoryConditionsTable {
  code: string;
  category_code: string;
  kind: string;
  text_zh: string;
  text_en: string;
  limit_amount: number | null;
  limit_unit: string | null;
  sort: number;
}

export interface CalendarDaysTable {
  date: string;
  kind: string;
  name: string | null;
}

export interface CaseCountersTable {
  day: string;
  n: number;
}

export interface CasesTable {
  id: Generated<number>;
  number: string;
  tracking_code: string;
  state: string;
  level: string;
  source: string;
  reported_by: string;
  reporter_user_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  category_code: string | null;
  filing_category_code: string | null;
  filing_category_version: number | null;
  filing_condition_code: string | null;
  filing_limit_amount: number | null;
  filing_limit_unit: string | null;
  holder_kind: string | null;
  holder_code: string | null;
  returned_from_kind: string | null;
  returned_from_code: string | null;
  self_resolved_by: string | null;
  rework_count: number;
  request_kind: string | null;
  request_by: string | null;
  request_at: number | null;
  request_reason: string | null;
  request_due_at: number | null;
  step: string | null;
  step_started_at: number | null;
  step_limit_amount: number | null;
  step_limit_unit: string | null;
  due_at: number | null;
  warn_at: number | null;
  suspended_at: number | null;
  suspended_from: string | null;
  closed_at: number | null;
  merged_into: number | null;
  grid_code: string;
  lon: number;
  lat: number;
  address: string | null;
  description: string;
  department_id: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  action: string;
  from_state: string;
  to_state: string;
  at: number;
  actor_id: string;
  actor_kind: string;
  actor_user_id: number | null;
  actor_name: string | null;
  actor_level: string | null;
  actor_division_code: string | null;
  actor_department_code: string | null;
  input: string;
  step: string | null;
  due_at: number | null;
  withdrawn_request: string | null;
  comment: string | null;
}

export interface CasePhotosTable {
  id: Generated<number>;
  case_id: number;
  event_id: number;
  sha256: string;
  kind: string;
  sort: number;
}

export interface CaseDepartmentsTable {
  case_id: number;
  department_id: number;
  since: number;
}

export interface Database {
  category_versions: CategoryVersionsTable;
  categories: CategoriesTable;
  category_conditions: CategoryConditionsTable;
  calendar_days: CalendarDaysTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_photos: CasePhotosTable;
  case_departments: CaseDepartmentsTable;
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

/** 005_case_support: dispatch rules, the inbox, cards given per step, job leases. */
export interface DispatchRulesTable {
  id: Generated<number>;
  category_code: string;
  area_code: string;
  department_code: string | null;
  level: string | null;
  priority: number;
  auto: number;
  note: string | null;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  case_id: number;
  event_id: number | null;
  kind: string;
  title: string;
  created_at: number;
  read_at: number | null;
}

export interface CaseCardsTable {
  case_id: number;
  kind: string;
  step: string;
  step_started_at: number;
  due_at: number;
  at: number;
  event_id: number | null;
}

export interface JobLeasesTable {
  name: string;
  owner: string;
  expires_at: number;
  last_run_at: number | null;
}

export interface Database {
  dispatch_rules: DispatchRulesTable;
  notifications: NotificationsTable;
  case_cards: CaseCardsTable;
  job_leases: JobLeasesTable;
}

/** 006_evaluation: the marks of each case, their rollups, handling-time histograms, people, imports. */
type MeasureColumns = {
  reported: Generated<number>; valid: Generated<number>; rejected: Generated<number>; merged: Generated<number>;
  verified: Generated<number>; verified_on_time: Generated<number>; accepted: Generated<number>; missed: Generated<number>;
  dispatched: Generated<number>; dispatched_on_time: Generated<number>; dispatch_accurate: Generated<number>; due: Generated<number>;
  handled: Generated<number>; handled_on_time: Generated<number>; handling_ms: Generated<number>; returned: Generated<number>;
  rework: Generated<number>; postponed: Generated<number>; suspended: Generated<number>; cancelled: Generated<number>;
  closed: Generated<number>; closed_on_time: Generated<number>; checked: Generated<number>; checked_on_time: Generated<number>;
};

export interface EvalMarksTable {
  id: Generated<number>;
  case_id: number;
  kind: string;
  at: number;
  day: number;
  grid_code: string;
  class: string;
  source: string;
  dept: string | null;
  actor_id: string | null;
  flags: number;
  value: number;
}

export interface EvalStatsTable extends MeasureColumns {
  area: string;
  level: number;
  dim: string;
  key: string;
  grain: string;
  period: number;
}

export interface EvalActorStatsTable extends Pick<MeasureColumns,
  'reported' | 'valid' | 'rejected' | 'verified' | 'verified_on_time' | 'accepted' | 'dispatched' | 'dispatched_on_time' |
  'dispatch_accurate' | 'checked' | 'checked_on_time'> {
  actor_id: string;
  grain: string;
  period: number;
}

export interface EvalDurationsTable {
  area: string;
  level: number;
  dim: string;
  key: string;
  grain: string;
  period: number;
  bucket: number;
  n: number;
}

export interface EvalActorsTable {
  actor_id: string;
  user_id: number | null;
  name: string | null;
  level: string | null;
  division_code: string | null;
  department_code: string | null;
  updated_at: number;
}

export interface EvalImportsTable {
  id: Generated<number>;
  created_by: number | null;
  created_at: number;
  file_name: string;
  status: string;
  total: Generated<number>;
  done: Generated<number>;
  imported: Generated<number>;
  skipped: Generated<number>;
  report: string | null;
  finished_at: number | null;
  /** When a running import last wrote or checked rows: one silent for long is no longer running. */
  beat_at: number | null;
  /** 023: the system the file comes from, whose earlier imports the file's numbers are compared with; null for none. */
  source_system: string | null;
}

/** The case ids one chunk of a running import wrote (JSON array), kept until the import ends. */
export interface EvalImportCasesTable {
  id: Generated<number>;
  import_id: number;
  case_ids: string;
}

export interface Database {
  eval_marks: EvalMarksTable;
  eval_stats: EvalStatsTable;
  eval_actor_stats: EvalActorStatsTable;
  eval_durations: EvalDurationsTable;
  eval_actors: EvalActorsTable;
  eval_imports: EvalImportsTable;
  eval_import_cases: EvalImportCasesTable;
  eval_pending: EvalPendingTable;
  eval_catchup: EvalCatchupTable;
}

/** Cases whose latest events the evaluation counts have yet to take in (see evaluation/catchup.ts). */
export interface EvalPendingTable {
  case_id: number;
  event_id: number;
}

/** 013_eval_catchup_turn: one row, moved by every catch-up that writes (see evaluation/catchup.ts). */
export interface EvalCatchupTable {
  id: number;
  turn: number;
}

/** 012_rate_limits: rate-limit windows counted for every node (platform/ratelimit.ts). */
export interface RateLimitsTable {
  key: string;
  started_at: number;
  hits: number;
}

export interface Database {
  rate_limits: RateLimitsTable;
}

/** 020_grid_shapes: a grid's earlier outlines, each with the moment it ended (see geo/grids.repo.ts). */
export interface GridShapesTable {
  id: Generated<number>;
  code: string;
  name: string;
  geometry: string;
  ended_at: number;
}

export interface Database {
  grid_shapes: GridShapesTable;
}

/**
 * 022_import_source_ids: the number a historically imported case had in the system it comes from
 * (原系统编号), once per number of a system: a number already imported from that system is refused
 * (evaluation/import). 023_import_source_systems: kept per (source_system, source_id).
 */
export interface ImportSourceIdsTable {
  /** The system's name, as the import was given it; '' for numbers imported without one (one shared namespace). */
  source_system: string;
  source_id: string;
  case_id: number;
  /** The import that brought it; null for a case imported before 022 whose import is not known. */
  import_id: number | null;
}

export interface Database {
  import_source_ids: ImportSourceIdsTable;
}
