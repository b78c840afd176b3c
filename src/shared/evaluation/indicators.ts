import type { FlagName, MarkKind, MeasureKey } from './measures.js';

/**
 * The indicators of 综合评价 (GB/T 30428.4 style), as one table: what each figure is called, its
 * formula, how it is counted from case events, which subjects show it and which cases lie behind
 * it. docs/indicators.md is this table in prose; a test keeps the two in step.
 *
 * Counting rules common to all (the details are in `counting`):
 * - Every count is a number of marks (see measures.ts), each dated by one event of one case and
 *   counted in the period that contains that date (Beijing days).
 * - A merged duplicate counts once: once a case is merged into its original, it leaves every
 *   figure except "merged"; the original carries the problem.
 * - Figures follow the case's current location (grid) and category.
 */
export const SUBJECT_KINDS = ['district', 'street', 'community', 'grid', 'department', 'worker', 'dispatcher'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const AREA_SUBJECTS = ['district', 'street', 'community', 'grid'] as const satisfies readonly SubjectKind[];
export type AreaSubject = (typeof AREA_SUBJECTS)[number];

/** Division level (organization level) of each area subject, and the length of its code. */
export const AREA_LEVEL: Record<AreaSubject, number> = { district: 30, street: 20, community: 10, grid: 0 };
export const AREA_CODE_LENGTH: Record<AreaSubject, number> = { district: 6, street: 9, community: 12, grid: 15 };

export function areaSubjectOfCode(code: string): AreaSubject | null {
  return (Object.keys(AREA_CODE_LENGTH) as AreaSubject[]).find((s) => AREA_CODE_LENGTH[s] === code.length) ?? null;
}

export const SUBJECT_LABELS: Record<SubjectKind, { zh: string; en: string }> = {
  district: { zh: '区', en: 'District' },
  street: { zh: '街道（乡镇）', en: 'Street' },
  community: { zh: '社区（村）', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  department: { zh: '专业部门', en: 'Department' },
  worker: { zh: '网格员', en: 'Grid worker' },
  dispatcher: { zh: '调度员', en: 'Dispatcher' },
};

export type IndicatorType = 'count' | 'rate' | 'hours' | 'score' | 'grade';

/**
 * Which marks a figure's case list shows. A rate's list is its denominator's marks; a row is in the
 * numerator when the mark carries the numerator's flag, or, for a numerator counted from other marks
 * of the same event (`hit`: a handling round's due mark and its handled mark), when that mark does.
 * A numerator counting other events on days of their own (办结率, 结案率, 返工率) marks no row.
 */
export interface DrillDef {
  kind: MarkKind;
  flag?: FlagName;
  hit?: { kind: MarkKind; flag: FlagName };
}

export interface IndicatorDef {
  key: string;
  zh: string;
  en: string;
  type: IndicatorType;
  /** count: the measure; hours: the measure summed (ms) and its count */
  measure?: MeasureKey;
  /** rate: numerator ÷ denominator */
  num?: MeasureKey;
  den?: MeasureKey;
  /** For rates: is a higher value better? (colours, and scores use 1 − rate when not) */
  better?: 'higher' | 'lower';
  formula: { zh: string; en: string };
  /** How it is counted from case_events. */
  counting: string;
  subjects: readonly SubjectKind[];
  /** The cases behind the figure (null for scores and grades). */
  drill: DrillDef | null;
}

const AREAS = AREA_SUBJECTS;
const AREA_DEPT: readonly SubjectKind[] = [...AREAS, 'department'];
const AREA_WORKER: readonly SubjectKind[] = [...AREAS, 'worker'];
const AREA_DISPATCHER: readonly SubjectKind[] = [...AREAS, 'dispatcher'];

export const INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'reported', zh: '上报数', en: 'Reported', type: 'count', measure: 'reported',
    formula: { zh: '期内上报的案件数（合并的重复案件不计）', en: 'Cases reported in the period (merged duplicates excluded)' },
    counting: 'The event that creates the case (report, accept from new, self_resolve), dated by its time; the reporter is its actor. Withdrawn when the case is merged into another.',
    subjects: AREA_WORKER, drill: { kind: 'reported' },
  },
  {
    key: 'valid', zh: '有效上报数', en: 'Valid reports', type: 'count', measure: 'valid',
    formula: { zh: '期内上报且已立案的案件数', en: 'Cases reported in the period that were accepted (立案)' },
    counting: 'A reported mark whose case has an accept or self_resolve event (at any time); dated by the report.',
    subjects: AREA_WORKER, drill: { kind: 'reported', flag: 'valid' },
  },
  {
    key: 'valid_rate', zh: '有效上报率', en: 'Valid report rate', type: 'rate', num: 'valid', den: 'reported', better: 'higher',
    formula: { zh: '有效上报数 ÷ 上报数', en: 'valid reports ÷ reported' },
    counting: 'Both counted on the report day.', subjects: AREA_WORKER, drill: { kind: 'reported' },
  },
  {
    key: 'rejected', zh: '不予立案数', en: 'Not accepted', type: 'count', measure: 'rejected',
    formula: { zh: '期内不予立案的案件数', en: 'Cases rejected (不予立案) in the period' },
    counting: 'The reject event; its actor is the dispatcher who decided.', subjects: AREA_DISPATCHER, drill: { kind: 'rejected' },
  },
  {
    key: 'verified', zh: '核实数', en: 'Verified', type: 'count', measure: 'verified',
    formula: { zh: '期内完成核实的案件数', en: 'Public reports verified (核实) in the period' },
    counting: 'The verify event; its actor is the grid worker who verified.', subjects: AREA_WORKER, drill: { kind: 'verified' },
  },
  {
    key: 'verified_on_time', zh: '按时核实数', en: 'Verified on time', type: 'count', measure: 'verified_on_time',
    formula: { zh: '核实时间不晚于核实时限的核实数', en: 'Verifications done by the verify step\'s due time' },
    counting: 'A verify event whose time is at or before the due time in force before it (due_at of the preceding event).',
    subjects: AREA_WORKER, drill: { kind: 'verified', flag: 'on_time' },
  },
  {
    key: 'verify_on_time_rate', zh: '按时核实率', en: 'On-time verification rate', type: 'rate', num: 'verified_on_time', den: 'verified', better: 'higher',
    formula: { zh: '按时核实数 ÷ 核实数', en: 'verified on time ÷ verified' },
    counting: 'Both counted on the verify day.', subjects: AREA_WORKER, drill: { kind: 'verified' },
  },
  {
    key: 'accepted', zh: '立案数', en: 'Accepted', type: 'count', measure: 'accepted',
    formula: { zh: '期内立案的案件数', en: 'Cases accepted (立案) in the period' },
    counting: 'The first accept or self_resolve event of the case; its actor is who accepted.', subjects: AREA_DISPATCHER, drill: { kind: 'accepted' },
  },
  {
    key: 'missed_rate', zh: '漏报率', en: 'Missed rate', type: 'rate', num: 'missed', den: 'accepted', better: 'lower',
    formula: { zh: '他人发现的立案数 ÷ 立案数（按网格员所在网格）', en: 'accepted cases found by others ÷ accepted, in the worker\'s grid' },
    counting: 'An accepted mark is "missed" when the case\'s source is not grid_worker (found by residents, the hotline, departments, sensors …). For a grid worker, the figures of the grid they are assigned to.',
    subjects: AREA_WORKER, drill: { kind: 'accepted' },
  },
  {
    key: 'dispatched', zh: '派遣数', en: 'Dispatched', type: 'count', measure: 'dispatched',
    formula: { zh: '期内派遣（含交办下级平台）的次数', en: 'Dispatches (to a department or a lower platform) in the period' },
    counting: 'Each dispatch or assign event; its actor is the dispatcher, its department the one dispatched to.',
    subjects: [...AREA_DISPATCHER, 'department'], drill: { kind: 'dispatched' },
  },
  {
    key: 'dispatched_on_time', zh: '按时派遣数', en: 'Dispatched on time', type: 'count', measure: 'dispatched_on_time',
    formula: { zh: '派遣时间不晚于派遣时限的派遣数', en: 'Dispatches made by the dispatch step\'s due time' },
    counting: 'A dispatch or assign event at or before the due time in force before it.',
    subjects: AREA_DISPATCHER, drill: { kind: 'dispatched', flag: 'on_time' },
  },
  {
    key: 'dispatch_on_time_rate', zh: '按时派遣率', en: 'On-time dispatch rate', type: 'rate', num: 'dispatched_on_time', den: 'dispatched', better: 'higher',
    formula: { zh: '按时派遣数 ÷ 派遣数', en: 'dispatched on time ÷ dispatched' },
    counting: 'Both counted on the dispatch day.', subjects: AREA_DISPATCHER, drill: { kind: 'dispatched' },
  },
  {
    key: 'dispatch_accurate', zh: '准确派遣数', en: 'Accurate dispatches', type: 'count', measure: 'dispatch_accurate',
    formula: { zh: '未被回退、未返工的派遣数（不同意回退的不算回退）', en: 'Dispatches not followed by a return or a rework (a refused return is none)' },
    counting: 'A dispatch is inaccurate when, before the next dispatch or assign of the case, it is returned (return) and the return is not refused (refuse_return puts the case back with the one who returned it: the dispatch was right), or sent back for rework (check_fail, reopen). Counted on the dispatch day, so a later return lowers that day\'s figure.',
    subjects: AREA_DISPATCHER, drill: { kind: 'dispatched', flag: 'accurate' },
  },
  {
    key: 'dispatch_accuracy', zh: '准确派遣率', en: 'Dispatch accuracy', type: 'rate', num: 'dispatch_accurate', den: 'dispatched', better: 'higher',
    formula: { zh: '（派遣数 − 回退、返工数）÷ 派遣数', en: '(dispatched − returned or reworked) ÷ dispatched' },
    counting: 'Both counted on the dispatch day.', subjects: AREA_DISPATCHER, drill: { kind: 'dispatched' },
  },
  {
    key: 'due', zh: '应处置数', en: 'Due for handling', type: 'count', measure: 'due',
    formula: { zh: '期内已处置的处置轮次 + 期内到期仍未处置的轮次', en: 'Handling rounds handled in the period + rounds falling due unhandled in it' },
    counting: 'A handling round starts with dispatch, assign to a community, refuse_return, check_fail or reopen. A round handled (feedback) counts on the feedback day; a round still open (not suspended) counts on the day its due time falls; a round ended by return, escalation, cancellation or re-dispatch does not count. A period still running is read up to today, so a round due later does not count yet.',
    subjects: AREA_DEPT, drill: { kind: 'due' },
  },
  {
    key: 'handled', zh: '处置数', en: 'Handled', type: 'count', measure: 'handled',
    formula: { zh: '期内处置反馈的轮次数', en: 'Handling rounds reported done (处置反馈) in the period' },
    counting: 'Each feedback event; its department is the holder of the round.', subjects: AREA_DEPT, drill: { kind: 'handled' },
  },
  {
    key: 'handled_on_time', zh: '按期处置数', en: 'Handled on time', type: 'count', measure: 'handled_on_time',
    formula: { zh: '在处置时限内（含批准的延期）反馈的轮次数', en: 'Rounds reported done by their due time (approved postponements included)' },
    counting: 'A feedback event at or before the due time in force before it (postponements and suspensions move that due time).',
    subjects: AREA_DEPT, drill: { kind: 'handled', flag: 'on_time' },
  },
  {
    key: 'handle_on_time_rate', zh: '按期处置率', en: 'On-time handling rate', type: 'rate', num: 'handled_on_time', den: 'due', better: 'higher',
    formula: { zh: '按期处置数 ÷ 应处置数', en: 'handled on time ÷ due for handling' },
    counting: 'As the two counts.', subjects: AREA_DEPT, drill: { kind: 'due', hit: { kind: 'handled', flag: 'on_time' } },
  },
  {
    key: 'avg_handling_hours', zh: '平均处置用时（小时）', en: 'Average handling time (h)', type: 'hours', measure: 'handling_ms',
    formula: { zh: '处置用时之和 ÷ 处置数；处置用时 = 反馈时间 − 本轮开始时间 − 挂账时间', en: 'sum of handling times ÷ handled; handling time = feedback time − start of the round − time suspended' },
    counting: 'Per feedback event, calendar time since the event that started its round (dispatch, assign, refuse_return, check_fail, reopen), less the time the round spent suspended (挂账: from approve_suspend to resume).',
    subjects: AREA_DEPT, drill: { kind: 'handled' },
  },
  {
    key: 'p90_handling_hours', zh: '处置用时90分位（小时）', en: '90th percentile handling time (h)', type: 'hours',
    formula: { zh: '处置用时的第90百分位数', en: '90th percentile of handling times' },
    counting: 'From a histogram of handling times in buckets 10% wide (geometric); the answer is the upper bound of the bucket holding the 90th percentile, so it is at most 10% above the exact value.',
    subjects: AREA_DEPT, drill: { kind: 'handled' },
  },
  {
    key: 'returned', zh: '回退数', en: 'Returned', type: 'count', measure: 'returned',
    formula: { zh: '期内部门回退的次数', en: 'Returns (回退) by the holder in the period' },
    counting: 'Each return event; its department is the one that returned. A return the dispatcher refuses still counts here (the department did return the case), but not against the dispatch\'s accuracy.', subjects: AREA_DEPT, drill: { kind: 'returned' },
  },
  {
    key: 'rework', zh: '返工数', en: 'Rework', type: 'count', measure: 'rework',
    formula: { zh: '期内核查不通过或重新打开的次数', en: 'Checks failed or cases reopened in the period' },
    counting: 'Each check_fail or reopen event; its department is the holder whose handling failed.', subjects: AREA_DEPT, drill: { kind: 'rework' },
  },
  {
    key: 'rework_rate', zh: '返工率', en: 'Rework rate', type: 'rate', num: 'rework', den: 'due', better: 'lower',
    formula: { zh: '返工数 ÷ 应处置数', en: 'rework ÷ due for handling' },
    counting: 'As the two counts.', subjects: AREA_DEPT, drill: { kind: 'due' },
  },
  {
    key: 'postponed', zh: '延期数', en: 'Postponed', type: 'count', measure: 'postponed',
    formula: { zh: '期内批准延期的次数', en: 'Postponements approved in the period' },
    counting: 'Each approve_postpone event, for the holder at the time.', subjects: AREA_DEPT, drill: { kind: 'postponed' },
  },
  {
    key: 'suspended', zh: '挂账数', en: 'Suspended', type: 'count', measure: 'suspended',
    formula: { zh: '期内批准挂账的次数', en: 'Suspensions (挂账) approved in the period' },
    counting: 'Each approve_suspend event, for the holder at the time.', subjects: AREA_DEPT, drill: { kind: 'suspended' },
  },
  {
    key: 'cancelled', zh: '作废数', en: 'Cancelled', type: 'count', measure: 'cancelled',
    formula: { zh: '期内批准作废的案件数', en: 'Cases cancelled (作废) in the period' },
    counting: 'The approve_cancel event.', subjects: AREA_DEPT, drill: { kind: 'cancelled' },
  },
  {
    key: 'closed', zh: '办结数', en: 'Closed', type: 'count', measure: 'closed',
    formula: { zh: '期内结单且目前仍为结单（或已归档）的案件数', en: 'Cases closed in the period and still closed (or archived)' },
    counting: 'The last close event of a case that is closed or archived now; a reopened case leaves the figure until it is closed again, on the new day. Its department is the holder of the last handling round.',
    subjects: AREA_DEPT, drill: { kind: 'closed' },
  },
  {
    key: 'completion_rate', zh: '办结率', en: 'Completion rate', type: 'rate', num: 'closed', den: 'reported', better: 'higher',
    formula: { zh: '办结数 ÷ 上报数', en: 'closed ÷ reported' },
    counting: 'Closed on the close day, reported on the report day (the seed\'s 办结率: 27,699 ÷ 28,172 = 98.3%).',
    subjects: AREAS, drill: { kind: 'reported' },
  },
  {
    key: 'dept_closure_rate', zh: '结案率', en: 'Closure rate', type: 'rate', num: 'closed', den: 'due', better: 'higher',
    formula: { zh: '办结数 ÷ 应处置数', en: 'closed ÷ due for handling' },
    counting: 'For departments, as the two counts.', subjects: ['department'], drill: { kind: 'due' },
  },
  {
    key: 'closed_on_time', zh: '按期办结数', en: 'Closed on time', type: 'count', measure: 'closed_on_time',
    formula: { zh: '最后一轮处置按期完成的办结案件数', en: 'Closed cases whose last handling round was on time' },
    counting: 'A closed mark whose last handled round was on time; a case closed without any handling round (self-resolved) is on time.',
    subjects: AREA_DEPT, drill: { kind: 'closed', flag: 'on_time' },
  },
  {
    key: 'on_time_closure_rate', zh: '按期办结率', en: 'On-time closure rate', type: 'rate', num: 'closed_on_time', den: 'closed', better: 'higher',
    formula: { zh: '按期办结数 ÷ 办结数', en: 'closed on time ÷ closed' },
    counting: 'Both counted on the close day.', subjects: AREA_DEPT, drill: { kind: 'closed' },
  },
  {
    key: 'checked', zh: '核查数', en: 'Checked', type: 'count', measure: 'checked',
    formula: { zh: '期内核查（通过或不通过）的次数', en: 'Checks (核查, passed or failed) in the period' },
    counting: 'Each check_pass or check_fail event; its actor is the checker.', subjects: AREA_WORKER, drill: { kind: 'checked' },
  },
  {
    key: 'checked_on_time', zh: '按时核查数', en: 'Checked on time', type: 'count', measure: 'checked_on_time',
    formula: { zh: '在核查时限内完成的核查数', en: 'Checks done by the check step\'s due time' },
    counting: 'A check_pass or check_fail event at or before the due time in force before it.',
    subjects: AREA_WORKER, drill: { kind: 'checked', flag: 'on_time' },
  },
  {
    key: 'check_on_time_rate', zh: '按时核查率', en: 'On-time check rate', type: 'rate', num: 'checked_on_time', den: 'checked', better: 'higher',
    formula: { zh: '按时核查数 ÷ 核查数', en: 'checked on time ÷ checked' },
    counting: 'Both counted on the check day.', subjects: AREA_WORKER, drill: { kind: 'checked' },
  },
  {
    key: 'merged', zh: '合并重复数', en: 'Merged duplicates', type: 'count', measure: 'merged',
    formula: { zh: '期内作为重复案件被合并的案件数', en: 'Cases merged into an original in the period' },
    counting: 'The merge event; the merged case counts nowhere else.', subjects: AREAS, drill: { kind: 'merged' },
  },
  {
    key: 'score', zh: '综合得分', en: 'Score', type: 'score',
    formula: { zh: '各项指标按权重加权（0–100），权重可由管理员调整', en: 'Weighted sum of the subject\'s rates (0–100); the weights are configurable' },
    counting: 'See SCORE_MODELS: a rate without a denominator in the period is left out and the remaining weights are rescaled.',
    subjects: SUBJECT_KINDS.filter((s) => s !== 'district'), drill: null,
  },
  {
    key: 'grade', zh: '等级', en: 'Grade', type: 'grade',
    formula: { zh: 'A ≥ 90，B 75–90，C 60–75，D 40–60，E < 40', en: 'A ≥ 90, B 75–90, C 60–75, D 40–60, E < 40' },
    counting: 'From the score by the grade bands (configurable).', subjects: SUBJECT_KINDS.filter((s) => s !== 'district'), drill: null,
  },
];

export const INDICATOR_BY_KEY = new Map(INDICATORS.map((i) => [i.key, i]));

export function indicatorsFor(subject: SubjectKind): IndicatorDef[] {
  return INDICATORS.filter((i) => i.subjects.includes(subject));
}
