/**
 * The professional departments (专业部门) that receive dispatched cases, by stable code. The seed
 * names 工商、公安、市政、城管、民防、气象、安监; the rest are the departments a district's social
 * governance events routinely go to. The database holds the editable copy (departments.manage);
 * this list seeds it and is what category defaults refer to.
 */
export const DEPARTMENTS = [
  { code: 'SCJG', zh: '区市场监管局（工商）', en: 'Market Regulation (Industry and Commerce)' },
  { code: 'GA', zh: '区公安分局', en: 'Public Security' },
  { code: 'SZ', zh: '区市政市容委', en: 'Municipal Works' },
  { code: 'CG', zh: '区城管执法局', en: 'City Management' },
  { code: 'MF', zh: '区民防局', en: 'Civil Defence' },
  { code: 'QX', zh: '区气象局', en: 'Meteorology' },
  { code: 'AJ', zh: '区安监局（应急管理）', en: 'Work Safety (Emergency Management)' },
  { code: 'SW', zh: '区水务局', en: 'Water Affairs' },
  { code: 'YL', zh: '区园林绿化局', en: 'Landscaping and Greening' },
  { code: 'HB', zh: '区环保局', en: 'Environmental Protection' },
  { code: 'JT', zh: '区交通局', en: 'Transport' },
  { code: 'ZJ', zh: '区住建委', en: 'Housing and Construction' },
  { code: 'MZ', zh: '区民政局', en: 'Civil Affairs' },
  { code: 'WJ', zh: '区卫健委', en: 'Health' },
  { code: 'RS', zh: '区人力社保局', en: 'Human Resources and Social Security' },
  { code: 'JY', zh: '区教委', en: 'Education' },
  { code: 'SF', zh: '区司法局', en: 'Justice' },
  { code: 'XF', zh: '区信访办', en: 'Petitions (Letters and Visits)' },
] as const;

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];
export const DEPARTMENT_CODES: readonly DepartmentCode[] = DEPARTMENTS.map((d) => d.code);

export function isDepartmentCode(code: string): code is DepartmentCode {
  return (DEPARTMENT_CODES as readonly string[]).includes(code);
}
