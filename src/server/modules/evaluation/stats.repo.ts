import { sql, type Selectable } from 'kysely';
import { ACTOR_MEASURE_KEYS, MEASURE_KEYS, type MarkKind } from '../../../shared/evaluation/measures.js';
import { dayOfInstant } from '../../../shared/evaluation/periods.js';
import type { EvalMarksTable } from '../../db/schema.js';
import type { Executor } from '../../platform/db.js';
import type { Mark } from './marks.js';
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

export async function marksOfCaseRows(db: Executor, caseId: number): Promise<MarkRow[]> {
  return db.selectFrom('eval_marks').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function writeMarks(db: Executor, removedIds: readonly number[], added: readonly { caseId: number; mark: Mark }[]): Promise<void> {
  for (let i = 0; i < removedIds.length; i += MARKS_BATCH) {
    await db.deleteFrom('eval_marks').where('id', 'in', removedIds.slice(i, i + MARKS_BATCH)).execute();
  }
  for (let i = 0; i < added.length; i += MARKS_BATCH) {
    await db.insertInto('eval_marks').values(added.slice(i, i + MARKS_BATCH).map(({ caseId, mark: m }) => ({
      case_id: caseId, kind: m.kind, at: m.at, day: dayOfInstant(m.at), grid_code: m.grid, class: m.cls, source: m.source,
      dept: m.dept, actor_id: m.actor, flags: m.flags, value: m.value,
    }))).execute();
  }
}

const sortedValues = <T>(map: Map<string, T>): T[] => [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);

function addColumns(table: string, keys: readonly string[]) {
  return Object.fromEntries(keys.map((k) => [k, sql`${sql.ref(`${table}.${k}`)} + ${sql.ref(`excluded.${k}`)}`]));
}

/** Adds the delta to the rollup rows (creating the rows it names for the first time). */
export async function writeDelta(db: Executor, delta: RollupDelta): Promise<void> {
  delta.compact();
  const stats = sortedValues(delta.stats);
  for (let i = 0; i < stats.length; i += STATS_BATCH) {
    await db.insertInto('eval_stats')
      .values(stats.slice(i, i + STATS_BATCH).map((r) => ({
        area: r.area, level: r.level, dim: r.dim, key: r.key, grain: r.grain, period: r.period,
        ...Object.fromEntries(MEASURE_KEYS.map((k, j) => [k, r.v[j]!])),
      })))
      .onConflict((oc) => oc.columns(['area', 'dim', 'grain', 'period', 'key']).doUpdateSet(addColumns('eval_stats', MEASURE_KEYS) as never))
      .execute();
  }
  const actors = sortedValues(delta.actors);
  for (let i = 0; i < actors.length; i += STATS_BATCH) {
    await db.insertInto('eval_actor_stats')
      .values(actors.slice(i, i + STATS_BATCH).map((r) => ({
        actor_id: r.actor, grain: r.grain, period: r.period,
        ...Object.fromEntries(ACTOR_MEASURE_KEYS.map((k, j) => [k, r.v[j]!])),
      })))
      .onConflict((oc) => oc.columns(['actor_id', 'grain', 'period']).doUpdateSet(addColumns('eval_actor_stats', ACTOR_MEASURE_KEYS) as never))
      .execute();
  }
  const durations = sortedValues(delta.durations);
  for (let i = 0; i < durations.length; i += STATS_BATCH * 2) {
    await db.insertInto('eval_durations')
      .values(durations.slice(i, i + STATS_BATCH * 2))
      .onConflict((oc) => oc.columns(['area', 'dim', 'grain', 'period', 'key', 'bucket']).doUpdateSet(addColumns('eval_durations', ['n']) as never))
      .execute();
  }
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
  for (let i = 0; i < sorted.length; i += STATS_BATCH) {
    await db.insertInto('eval_actors').values(sorted.slice(i, i + STATS_BATCH))
      .onConflict((oc) => oc.column('actor_id').doUpdateSet({
        user_id: sql`coalesce(excluded.user_id, eval_actors.user_id)`,
        name: sql`coalesce(excluded.name, eval_actors.name)`,
        level: sql`excluded.level`,
        division_code: sql`excluded.division_code`,
        department_code: sql`excluded.department_code`,
        updated_at: sql`excluded.updated_at`,
      } as never).where(sql`excluded.updated_at`, '>=', sql`eval_actors.updated_at`))
      .execute();
  }
}

/** Empties every rollup (before a full recount). */
export async function clearStats(db: Executor): Promise<void> {
  for (const t of ['eval_marks', 'eval_stats', 'eval_actor_stats', 'eval_durations', 'eval_actors'] as const) await db.deleteFrom(t).execute();
}
