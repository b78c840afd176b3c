import { api } from '../../app/api.js';
import type { DrillRow } from '../../../shared/evaluation/drill.js';
import type { SubjectKind } from '../../../shared/evaluation/indicators.js';
import type { EvaluationWeights, Grade } from '../../../shared/evaluation/scores.js';

export type { DrillRow };

/** The evaluation API as the screens use it (server: src/server/modules/evaluation/evaluation.routes.ts). */
export type AreaSubject = 'district' | 'street' | 'community' | 'grid';

export interface Figures {
  values: Record<string, number | null>;
  score: number | null;
  grade: Grade | null;
}

export interface TableRow {
  id: string;
  name: string;
  /** A department's English name. */
  nameEn?: string;
  place: string | null;
  figures: Figures;
  /** False: too little work in the period to take a place (the weights' rankMinimum); after every ranked row. */
  ranked: boolean;
}

export interface Named {
  code: string;
  name: string;
}

export interface TrendPoint {
  start: string;
  reported: number;
  closed: number;
  handled: number;
  handled_on_time: number;
  due: number;
  closed_on_time: number;
}

/** The days an answer covers; `until` (ISO 8601) for one read up to an instant of its last day: a period still running, read up to now. */
export interface RangeOut {
  from: string;
  to: string;
  until?: string;
}

export interface Dashboard {
  area: Named & { subject: AreaSubject };
  path: Named[];
  range: RangeOut;
  figures: Figures;
  /** The period before (上期) and the headline's figures in it (without the 90th percentile). */
  previous: { range: RangeOut; figures: Figures };
  trend: { grain: 'day' | 'week' | 'month'; points: TrendPoint[] };
  categories: { code: string; name: string; nameEn: string; reported: number; closed: number; completionRate: number | null }[];
  sources: { source: string; reported: number; closed: number }[];
  children: { subject: AreaSubject | null; rows: TableRow[] };
  departments: TableRow[];
  workers: TableRow[];
  map: { layer: 'communities' | 'grids'; focus: string; items: { code: string; name: string; reported: number; closed: number; density: number | null }[] };
  /** [lon, lat, reports] per grid, for the heat map. */
  heat: [number, number, number][];
  /** The least work for a place in the rankings. */
  rankMinimum: number;
}

export interface Meta {
  areas: Named[];
  years: number[];
  latestDay: string | null;
  canConfigure: boolean;
  canExport: boolean;
}

export interface IndicatorTable {
  subject: SubjectKind;
  area: Named;
  range: RangeOut;
  indicators: string[];
  rows: TableRow[];
  rankMinimum: number;
}

export interface CaseList {
  indicator: string;
  range: RangeOut;
  total: number;
  items: DrillRow[];
  next: string | null;
}

export interface CaseDetail {
  case: {
    id: number; number: string; state: string; source: string; categoryCode: string | null; categoryName: string | null;
    gridCode: string; gridName: string | null; address: string | null; description: string; lon: number; lat: number;
    reportedAt: number; closedAt: number | null; dueAt: number | null; reworkCount: number;
  };
  events: { seq: number; action: string; from: string; to: string; at: number; actorName: string | null; department: string | null; comment: string | null; dueAt: number | null }[];
  marks: { kind: string; at: number; department: string | null; actorId: string | null; flags: string[]; hours: number | null }[];
}

export interface ImportJob {
  id: number;
  fileName: string;
  /** The system the file comes from (原系统名称); null when none was named. */
  system: string | null;
  status: 'checking' | 'importing' | 'invalid' | 'imported' | 'failed';
  done: number;
  total: number;
  imported: number;
  skipped: number;
  problemCount: number;
  problems: { line: number; field: string | null; code: string; value?: string; message: string }[];
  createdAt: number;
}

/** The period of a request: a period text (2013, 2013-Q2, 2013-05) or a from/to range. */
export interface PeriodQuery {
  period?: string;
  from?: string;
  to?: string;
}

export interface CasesQuery extends PeriodQuery {
  indicator: string;
  subject?: string;
  area?: string;
  class?: string;
  source?: string;
  only?: 'hit' | 'miss';
}

export const fetchMeta = (signal?: AbortSignal) => api.get<Meta>('/api/evaluation/meta', undefined, signal);

export const fetchDashboard = (q: PeriodQuery & { area?: string }, signal?: AbortSignal) =>
  api.get<Dashboard>('/api/evaluation/dashboard', { ...q }, signal);

export const fetchTable = (q: PeriodQuery & { subject: SubjectKind; area?: string }, signal?: AbortSignal) =>
  api.get<IndicatorTable>('/api/evaluation/indicators', { ...q }, signal);

export const fetchCases = (q: CasesQuery & { limit?: number; after?: string }, signal?: AbortSignal) =>
  api.get<CaseList>('/api/evaluation/cases', { ...q }, signal);

export const fetchCaseDetail = (id: number, signal?: AbortSignal) => api.get<CaseDetail>(`/api/evaluation/cases/${id}`, undefined, signal);

export const fetchWeights = (signal?: AbortSignal) => api.get<EvaluationWeights>('/api/evaluation/weights', undefined, signal);
export const saveWeights = (w: EvaluationWeights) => api.put<EvaluationWeights>('/api/evaluation/weights', w);

export const startImport = (body: { fileName: string; csv: string; map: string[]; skipInvalid: boolean; system?: string }) => api.post<ImportJob>('/api/evaluation/imports', body);
export const fetchImport = (id: number, signal?: AbortSignal) => api.get<ImportJob>(`/api/evaluation/imports/${id}`, undefined, signal);
export const fetchImports = (signal?: AbortSignal) => api.get<{ items: ImportJob[] }>('/api/evaluation/imports', undefined, signal);
export const cancelImport = (id: number) => api.post<ImportJob>(`/api/evaluation/imports/${id}/cancel`, {});

/** The address of an export (a plain GET, so the browser downloads it with the session cookie). */
export function exportUrl(path: '/api/evaluation/cases' | '/api/evaluation/indicators', q: Record<string, string | undefined>, format: 'csv' | 'xlsx', lang: 'zh' | 'en'): string {
  const params = new URLSearchParams();
  const all: Record<string, string | undefined> = { ...q, format, lang };
  for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') params.set(k, v);
  return `${path}?${params.toString()}`;
}

/** A row's name in the reader's language: departments have an English one, areas and people their own. */
export function rowName(row: Pick<TableRow, 'name' | 'nameEn'>, lang: 'zh' | 'en'): string {
  return lang === 'en' && row.nameEn ? row.nameEn : row.name;
}
