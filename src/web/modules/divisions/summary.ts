import { fetchChildDivisions, fetchTopDivisions, type Division, type DivisionLevel } from './api.js';

export interface JurisdictionSummary {
  roots: Division[];
  /** How many divisions lie at each level below the roots, counted down two levels. */
  counts: { level: DivisionLevel; count: number }[];
  /** Sum of the roots' areas; null when any root has no recorded area. */
  areaM2: number | null;
}

/**
 * Counts what a user is responsible for, using only the tree API: the roots' child counts give the
 * next level, and one request per root (a handful at most) gives the level after that.
 */
export async function fetchJurisdictionSummary(signal?: AbortSignal): Promise<JurisdictionSummary> {
  const roots = await fetchTopDivisions(signal);
  const byLevel = new Map<DivisionLevel, number>();
  const add = (level: DivisionLevel, n: number) => byLevel.set(level, (byLevel.get(level) ?? 0) + n);

  const childLists = await Promise.all(roots.filter((r) => r.childCount > 0).map((r) => fetchChildDivisions(r.code, signal)));
  for (const children of childLists) {
    for (const child of children) {
      add(child.level, 1);
      if (child.childCount > 0) add(nextLevel(child.level), child.childCount);
    }
  }

  const counts = [...byLevel.entries()]
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => b - a)
    .map(([level, count]) => ({ level, count }));
  const areaM2 = roots.length > 0 && roots.every((r) => r.areaM2 !== null) ? roots.reduce((sum, r) => sum + (r.areaM2 ?? 0), 0) : null;
  return { roots, counts, areaM2 };
}

function nextLevel(level: DivisionLevel): DivisionLevel {
  const order: DivisionLevel[] = [40, 30, 20, 10, 0];
  return order[Math.min(order.indexOf(level) + 1, order.length - 1)] ?? 0;
}
