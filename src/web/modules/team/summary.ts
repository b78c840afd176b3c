import { FORCES, TEAM_ROLES, type Force, type TeamRole } from '../../../shared/team.js';
import type { TeamCountRow, TeamQuery } from './api.js';

export type ForceTotals = Record<Force, number> & { total: number; heads: number };

/** Totals over rows of the counts table: the figures under the table and on the cards. */
export function sumCounts(rows: readonly TeamCountRow[]): ForceTotals {
  const totals: ForceTotals = { fulltime: 0, social: 0, professional: 0, total: 0, heads: 0 };
  for (const row of rows) {
    for (const force of FORCES) totals[force] += row[force];
    totals.total += row.total;
    totals.heads += row.heads;
  }
  return totals;
}

/**
 * Counts "by community" also carry a row per street for the members based at the street itself
 * (professional staff serving several of its communities), named by their bare code. Give those
 * rows the street's name, marked as spanning communities.
 */
export function nameStreetRows(communities: TeamCountRow[], streets: readonly TeamCountRow[], suffix: string): TeamCountRow[] {
  const streetNames = new Map(streets.map((s) => [s.code, s.name]));
  return communities.map((row) => {
    if (row.code.length === 12 || row.name !== row.code) return row;
    const street = streetNames.get(row.code);
    return street ? { ...row, name: `${street}${suffix}` } : row;
  });
}

export const PAGE_SIZE = 20;

/**
 * The member filters live in the address (?area=&force=&role=&q=&page=), so a link from a grid card
 * or a counts row opens the list already filtered, and the back button undoes a filter.
 * Anything malformed is dropped rather than sent to the server to be refused.
 */
export function parseTeamQuery(params: URLSearchParams): TeamQuery {
  const area = params.get('area') ?? '';
  const force = params.get('force') ?? '';
  const role = params.get('role') ?? '';
  const q = (params.get('q') ?? '').trim().slice(0, 40);
  const page = Number(params.get('page'));
  const query: TeamQuery = { page: Number.isInteger(page) && page > 0 ? page : 1, pageSize: PAGE_SIZE };
  if (/^\d{6,15}$/.test(area)) query.area = area;
  if ((FORCES as readonly string[]).includes(force)) query.force = force as Force;
  if (role in TEAM_ROLES && (!query.force || TEAM_ROLES[role as TeamRole].force === query.force)) query.role = role as TeamRole;
  if (q) query.q = q;
  return query;
}

/** The inverse of parseTeamQuery; a changed filter goes back to page 1. */
export function teamQueryParams(query: Partial<TeamQuery>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.area) params.set('area', query.area);
  if (query.force) params.set('force', query.force);
  if (query.role) params.set('role', query.role);
  if (query.q) params.set('q', query.q);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  return params;
}
