import { sql, type Kysely } from 'kysely';
import { DEPARTMENT_KINDS, FLAGS, MEASURE_KEYS, MEASURES, type MeasureDef } from '../../../shared/evaluation/measures.js';
import { monthOfDay } from '../../../shared/evaluation/periods.js';
import { bucketOfMs } from '../../modules/evaluation/rollup.js';

/**
 * A community's and a grid's breakdowns by category class, source and department, and a grid's
 * handling-time histogram, are now kept per month (evaluation/rollup.ts, SMALL_AREA_GRAIN): a
 * small area's dashboard reads its whole months from them instead of counting every mark of the
 * range. This migration writes those rows for the marks already counted, in the database: the
 * marks are what the rollups are the sums of.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rollupSmallAreasFromMarks(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('eval_stats').where('level', '<', 20).where('dim', '<>', '').execute();
  await db.deleteFrom('eval_durations').where('level', '=', 0).execute();
}

/** The month rows of small areas, from the marks (the upgrade, and the benchmark's bulk load). */
export async function rollupSmallAreasFromMarks(db: Kysely<any>): Promise<void> {
  const span = await db.selectFrom('eval_marks').select([sql<number | null>`min(day)`.as('lo'), sql<number | null>`max(day)`.as('hi')]).executeTakeFirst();
  if (span?.lo == null || span.hi == null) return;
  // the month of each day, and the first milliseconds of each handling-time bucket, as tables to join
  await db.schema.createTable('eval_migrate_months').addColumn('day', 'integer', (c) => c.primaryKey()).addColumn('month', 'integer', (c) => c.notNull()).execute();
  await db.schema.createTable('eval_migrate_buckets').addColumn('lo', 'bigint', (c) => c.primaryKey()).addColumn('bucket', 'integer', (c) => c.notNull()).execute();
  try {
    const days: { day: number; month: number }[] = [];
    for (let d = Number(span.lo); d <= Number(span.hi); d++) days.push({ day: d, month: monthOfDay(d) });
    for (let i = 0; i < days.length; i += 400) await db.insertInto('eval_migrate_months').values(days.slice(i, i + 400)).execute();
    await db.insertInto('eval_migrate_buckets').values(bucketStarts()).execute();

    // each grid's marks per key, month, kind and flags (a count and a sum: the sort of every mark is
    // the cost), then the measures from those few rows; a community's rows are the sums of its grids'
    const measures = sql.join(MEASURE_KEYS.map((k) => {
      const def = MEASURES[k] as MeasureDef;
      return sql`sum(case when ${markIs(def, 'x')} then ${def.sum ? sql.ref('x.v') : sql.ref('x.n')} else 0 end)`;
    }));
    // the marks that add to some measure: what a mark adds nothing to makes no row
    const counted = sql.join(MEASURE_KEYS.map((k) => sql`(${markIs(MEASURES[k] as MeasureDef, 'm')})`), sql` or `);
    const deptKinds = sql.join(DEPARTMENT_KINDS.map((k) => sql.lit(k)));
    const columns = sql.join(MEASURE_KEYS.map((k) => sql.ref(k)));
    for (const [dim, where] of [
      ['class', sql`1 = 1`], ['source', sql`1 = 1`], ['dept', sql`m.dept is not null and m.kind in (${deptKinds})`],
    ] as const) {
      await sql`insert into eval_stats (area, level, dim, key, grain, period, ${columns})
        select x.grid_code, 0, ${sql.lit(dim)}, x.key, 'm', x.month, ${measures} from (
          select m.grid_code, ${sql.ref(`m.${dim}`)} as key, d.month, m.kind, m.flags, count(*) as n, sum(m.value) as v
          from eval_marks m join eval_migrate_months d on d.day = m.day
          where (${counted}) and ${where}
          group by m.grid_code, ${sql.ref(`m.${dim}`)}, d.month, m.kind, m.flags) x
        group by x.grid_code, x.key, x.month`.execute(db);
    }
    await sql`insert into eval_stats (area, level, dim, key, grain, period, ${columns})
      select substr(area, 1, 12), 10, dim, key, grain, period, ${sql.join(MEASURE_KEYS.map((k) => sql`sum(${sql.ref(k)})`))}
      from eval_stats where level = 0 and grain = 'm' and dim in ('class', 'source', 'dept')
      group by substr(area, 1, 12), dim, key, grain, period`.execute(db);
    await sql`insert into eval_durations (area, level, dim, key, grain, period, bucket, n)
      select x.grid_code, 0, '', '', 'm', x.month, x.bucket, count(*) from (
        select m.grid_code, d.month, (select b.bucket from eval_migrate_buckets b where b.lo <= m.value order by b.lo desc limit 1) as bucket
        from eval_marks m join eval_migrate_months d on d.day = m.day where m.kind = 'handled') x
      group by x.grid_code, x.month, x.bucket`.execute(db);
  } finally {
    await db.schema.dropTable('eval_migrate_months').execute();
    await db.schema.dropTable('eval_migrate_buckets').execute();
  }
}

function markIs(def: MeasureDef, alias: string) {
  const kind = sql`${sql.ref(`${alias}.kind`)} = ${sql.lit(def.kind)}`;
  return def.flag ? sql`${kind} and (${sql.ref(`${alias}.flags`)} & ${sql.lit(FLAGS[def.flag])}) <> 0` : kind;
}

/**
 * The first millisecond of every handling-time bucket, found with bucketOfMs itself (so that the
 * database puts a value in the bucket the server would), up to the largest safe integer.
 */
export function bucketStarts(): { lo: number; bucket: number }[] {
  const out = [{ lo: 0, bucket: 0 }];
  for (let b = 1; ; b++) {
    let lo = out[out.length - 1]!.lo;
    let hi = Number.MAX_SAFE_INTEGER;
    if (bucketOfMs(hi) < b) return out;
    // the least ms with bucketOfMs(ms) >= b
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (bucketOfMs(mid) >= b) hi = mid;
      else lo = mid + 1;
    }
    if (bucketOfMs(lo) === b) out.push({ lo, bucket: b });
  }
}
