import {
  CATEGORY_KIND_LABELS, formatLimit, type CategoryClass, type CategoryTree, type SubCategory,
} from '../../../shared/cases/index.js';
import type { Node } from './format.js';

/**
 * The services a client can report to: one per sub-category of the current category tree that the
 * public may report. Components (部件) and events (事件) are the street-level problems Open311 is
 * made for; emergencies (class 11, 突发事件) go to 110, 119 or the 12345 hotline, and social-governance
 * events (disputes, special populations, public security …) carry personal data and stay off an
 * open interface, both when reporting and when reading.
 */
export type Locale = 'zh' | 'en';

export const PUBLIC_KINDS = ['component', 'event'] as const;
export const EXCLUDED_CLASSES = ['11'] as const;

/** The attribute that carries the filing condition (立案条件) the reporter picked. */
export const CONDITION_ATTRIBUTE = 'condition';
/** Information only: what the body will have done when the case is closed (结案条件). */
export const FIXED_WHEN_ATTRIBUTE = 'fixed_when';

export interface PublicService {
  cls: CategoryClass;
  sub: SubCategory;
}

export function isPublicClass(cls: CategoryClass): boolean {
  return (PUBLIC_KINDS as readonly string[]).includes(cls.kind) && !(EXCLUDED_CLASSES as readonly string[]).includes(cls.code);
}

export function publicServices(tree: CategoryTree): PublicService[] {
  return tree.classes.filter(isPublicClass).flatMap((cls) => cls.subcategories.map((sub) => ({ cls, sub })));
}

export function findPublicService(tree: CategoryTree, code: string): PublicService | null {
  return publicServices(tree).find((s) => s.sub.code === code) ?? null;
}

/** Codes of every publicly reportable sub-category: the filter on every read as well. */
export function publicServiceCodes(tree: CategoryTree): string[] {
  return publicServices(tree).map((s) => s.sub.code);
}

const name = (x: { name_zh: string; name_en: string }, locale: Locale) => (locale === 'zh' ? x.name_zh : x.name_en);
const text = (x: { text_zh: string; text_en: string }, locale: Locale) => (locale === 'zh' ? x.text_zh : x.text_en);
/** Keywords are a comma-separated list, so a keyword itself must not hold a comma. */
const keyword = (s: string) => s.replace(/[,，]/g, ' ').replace(/\s+/g, ' ').trim();

function serviceDescription({ cls, sub }: PublicService, locale: Locale): string {
  const conditions = sub.filing_conditions.map((f) => text(f, locale));
  return locale === 'zh'
    ? `${cls.name_zh} · ${sub.name_zh}。适用情形：${conditions.join('；')}。`
    : `${cls.name_en}: ${sub.name_en}. Report when: ${conditions.join('; ')}.`;
}

export function serviceNode(s: PublicService, locale: Locale): Node {
  const other: Locale = locale === 'zh' ? 'en' : 'zh';
  const keywords = [CATEGORY_KIND_LABELS[s.cls.kind][locale], name(s.cls, locale), name(s.sub, other), name(s.cls, other)].map(keyword);
  return {
    service_code: s.sub.code,
    service_name: name(s.sub, locale),
    description: serviceDescription(s, locale),
    metadata: true,
    type: 'realtime',
    keywords: [...new Set(keywords)].join(','),
    group: name(s.cls, locale),
  };
}

export function serviceDefinitionNode({ sub }: PublicService, locale: Locale): Node {
  return {
    service_code: sub.code,
    attributes: [
      {
        variable: true,
        code: CONDITION_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: locale === 'zh' ? '选择最符合的一项；不确定可不选，核实时确定。' : 'Pick the closest; leave it empty if unsure, it is settled on checking.',
        order: 1,
        description: locale === 'zh' ? '问题属于哪种情形？' : 'Which of these describes the problem?',
        values: sub.filing_conditions.map((f) => ({
          key: f.code,
          name: locale === 'zh' ? `${f.text_zh}（处置时限 ${formatLimit(f.limit, 'zh')}）` : `${f.text_en} (to be handled within ${formatLimit(f.limit, 'en')})`,
        })),
      },
      {
        variable: false,
        code: FIXED_WHEN_ATTRIBUTE,
        datatype: 'text',
        required: false,
        datatype_description: '',
        order: 2,
        description: (locale === 'zh' ? '办结标准：' : 'Fixed when: ') + sub.closing_conditions.map((c) => text(c, locale)).join(locale === 'zh' ? '；' : '; '),
      },
    ],
  };
}
