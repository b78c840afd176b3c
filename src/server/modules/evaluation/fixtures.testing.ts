import { ROLE_PERMISSIONS, type Role } from '../../../shared/permissions.js';
import type { CaseActor, Filing } from '../../../shared/cases/index.js';
import type { Db } from '../../platform/db.js';
import { CaseDriver } from './evaluation.testing.js';

/**
 * A small hand-built history with known answers (March and April 2026 in Tongzhou), shared by the
 * indicator, export and scope tests. Every figure it should produce is worked out in
 * indicators.test.ts from the times below; the working calendar is the shipped one
 * (office hours 9:00–12:00 and 13:30–17:30).
 */
export const GRID_A = '110112001006001'; // a grid of 悟仙观社区, 中仓街道
export const GRID_B = '110112002001001'; // a grid of 天桥湾社区, 新华街道

/** Beijing wall-clock time → epoch ms. */
export function bj(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}:00+08:00`);
}

const person = (id: string, role: Role, extra: Partial<CaseActor>): CaseActor => ({ id, kind: 'user', permissions: ROLE_PERMISSIONS[role], ...extra });
export const GW1 = person('user:101', 'grid_worker', { level: 'grid', division_code: GRID_A });
export const GW2 = person('user:102', 'grid_worker', { level: 'grid', division_code: GRID_A });
export const GW3 = person('user:103', 'grid_worker', { level: 'grid', division_code: GRID_B });
export const D1 = person('user:201', 'district_dispatcher', { level: 'district', division_code: '110112' });
export const D2 = person('user:202', 'district_dispatcher', { level: 'district', division_code: '110112' });
export const CG = person('user:301', 'department_staff', { level: null, department_code: 'CG' });
export const SZ = person('user:302', 'department_staff', { level: null, department_code: 'SZ' });
export const GA = person('user:303', 'department_staff', { level: null, department_code: 'GA' });
export const resident = (code: string): CaseActor => ({ id: `public:${code}`, kind: 'public', permissions: ['cases.report'] });

export const URGENT: Filing = { category_code: '01001', category_version: 1, condition_code: '01001-01', limit: { amount: 2, unit: 'urgent_hours' } };
export const ONE_DAY: Filing = { category_code: '06012', category_version: 1, condition_code: '06012-02', limit: { amount: 1, unit: 'working_days' } };

const place = (grid: string, description: string) => ({ grid_code: grid, lon: 116.66, lat: 39.9, address: null, description });
const names: Record<string, string> = {
  'user:101': '网格员 甲', 'user:102': '网格员 乙', 'user:103': '网格员 丙', 'user:201': '调度员 甲', 'user:202': '调度员 乙',
  'user:301': '城管 甲', 'user:302': '市政 甲', 'user:303': '公安 甲',
};
const as = (a: CaseActor) => ({ userId: null, name: names[a.id] ?? null });

export interface History {
  A: number; B: number; C: number; D: number; E: number; F: number; G: number; H: number; I: number;
}

/** The two grids (the plain test seed has divisions down to communities only). */
async function ensureGrids(db: Db): Promise<void> {
  for (const [code, name] of [[GRID_A, '悟仙观社区第1网格'], [GRID_B, '天桥湾社区第1网格']] as const) {
    if (await db.selectFrom('divisions').select('code').where('code', '=', code).executeTakeFirst()) continue;
    await db.insertInto('divisions').values({
      code, level: 0, name, parent_code: code.slice(0, 12), sort: 1, geometry: null,
      min_lon: 116.65, min_lat: 39.89, max_lon: 116.67, max_lat: 39.91, area_m2: 250_000, updated_at: 0,
    }).execute();
  }
}

export async function buildHistory(db: Db): Promise<History> {
  await ensureGrids(db);
  const d = new CaseDriver(db);
  const report = (grid: string, who: CaseActor, source: 'grid_worker' | 'resident', filing: Filing | undefined, at: string, text: string) =>
    d.create(place(grid, text), 'report', { source, level: 'district', filing, category_code: filing?.category_code }, who, bj(at), as(who));
  const act = (id: number, action: Parameters<CaseDriver['act']>[1], input: Parameters<CaseDriver['act']>[2], who: CaseActor, at: string) =>
    d.act(id, action, input, who, bj(at), as(who));

  // A: a clean loop by a grid worker, everything on time
  const A = await report(GRID_A, GW1, 'grid_worker', ONE_DAY, '2026-03-02 09:00', '道路不洁 <script>alert(1)</script>');
  await act(A, 'accept', { filing: ONE_DAY }, D1, '2026-03-02 09:20');
  await act(A, 'dispatch', { department: 'CG' }, D1, '2026-03-02 09:40');
  await act(A, 'claim', {}, CG, '2026-03-02 10:00');
  await act(A, 'feedback', { comment: '已清扫', photos: ['p'] }, CG, '2026-03-03 15:00');
  await act(A, 'check_pass', {}, GW2, '2026-03-03 16:00');
  await act(A, 'close', {}, D1, '2026-03-03 16:30');

  // B: a resident's report, verified late, returned, re-dispatched, postponed, reworked, closed late
  const B = await report(GRID_A, resident('B0000001'), 'resident', undefined, '2026-03-02 10:00', '井盖丢失');
  await act(B, 'verify', { comment: '属实' }, GW1, '2026-03-02 14:00');
  await act(B, 'accept', { filing: URGENT }, D1, '2026-03-02 14:10');
  await act(B, 'dispatch', { department: 'SZ' }, D1, '2026-03-02 14:20');
  await act(B, 'return', { reason: '不属本部门' }, SZ, '2026-03-02 14:30');
  await act(B, 'dispatch', { department: 'CG' }, D1, '2026-03-02 14:40');
  await act(B, 'claim', {}, CG, '2026-03-02 14:50');
  await act(B, 'request_postpone', { reason: '需采购', due_at: bj('2026-03-04 12:00') }, CG, '2026-03-02 15:00');
  await act(B, 'approve_postpone', {}, D2, '2026-03-02 15:10');
  await act(B, 'feedback', { comment: '已补装', photos: ['p'] }, CG, '2026-03-04 10:00');
  await act(B, 'check_fail', { reason: '井盖不匹配' }, GW2, '2026-03-04 13:00');
  await act(B, 'feedback', { comment: '已更换', photos: ['p'] }, CG, '2026-03-04 16:00');
  await act(B, 'check_pass', {}, GW2, '2026-03-04 16:30');
  await act(B, 'close', {}, D1, '2026-03-04 16:45');

  // C: suspended (挂账) while handled
  const C = await report(GRID_A, GW1, 'grid_worker', URGENT, '2026-03-05 09:00', '井盖丢失（拆迁区）');
  await act(C, 'accept', { filing: URGENT }, D1, '2026-03-05 09:10');
  await act(C, 'dispatch', { department: 'GA' }, D1, '2026-03-05 09:20');
  await act(C, 'claim', {}, GA, '2026-03-05 09:30');
  await act(C, 'request_suspend', { reason: '待拆迁' }, GA, '2026-03-05 10:00');
  await act(C, 'approve_suspend', {}, D2, '2026-03-05 10:30');

  // D: cancelled after acceptance; E: rejected; F: a duplicate of A, merged
  const D = await report(GRID_A, resident('D0000001'), 'resident', undefined, '2026-03-06 09:00', '路灯不亮');
  await act(D, 'verify', { comment: '属实' }, GW1, '2026-03-06 09:30');
  await act(D, 'accept', { filing: URGENT }, D1, '2026-03-06 09:40');
  await act(D, 'request_cancel', { reason: '重复录入' }, D1, '2026-03-06 10:00');
  await act(D, 'approve_cancel', {}, D2, '2026-03-06 10:10');
  const E = await report(GRID_A, resident('E0000001'), 'resident', undefined, '2026-03-06 11:00', '测试');
  await act(E, 'reject', { reason: '不属实' }, D1, '2026-03-06 11:30');
  const F = await report(GRID_A, resident('F0000001'), 'resident', undefined, '2026-03-06 11:05', '道路不洁（重复）');
  await act(F, 'merge', { original_case_id: String(A) }, D1, '2026-03-06 11:20');

  // G: reported in March, closed in April
  const G = await report(GRID_A, GW1, 'grid_worker', URGENT, '2026-03-31 17:00', '井盖丢失（月末）');
  await act(G, 'accept', { filing: URGENT }, D1, '2026-03-31 17:10');
  await act(G, 'dispatch', { department: 'CG' }, D1, '2026-03-31 17:20');
  await act(G, 'claim', {}, CG, '2026-03-31 17:25');
  await act(G, 'feedback', { comment: '已补装', photos: ['p'] }, CG, '2026-04-01 10:00');
  await act(G, 'check_pass', {}, GW2, '2026-04-01 10:30');
  await act(G, 'close', {}, D1, '2026-04-01 11:00');

  // H: dispatched and never handled: due (and overdue) on 03-09 11:20
  const H = await report(GRID_A, GW1, 'grid_worker', URGENT, '2026-03-09 09:00', '井盖丢失（未处置）');
  await act(H, 'accept', { filing: URGENT }, D1, '2026-03-09 09:10');
  await act(H, 'dispatch', { department: 'SZ' }, D1, '2026-03-09 09:20');

  // I: another street, for scope
  const I = await report(GRID_B, GW3, 'grid_worker', URGENT, '2026-03-10 09:00', '新华街道的案件');
  await act(I, 'accept', { filing: URGENT }, D1, '2026-03-10 09:10');
  return { A, B, C, D, E, F, G, H, I };
}
