import { useEffect, useState } from 'react';
import type { CategoryTree } from '../../../shared/cases/categories.js';
import { useAuth } from '../../app/auth.js';
import { currentLanguage } from '../../app/i18n.js';
import { namesForGrids } from './api.js';
import { fetchCategories, fetchDepartments, type Department } from './shared/api.js';

/** Reference data for the case screens, loaded once per page load and shared by every component. */

let departmentsCache: Promise<Department[]> | null = null;

export function useDepartments(): Department[] {
  const [list, setList] = useState<Department[]>([]);
  useEffect(() => {
    let live = true;
    departmentsCache ??= fetchDepartments().catch((err: unknown) => {
      departmentsCache = null;
      throw err;
    });
    departmentsCache.then((d) => live && setList(d)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return list;
}

/** A department's name in the reader's language, by code. */
export function departmentNamer(departments: readonly Department[]): (code: string) => string | undefined {
  const en = currentLanguage() === 'en';
  const byCode = new Map(departments.map((d) => [d.code, en && d.nameEn ? d.nameEn : d.name]));
  return (code) => byCode.get(code);
}

export function useCategories(): CategoryTree | null {
  const [tree, setTree] = useState<CategoryTree | null>(null);
  useEffect(() => {
    let live = true;
    fetchCategories().then((t) => live && setTree(t)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return tree;
}

/**
 * Street and community names for the grid codes on screen; missing names fall back to codes.
 * Only readers with a division grant can read the tree (a department's staff see addresses instead).
 */
export function useAreaNames(gridCodes: readonly string[]): Map<string, string> {
  const { user } = useAuth();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const readsTree = user.grants.some((g) => g.divisionCode !== null);
  const key = readsTree ? [...new Set(gridCodes.map((g) => g.slice(0, 9)))].sort().join(',') : '';
  useEffect(() => {
    if (!key) return;
    let live = true;
    namesForGrids(key.split(',').map((s) => `${s}000000`))
      .then((n) => live && setNames((prev) => new Map([...prev, ...n])))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
