import type { Selectable } from 'kysely';
import { ACTOR_MEASURE_KEYS, MEASURE_KEYS, type MarkKind } from '../../../shared/evaluation/measures.js';
import { dayOfInstant } from '../../../shared/evaluation/periods.js';
import type { EvalMarksTable } from '../../db/schema.js';
import type { Executor } from '../../platform/db.js';
import type { Mark } from './marks.js';
import { addOnConflict, insertRows } from '../../platform/insert.js';
import type { RollupDelta } from './rollup.js';

/**
 * The only SQL that writes the evaluation tables: marks in and out, and rollup rows moved by a
 * delta. Rows are written in key order, so two transactions touching the same rows (the district's
 * month row is touched by every event) take their row locks in the same order and cannot deadlock.
 */
export type MarkRow = Selectable<EvalMarksTable>;

const STATS_BATCH = 500;
const MARKS_BATCH = 1000;

export function markOfRow(r: MarkRow): Mark {
  return {
    kind: r.kind as MarkKind, at: Number(r.at), grid: r.grid_code, cls: r.class, source: r.source,
    dept: r.dept, actor: r.actor_id, flags: Number(r.flags), value: Number(r.value),
  };
}

export async function marksOfCasesRows(db: Executor, caseIds: readonly number[]): Promise<MarkRow[]> {
  if (caseIds.length === 0) return [];
  return db.selectFrom('eval_marks').selectAll().where('case_id', 'in', caseIds).orderBy('case_id').orderBy('id').execute();
}

const MARK_COLUMNS = ['case_id', 'kind', 'at', 'day', 'grid_code', 'class', 'source', 'dept', 'actor_id', 'flags', 'value'];

export async function writeMarks(db: Executor, removedIds: readonly number[], added: readonly { caseId: number; mark: Mark }[]): Promise<void> {
  for (let i = 0; i < removedIds.length; i += MARKS_BATCH) {
    await db.deleteFrom('eval_marks').where('id', 'in', removedIds.slice(i, i + MARKS_BATCH)).execute();
  }
  await insertRows(db, 'eval_marks', MARK_COLUMNS, added.map(({ caseId, mark: m }) => [
    caseId, m.kind, m.at, dayOfInstant(m.at), m.grid, m.cls, m.source, m.dept, m.actor, m.flags, m.value,
  ]));
}

const sortedValues = <T>(map: Map<string, T>): T[] => [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);

/** Adds the delta to the rollup rows (creating the rows it names for the first time). */
export async function writeDelta(db: Executor, delta: RollupDelta): Promise<void> {
  delta.compact();
  await insertRows(db, 'eval_stats', ['area', 'level', 'dim', 'key', 'grain', 'period', ...MEASURE_KEYS],
    sortedValues(delta.stats).map((r) => [r.area, r.level, r.dim, r.key, r.grain, r.period, ...r.v]),
    { suffix: addOnConflict('eval_stats', ['area', 'dim', 'grain', 'period', 'key'], MEASURE_KEYS), rowsPerStatement: STATS_BATCH });
  await insertRows(db, 'eval_actor_stats', ['actor_id', 'grain', 'period', ...ACTOR_MEASURE_KEYS],
    sortedValues(delta.actors).map((r) => [r.actor, r.grain, r.period, ...r.v]),
    { suffix: addOnConflict('eval_actor_stats', ['actor_id', 'grain', 'period'], ACTOR_MEASURE_KEYS), rowsPerStatement: STATS_BATCH });
  await insertRows(db, 'eval_durations', ['area', 'level', 'dim', 'key', 'grain', 'period', 'bucket', 'n'],
    sortedValues(delta.durations).map((r) => [r.area, r.level, r.dim, r.key, r.grain, r.period, r.bucket, r.n]),
    { suffix: addOnConflict('eval_durations', ['area', 'dim', 'grain', 'period', 'key', 'bucket'], ['n']), rowsPerStatement: STATS_BATCH * 2 });
}

export interface ActorInfo {
  actor_id: string;
  user_id: number | null;
  name: string | null;
  level: string | null;
  division_code: string | null;
  department_code: string | null;
  updated_at: number;
}

/** Who the people are, as of the latest event each acted in (an older event never overwrites a newer one). */
export async function writeActors(db: Executor, actors: readonly ActorInfo[]): Promise<void> {
  const sorted = [...actors].sort((a, b) => (a.actor_id < b.actor_id ? -1 : a.actor_id > b.actor_id ? 1 : 0));
  await insertRows(db, 'eval_actors', ['actor_id', 'user_id', 'name', 'level', 'division_code', 'department_code', 'updated_at'],
    sorted.map((a) => [a.actor_id, a.user_id, a.name, a.level, a.division_code, a.department_code, a.updated_at]), {
      rowsPerStatement: STATS_BATCH,
      suffix: `on conflict (actor_id) do update set user_id = coalesce(excluded.user_id, eval_actors.user_id),
        name = coalesce(excluded.name, eval_actors.name), level = excluded.level, division_code = excluded.division_code,
        department_code = excluded.department_code, updated_at = excluded.updated_at where excluded.updated_at >= eval_actors.updated_at`,
    });
}

/** Empties every rollup (before a full recount). */
export async function clearStats(db: Executor): Promise<void> {
  for (const t of ['eval_marks', 'eval_stats', 'eval_actor_stats', 'eval_durations', 'eval_actors'] as const) await db.deleteFrom(t).execute();
}
