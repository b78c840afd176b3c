import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialect, useTestDatabase } from '../../../../test/support/db.js';
import { migrateToLatest } from '../../db/migrator.js';
import * as migration017 from '../../db/migrations/017_eval_rollup_one_key.js';
import { dayOfInstant, dekadOfDay, monthOfDay, yearOfMonth } from '../../../shared/evaluation/periods.js';
import type { Mark } from './marks.js';
import { RollupDelta } from './rollup.js';
import { writeDelta } from './stats.repo.js';

/**
 * Two transactions creating the same new rollup rows at the same moment both count: the second
 * waits for the first and adds to the rows it made. On PostgreSQL each rollup table has one unique
 * index, the one its upserts name (migration 017); with a second one over the same columns the
 * second transaction failed on it ("duplicate key … eval_stats_pk") instead.
 */
const t = useTestDatabase(async (db) => {
  await migrateToLatest(db);
});

const MARK: Mark = {
  kind: 'reported', at: Date.UTC(2031, 6, 1, 2), grid: '110112001006001', cls: '01', source: 'grid_worker', dept: null, actor: 'u:7', flags: 0, value: 0,
};
const HANDLED: Mark = { ...MARK, kind: 'handled', dept: 'CG', value: 3_600_000 };

function deltaOf(...marks: Mark[]): RollupDelta {
  const d = new RollupDelta();
  for (const m of marks) d.add(m, 1);
  return d;
}

const rollupRows = async () => {
  const stats = await t.db.selectFrom('eval_stats').select(['area', 'dim', 'key', 'grain', 'period', 'reported', 'handled'])
    .orderBy('area').orderBy('dim').orderBy('key').orderBy('grain').orderBy('period').execute();
  const actors = await t.db.selectFrom('eval_actor_stats').select(['actor_id', 'grain', 'period', 'reported']).orderBy('grain').orderBy('period').execute();
  const durations = await t.db.selectFrom('eval_durations').select(['area', 'dim', 'key', 'grain', 'period', 'bucket', 'n'])
    .orderBy('area').orderBy('dim').orderBy('key').orderBy('grain').orderBy('period').orderBy('bucket').execute();
  return { stats, actors, durations };
};

describe('rollup rows written by two transactions at once', () => {
  it.skipIf(testDialect() !== 'postgres')('all count when several create the same new rows at once (PostgreSQL)', async () => {
    // six transactions at a time write the same new rows, a hundred times; with a second unique
    // index (before migration 017) a few of them failed on it ("duplicate key … eval_stats_pk")
    const rounds = 100;
    const failures: unknown[] = [];
    for (let k = 0; k < rounds; k++) {
      const mark: Mark = { ...MARK, at: Date.UTC(2040, 0, 1) + k * 40 * 86_400_000, actor: `u:${100 + k}` };
      const written = await Promise.allSettled(Array.from({ length: 6 }, () => t.db.transaction().execute((tx) => writeDelta(tx, deltaOf(mark, { ...HANDLED, at: mark.at + 3_600_000, actor: mark.actor })))));
      failures.push(...written.flatMap((w) => (w.status === 'rejected' ? [w.reason] : [])));
    }
    expect(failures).toEqual([]);
    const { stats, actors } = await rollupRows();
    const ofRounds = stats.filter((r) => r.grain === 'y' && Number(r.period) >= 2040 && r.dim === '' && r.area === MARK.grid);
    expect(ofRounds.length).toBeGreaterThan(5);
    // each year's row counted every transaction's mark of that year
    const marksPerYear = new Map<number, number>();
    for (let k = 0; k < rounds; k++) {
      const year = new Date(Date.UTC(2040, 0, 1) + k * 40 * 86_400_000 + 8 * 3_600_000).getUTCFullYear();
      marksPerYear.set(year, (marksPerYear.get(year) ?? 0) + 6);
    }
    expect(ofRounds.map((r) => [Number(r.period), Number(r.reported)])).toEqual([...marksPerYear.entries()].sort((a, b) => a[0] - b[0]));
    expect(actors.filter((a) => a.grain === 'y').every((a) => Number(a.reported) === 6)).toBe(true);
  });

  it('adds to the same rows before migration 017, after it is taken back and once it is applied again', async () => {
    const later: Mark = { ...MARK, at: Date.UTC(2032, 0, 5, 2), actor: 'u:8' };
    const day = dayOfInstant(later.at);
    const periods = new Set([`d${day}`, `t${dekadOfDay(day)}`, `m${monthOfDay(day)}`, `y${yearOfMonth(monthOfDay(day))}`]);
    const counts = async () => (await rollupRows()).stats.filter((r) => periods.has(`${r.grain}${r.period}`)).map((r) => Number(r.reported));
    await writeDelta(t.db, deltaOf(later));
    const rows = (await counts()).length;
    expect(rows).toBeGreaterThan(20);
    await migration017.down(t.db);
    await writeDelta(t.db, deltaOf(later));
    await migration017.up(t.db);
    await writeDelta(t.db, deltaOf(later));
    expect(await counts()).toEqual(new Array(rows).fill(3));
    if (testDialect() === 'postgres') {
      const unique = await sql<{ table: string; n: number }>`select tablename as table, count(*) as n from pg_indexes
        where tablename in ('eval_stats', 'eval_actor_stats', 'eval_durations') and indexdef like 'CREATE UNIQUE%' group by tablename order by tablename`.execute(t.db);
      expect(unique.rows.map((r) => [r.table, Number(r.n)])).toEqual([['eval_actor_stats', 1], ['eval_durations', 1], ['eval_stats', 1]]);
    }
  });
});
