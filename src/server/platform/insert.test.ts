import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialect, useTestDatabase } from '../../../test/support/db.js';
import { writeBehindOf } from './db.js';
import { addOnConflict, insertRows } from './insert.js';

/**
 * The bulk writer: a VALUES list in power-of-two sizes, or on PostgreSQL for many rows one array
 * per column (unnest). Either way every value arrives as it was given, in the order given, and an
 * upsert adds to the rows it finds.
 */
const t = useTestDatabase(async (db) => {
  await sql`create table bulk_rows (id integer primary key, label text, note varchar(40), n bigint not null, share double precision)`.execute(db);
  await sql`create table bulk_counts (k text not null, day integer not null, n bigint not null, primary key (k, day))`.execute(db);
});

const ODD_TEXTS = ['', 'plain', 'a,b', '{x,y}', '"quoted"', 'back\\slash', 'NULL', 'null', '  spaced  ', '井盖丢失（原系统编号 H-1）', 'line\nbreak', "it's", '😀'];
const COLUMNS = ['id', 'label', 'note', 'n', 'share'];

describe('insertRows', () => {
  it('writes every value as given: odd texts, an empty text apart from a null, big and fractional numbers, in a few rows and in many', async () => {
    const rowsFrom = (first: number, times: number) => Array.from({ length: times }, () => ODD_TEXTS).flat()
      .map((label, i) => [first + i, label, i % 3 === 0 ? null : `note ${i}`, 2 ** 52 + i, i / 7]);
    const few = [...rowsFrom(1, 1), [50, null, null, -5, null]];
    const many = [...rowsFrom(101, 3), [200, null, null, -5, null]];
    expect(many.length).toBeGreaterThanOrEqual(32); // PostgreSQL's arrays
    await insertRows(t.db, 'bulk_rows', COLUMNS, few);
    await insertRows(t.db, 'bulk_rows', COLUMNS, many);
    const back = await t.db.selectFrom('bulk_rows' as never).selectAll().orderBy('id' as never).execute() as Record<string, unknown>[];
    expect(back.map((r) => [Number(r.id), r.label, r.note, Number(r.n), r.share === null ? null : Number(r.share)])).toEqual([...few, ...many]);
  });

  it.skipIf(testDialect() !== 'postgres')('writes many rows held back in a write-behind transaction, as text, the same (PostgreSQL)', async () => {
    // the arrays travel with the COMMIT, their values written into the statement's text (platform/pg-text)
    const rows = Array.from({ length: 3 }, () => ODD_TEXTS).flat().map((label, i) => [500 + i, label, i % 2 ? null : `说"${i}"\\`, i, i / 3]);
    expect(rows.length).toBeGreaterThanOrEqual(32);
    await writeBehindOf(t.db)!.transaction().execute((tx) => insertRows(tx, 'bulk_rows', COLUMNS, rows));
    const back = await t.db.selectFrom('bulk_rows' as never).selectAll().where('id' as never, '>=', 500 as never).where('id' as never, '<', 900 as never).orderBy('id' as never).execute() as Record<string, unknown>[];
    expect(back.map((r) => [Number(r.id), r.label, r.note, Number(r.n), Number(r.share)])).toEqual(rows);
  });

  it('gives what RETURNING returns in the rows\' order, for more rows than one statement holds on SQLite', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [1000 + i, `r${i}`, null, i, null]);
    const back = await insertRows<{ id: number }>(t.db, 'bulk_rows', COLUMNS, rows, { suffix: 'returning id' });
    expect(back.map((r) => Number(r.id))).toEqual(rows.map((r) => r[0]));
  });

  it('adds to existing rows with an upsert, and writes nothing for no rows', async () => {
    const suffix = addOnConflict('bulk_counts', ['k', 'day'], ['n']);
    await insertRows(t.db, 'bulk_counts', ['k', 'day', 'n'], [['a', 1, 2], ['b', 1, 3]], { suffix });
    await insertRows(t.db, 'bulk_counts', ['k', 'day', 'n'], [['a', 1, 5], ['a', 2, 1]], { suffix });
    await insertRows(t.db, 'bulk_counts', ['k', 'day', 'n'], [], { suffix });
    const back = await t.db.selectFrom('bulk_counts' as never).selectAll().orderBy('k' as never).orderBy('day' as never).execute() as Record<string, unknown>[];
    expect(back.map((r) => [r.k, Number(r.day), Number(r.n)])).toEqual([['a', 1, 7], ['a', 2, 1], ['b', 1, 3]]);
  });

  it('refuses a row of the wrong width before writing anything', async () => {
    await expect(insertRows(t.db, 'bulk_counts', ['k', 'day', 'n'], [['c', 1, 1], ['d', 1]])).rejects.toThrow(/2 values for 3 columns/);
    const c = await t.db.selectFrom('bulk_counts' as never).select('k' as never).where('k' as never, '=', 'c' as never).execute();
    expect(c).toEqual([]);
  });
});
