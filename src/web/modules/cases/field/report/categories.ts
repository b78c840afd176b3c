import type { CategoryTree } from '../api.js';

/** Finding a category fast on a phone: recent choices first, then a search over names and codes. */
export interface CategoryOption {
  code: string;
  nameZh: string;
  nameEn: string;
  classCode: string;
  classZh: string;
  classEn: string;
}

export function flatten(tree: CategoryTree | null): CategoryOption[] {
  if (!tree) return [];
  return tree.classes.flatMap((c) =>
    c.subcategories.map((s) => ({ code: s.code, nameZh: s.name_zh, nameEn: s.name_en, classCode: c.code, classZh: c.name_zh, classEn: c.name_en })),
  );
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/**
 * Sub-categories matching every word of the query in their name, their class's name or their code
 * (either language), best first: a name that starts with the query, then a name that contains it,
 * then matches by class or code only.
 */
export function searchCategories(options: readonly CategoryOption[], query: string): CategoryOption[] {
  const words = query.trim().split(/\s+/).map(norm).filter(Boolean);
  if (!words.length) return [...options];
  const scored: { o: CategoryOption; score: number; i: number }[] = [];
  options.forEach((o, i) => {
    const names = [norm(o.nameZh), norm(o.nameEn)];
    const rest = [norm(o.classZh), norm(o.classEn), o.code];
    let score = 0;
    for (const w of words) {
      if (names.some((n) => n.startsWith(w))) score += 3;
      else if (names.some((n) => n.includes(w))) score += 2;
      else if (rest.some((n) => n.includes(w) || o.code.startsWith(w))) score += 1;
      else return;
    }
    scored.push({ o, score, i });
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.o);
}

export const MAX_RECENT = 6;

/** The recent list after choosing `code`: it moves to the front, the oldest falls off. */
export function pushRecent(recent: readonly string[], code: string): string[] {
  return [code, ...recent.filter((c) => c !== code)].slice(0, MAX_RECENT);
}

const recentKey = (userId: number) => `onegrid.field.recentCategories.${userId}`;

export function loadRecent(userId: number): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(recentKey(userId)) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((c): c is string => typeof c === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function saveRecent(userId: number, codes: readonly string[]): void {
  try {
    localStorage.setItem(recentKey(userId), JSON.stringify(codes));
  } catch {
    // without storage the list simply starts empty next time
  }
}
