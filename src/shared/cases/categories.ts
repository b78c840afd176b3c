import { z } from 'zod';
import { DEPARTMENT_CODES } from './departments.js';
import { PLATFORM_LEVELS, TimeLimitSchema, type PlatformLevel, type TimeLimit } from './limits.js';

/**
 * Case categories: a two-level tree of classes (大类) and sub-categories (小类) with GB/T 30428.2
 * style codes (class 2 digits, sub-category class + 3 digits). Each sub-category lists its filing
 * conditions (立案条件), each with its own time limit, and its closing conditions (结案条件).
 * The tree is versioned as a whole: a case stores the version and the limit it was filed under.
 */
export const CATEGORY_KINDS = ['component', 'event', 'social'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export const CATEGORY_KIND_LABELS: Record<CategoryKind, { zh: string; en: string }> = {
  component: { zh: '部件', en: 'Component' },
  event: { zh: '事件', en: 'Event' },
  social: { zh: '社会治理事件', en: 'Social-governance event' },
};

export interface FilingCondition {
  code: string;
  text_zh: string;
  text_en: string;
  limit: TimeLimit;
}

export interface ClosingCondition {
  code: string;
  text_zh: string;
  text_en: string;
}

export interface SubCategory {
  code: string;
  name_zh: string;
  name_en: string;
  default_department: string;
  platform_level: PlatformLevel;
  duplicate_radius_m: number;
  duplicate_window_h: number;
  filing_conditions: FilingCondition[];
  closing_conditions: ClosingCondition[];
}

export interface CategoryClass {
  code: string;
  kind: CategoryKind;
  name_zh: string;
  name_en: string;
  subcategories: SubCategory[];
}

export interface CategoryTree {
  version: number;
  classes: CategoryClass[];
}

const text = z.string().trim().min(1).max(200);

export const FilingConditionSchema = z.object({
  code: z.string().regex(/^\d{5}-\d{2}$/, 'sub-category code + "-" + 2 digits'),
  text_zh: text,
  text_en: text,
  limit: TimeLimitSchema,
});

export const ClosingConditionSchema = z.object({
  code: z.string().regex(/^\d{5}-C\d{1,2}$/, 'sub-category code + "-C" + digits'),
  text_zh: text,
  text_en: text,
});

export const SubCategorySchema = z.object({
  code: z.string().regex(/^\d{5}$/),
  name_zh: text,
  name_en: text,
  default_department: z.string().refine((c) => (DEPARTMENT_CODES as readonly string[]).includes(c), 'unknown department code'),
  platform_level: z.enum(PLATFORM_LEVELS),
  duplicate_radius_m: z.number().int().positive().max(5000),
  duplicate_window_h: z.number().int().positive().max(24 * 90),
  filing_conditions: z.array(FilingConditionSchema).min(1),
  closing_conditions: z.array(ClosingConditionSchema).min(1),
});

export const CategoryClassSchema = z.object({
  code: z.string().regex(/^\d{2}$/),
  kind: z.enum(CATEGORY_KINDS),
  name_zh: text,
  name_en: text,
  subcategories: z.array(SubCategorySchema).min(1),
});

function duplicates(codes: string[]): string[] {
  return codes.filter((c, i) => codes.indexOf(c) !== i);
}

export const CategoryTreeSchema = z
  .object({ version: z.number().int().positive(), classes: z.array(CategoryClassSchema).min(1) })
  .superRefine((tree, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    for (const dup of duplicates(tree.classes.map((c) => c.code))) issue(`class ${dup} appears twice`);
    const subs = tree.classes.flatMap((c) => c.subcategories);
    for (const dup of duplicates(subs.map((s) => s.code))) issue(`sub-category ${dup} appears twice`);
    for (const cls of tree.classes) {
      for (const sub of cls.subcategories) {
        if (!sub.code.startsWith(cls.code)) issue(`sub-category ${sub.code} is not under class ${cls.code}`);
        const conds = [...sub.filing_conditions, ...sub.closing_conditions].map((c) => c.code);
        for (const dup of duplicates(conds)) issue(`condition ${dup} appears twice`);
        for (const code of conds) if (!code.startsWith(sub.code)) issue(`condition ${code} is not under ${sub.code}`);
      }
    }
  });

export function parseCategoryTree(json: unknown): CategoryTree {
  return CategoryTreeSchema.parse(json);
}

export function findSubCategory(tree: CategoryTree, code: string): SubCategory | undefined {
  for (const cls of tree.classes) {
    const sub = cls.subcategories.find((s) => s.code === code);
    if (sub) return sub;
  }
  return undefined;
}

export function findFilingCondition(tree: CategoryTree, code: string): FilingCondition | undefined {
  return findSubCategory(tree, code.slice(0, 5))?.filing_conditions.find((f) => f.code === code);
}
