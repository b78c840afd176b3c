import { describe, expect, it } from 'vitest';
import { CategoryTreeSchema, findFilingCondition, findSubCategory, parseCategoryTree, type CategoryTree } from './categories.js';
import { DEPARTMENT_CODES, DEPARTMENTS } from './departments.js';
import raw from '../../../data/categories.json' with { type: 'json' };

const tree = parseCategoryTree(raw);
const subs = tree.classes.flatMap((c) => c.subcategories);

describe('data/categories.json', () => {
  it('is a valid two-level tree of 60–90 sub-categories', () => {
    expect(subs.length).toBeGreaterThanOrEqual(60);
    expect(subs.length).toBeLessThanOrEqual(90);
    expect(tree.classes.map((c) => c.code)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17']);
  });

  it('has component classes 01–05, event classes 06–11 and the social-governance classes', () => {
    const kinds = Object.fromEntries(tree.classes.map((c) => [c.code, c.kind]));
    for (const c of ['01', '02', '03', '04', '05']) expect(kinds[c]).toBe('component');
    for (const c of ['06', '07', '08', '09', '10', '11']) expect(kinds[c]).toBe('event');
    const social = tree.classes.filter((c) => c.kind === 'social').map((c) => c.name_zh);
    expect(social).toEqual(['民生服务', '矛盾纠纷', '治安隐患', '安全生产隐患', '特殊人群服务管理', '社情民意']);
    expect(tree.classes.find((c) => c.code === '11')!.name_zh).toBe('突发事件');
    for (const c of tree.classes) expect(c.subcategories.length).toBeGreaterThanOrEqual(c.kind === 'social' ? 2 : 1);
  });

  it('keeps the sample codes of DOMAIN.md', () => {
    const samples: Record<string, string> = {
      '01001': '供水井盖', '01002': '污水井盖', '01003': '雨水井盖', '01037': '路灯', '01013': '消防设施',
      '02010': '交通标志牌', '02014': '交通信号灯', '02017': '交通护栏', '03001': '公共厕所', '03005': '垃圾箱',
      '04002': '行道树', '04013': '绿地', '06001': '私搭乱建', '06010': '暴露垃圾', '06012': '道路不洁',
      '06042': '垃圾满溢', '07001': '非法小广告', '07003': '违规户外广告', '08001': '施工扰民', '08002': '施工占道',
      '08004': '工地扬尘', '09001': '无照经营游商', '09006': '占道经营', '09009': '机动车乱停放', '10001': '道路积雪结冰',
    };
    for (const [code, name] of Object.entries(samples)) expect(findSubCategory(tree, code)?.name_zh, code).toBe(name);
    expect(findSubCategory(tree, '03006')?.name_zh).toContain('户外广告');
  });

  it('times the manhole cover as DOMAIN.md says: missing 2 urgent hours, broken 4 working hours, rocking 2 working days', () => {
    for (const code of ['01001', '01002', '01003']) {
      expect(findSubCategory(tree, code)!.filing_conditions.map((f) => [f.text_zh, f.limit])).toEqual([
        ['井盖丢失', { amount: 2, unit: 'urgent_hours' }],
        ['井盖破损', { amount: 4, unit: 'working_hours' }],
        ['井盖移位、晃动或响动', { amount: 2, unit: 'working_days' }],
      ]);
    }
    expect(findFilingCondition(tree, '01001-01')?.limit).toEqual({ amount: 2, unit: 'urgent_hours' });
    expect(findFilingCondition(tree, '01001-09')).toBeUndefined();
  });

  it('routes to known departments, and every department gets something', () => {
    const used = new Set(subs.map((s) => s.default_department));
    expect([...used].filter((d) => !(DEPARTMENT_CODES as readonly string[]).includes(d))).toEqual([]);
    expect(DEPARTMENTS.filter((d) => !used.has(d.code)).map((d) => d.code)).toEqual([]);
  });

  it('gives every condition bilingual text and every limit a unit', () => {
    for (const s of subs) {
      for (const f of s.filing_conditions) expect(f.text_en.length * f.text_zh.length * f.limit.amount).toBeGreaterThan(0);
      expect(s.closing_conditions.length).toBeGreaterThan(0);
    }
  });
});

describe('CategoryTreeSchema', () => {
  const clone = (): CategoryTree => structuredClone(tree);
  const issues = (t: unknown) => {
    const r = CategoryTreeSchema.safeParse(t);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('refuses duplicate codes, misplaced sub-categories, unknown departments and part working days', () => {
    const dup = clone();
    dup.classes[0]!.subcategories.push(structuredClone(dup.classes[0]!.subcategories[0]!));
    expect(issues(dup).join()).toMatch(/01001 appears twice/);

    const misplaced = clone();
    misplaced.classes[1]!.subcategories[0]!.code = '01999';
    expect(issues(misplaced).join()).toMatch(/not under class 02/);

    const dept = clone();
    dept.classes[0]!.subcategories[0]!.default_department = 'XX';
    expect(issues(dept).join()).toMatch(/unknown department/);

    const part = clone();
    part.classes[0]!.subcategories[0]!.filing_conditions[2]!.limit = { amount: 1.5, unit: 'working_days' };
    expect(issues(part).join()).toMatch(/whole days/);
  });
});
