import { ApiError } from '../../app/api.js';
import type { Division, DivisionDetail } from '../divisions/api.js';
import { MERGE_REFUSALS, type MergeRefusal } from '../../../shared/geo.js';

/**
 * 社区合并 on the grid import page: which communities a file may take in, and why the server
 * refused one. Pure functions, so the page stays a page.
 */

/** The communities that may be merged in: those in use of one street of the file. */
export interface MergeGroup {
  street: Division;
  communities: Division[];
}

/** The communities a file names (`properties.community_code`, 12 digits), each once, in file order. */
export function namedCommunities(collection: { features: readonly unknown[] }): string[] {
  const codes = collection.features.map((f) => (f as { properties?: { community_code?: unknown } } | null)?.properties?.community_code);
  return [...new Set(codes.filter((c): c is string => typeof c === 'string' && /^\d{12}$/.test(c)))];
}

/** The streets of those communities, each once: whose other communities may be merged in. */
export const streetsOf = (named: readonly string[]) => [...new Set(named.map((c) => c.slice(0, 9)))];

/** Each street's communities in use that the file does not draw (a street not found, null, offers nothing). */
export function mergeGroupsOf(streets: readonly (DivisionDetail | null)[], named: readonly string[]): MergeGroup[] {
  return streets.flatMap((d) => {
    const communities = (d?.children ?? []).filter((c) => c.level === 10 && !named.includes(c.code));
    return d && communities.length > 0 ? [{ street: d.division, communities }] : [];
  });
}

/** The server refused a community to merge: its reason and code (a 400 naming mergeCommunities), else null. */
export function mergeRefusalOf(error: unknown): { reason: MergeRefusal | null; code: string | null; message: string } | null {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return null;
  const details = (error.details ?? {}) as { field?: unknown; reason?: unknown; code?: unknown };
  if (details.field !== 'mergeCommunities') return null;
  const reason = (MERGE_REFUSALS as readonly unknown[]).includes(details.reason) ? (details.reason as MergeRefusal) : null;
  return { reason, code: typeof details.code === 'string' ? details.code : null, message: error.message };
}

/** A community's name as the merge list shows it, when a group knows it. */
export function communityNamed(groups: readonly MergeGroup[], code: string | null): Division | undefined {
  return groups.flatMap((g) => g.communities).find((c) => c.code === code);
}
