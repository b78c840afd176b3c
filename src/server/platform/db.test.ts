import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/db.js';

/**
 * On SQLite a whole-number LIMIT is written into the statement (a bound one makes SQLite recompile
 * the statement on every run); on PostgreSQL it stays a parameter. Either way the rows are the same.
 */
const t = useTestDatabase(async (db) => {
  await sql`create table limit_rows (id integer primary key, name text not null)`.execute(db);
  await db.insertInto('limit_rows' as never).values(Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `r${i + 1}` })) as never).execute();
});

const rows = () => t.db.selectFrom('limit_rows' as never).select('id' as never).orderBy('id' as never);

describe('LIMIT on each database', () => {
  it('is written into the statement on SQLite when it is a whole number, a parameter otherwise', () => {
    const compiled = rows().limit(5).offset(3).compile();
    if (t.dbh.dialect === 'sqlite') {
      expect(compiled.sql).toMatch(/ limit 5 offset \?$/);
      expect(compiled.parameters).toEqual([3]);
    } else {
      expect(compiled.sql).toMatch(/ limit \$1 offset \$2$/);
      expect(compiled.parameters).toEqual([5, 3]);
    }
    // anything else is left as a value for the database to judge
    expect(rows().limit(2.5).compile().parameters).toEqual([2.5]);
    expect(rows().limit(-1).compile().parameters).toEqual([-1]);
  });

  it('returns the same rows as before, inside and outside a transaction', async () => {
    const ids = (r: { id: number }[]) => r.map((x) => Number(x.id));
    expect(ids(await rows().limit(4).execute() as never)).toEqual([1, 2, 3, 4]);
    expect(ids(await rows().limit(4).offset(10).execute() as never)).toEqual([11, 12]);
    expect(ids(await t.db.transaction().execute((tx) => tx.selectFrom('limit_rows' as never).select('id' as never).orderBy('id' as never).limit(3).execute()) as never)).toEqual([1, 2, 3]);
    // a different limit is a different statement, not the cached one
    expect(ids(await rows().limit(1).execute() as never)).toEqual([1]);
    expect(ids(await rows().limit(0).execute() as never)).toEqual([]);
  });
});
