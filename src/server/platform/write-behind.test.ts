import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialect, useTestDatabase } from '../../../test/support/db.js';
import { messagesDuring } from '../../../test/support/pg-messages.js';
import { writeTransaction } from './group-commit.js';
import { runText } from './db.js';
import { inlinable, inlined } from './pg-text.js';

/**
 * PostgreSQL's write transactions hold their plain INSERTs back until a statement must be answered
 * or the transaction commits. What they store, what they read and how they fail must be exactly
 * what a transaction sending every statement on its own would store, read and fail with.
 */
const t = useTestDatabase(async (db) => {
  await sql`create table wb_parent (id integer primary key)`.execute(db);
  await sql`create table wb_rows (name text primary key, parent integer references wb_parent (id), note text, amount double precision, big bigint, flag boolean, bytes bytea)`.execute(db);
});

const names = async () => (await sql<{ name: string }>`select name from wb_rows order by name`.execute(t.db)).rows.map((r) => r.name);

describe.skipIf(testDialect() !== 'postgres')('write transactions holding their INSERTs back (PostgreSQL)', () => {
  afterEach(async () => {
    await sql`delete from wb_rows`.execute(t.db);
    await sql`delete from wb_parent`.execute(t.db);
  });

  it('send the INSERTs of a transaction that reads nothing as one message, and store them all', async () => {
    const { value, texts } = await messagesDuring(() => writeTransaction(t.db, async (tx) => {
      await tx.insertInto('wb_parent' as never).values({ id: 1 } as never).execute();
      await runText(tx, 'insert into wb_rows (name, parent) values ($1, $2)', ['a', 1]);
      const [made] = await tx.insertInto('wb_rows' as never).values([{ name: 'b', parent: 1 }, { name: 'c', parent: 1 }] as never).execute();
      return made!.numInsertedOrUpdatedRows;
    }));
    // a held INSERT's count is its rows: it writes them all or fails the transaction
    expect(value).toBe(2n);
    expect(texts).toHaveLength(1);
    expect(texts[0]).not.toMatch(/^begin/);
    expect(await names()).toEqual(['a', 'b', 'c']);
  });

  it('send the held INSERTs with the first statement that must be answered, which sees them', async () => {
    const { value, texts } = await messagesDuring(() => writeTransaction(t.db, async (tx) => {
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['a']);
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['b']);
      const seen = await runText<{ n: string }>(tx, 'select count(*) as n from wb_rows where name <> $1', ['z']);
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['c']);
      return Number(seen[0]!.n);
    }));
    expect(value).toBe(2);
    // BEGIN, the two INSERTs and the read; then the third INSERT with the COMMIT
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^begin; insert/);
    expect(texts[1]).toMatch(/; commit$/);
    expect(await names()).toEqual(['a', 'b', 'c']);
  });

  it('send a read with quoted strings of its own with the held INSERTs, and one it cannot write as text after them, with its parameters', async () => {
    const { value, texts } = await messagesDuring(() => writeTransaction(t.db, async (tx) => {
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['a']);
      const quoted = await runText<{ n: string }>(tx, "select count(*) as n from wb_rows where name <> 'z''s $1' and name <> $1", ['y']);
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['b']);
      // an escape string: sent as it is, with its parameters
      const escaped = await runText<{ n: string }>(tx, "select count(*) as n from wb_rows where name <> E'\\\\' and name <> $1", ['y']);
      return [Number(quoted[0]!.n), Number(escaped[0]!.n)];
    }));
    expect(value).toEqual([1, 2]);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toMatch(/^begin; insert .*; select count\(\*\) as n from wb_rows where name <> 'z''s \$1' and name <> 'y'$/);
    expect(texts[1]).toMatch(/^insert into wb_rows \(name\) values \('b'\)$/);
    expect(texts[2]).toMatch(/E'/);
    expect(texts[3]).toBe('commit');
  });

  it('store every kind of value exactly as bound parameters store it', async () => {
    const values = [
      { name: "it's", note: 'back\\slash \'quote\' "double" 换行\n制表\t😀', amount: 116.633040104081, big: '9007199254740993', flag: true, bytes: Buffer.from([0, 1, 254, 255]) },
      { name: 'nulls', note: null, amount: -0.5, big: null, flag: false, bytes: null },
      { name: 'e-notation', note: '$1 $2 ; --', amount: 1e-7, big: '-42', flag: null, bytes: Buffer.alloc(0) },
    ];
    await writeTransaction(t.db, async (tx) => {
      for (const v of values) await tx.insertInto('wb_rows' as never).values(v as never).execute();
    });
    const stored = await sql<Record<string, unknown>>`select name, note, amount, big::text as big, flag, bytes from wb_rows order by name`.execute(t.db);
    // the same rows through the extended protocol, for comparison
    await sql`create temporary table wb_same (like wb_rows)`.execute(t.db);
    for (const v of values) {
      await sql`insert into wb_rows (name, note, amount, big, flag, bytes) values (${`x${v.name}`}, ${v.note}, ${v.amount}, ${v.big}, ${v.flag}, ${v.bytes})`.execute(t.db);
    }
    const bound = await sql<Record<string, unknown>>`select substr(name, 2) as name, note, amount, big::text as big, flag, bytes from wb_rows where name like 'x%' order by name`.execute(t.db);
    const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(sorted(stored.rows.filter((r) => !String(r.name).startsWith('x')))).toEqual(sorted(bound.rows));
  });

  it('fail the whole transaction when a held INSERT fails, at the statement it travels with, storing nothing', async () => {
    await sql`insert into wb_rows (name) values ('taken')`.execute(t.db);
    // failing at the COMMIT
    await expect(writeTransaction(t.db, async (tx) => {
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['new']);
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['taken']);
    })).rejects.toMatchObject({ code: '23505' });
    // failing at a read, after BEGIN was sent
    await expect(writeTransaction(t.db, async (tx) => {
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['new']);
      await runText(tx, 'insert into wb_rows (name, parent) values ($1, $2)', ['orphan', 999]);
      await runText(tx, 'select 1');
    })).rejects.toMatchObject({ code: '23503' });
    // failing at the COMMIT after a read: the transaction is rolled back and its connection usable again
    await expect(writeTransaction(t.db, async (tx) => {
      await runText(tx, 'select 1');
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['new']);
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['taken']);
    })).rejects.toMatchObject({ code: '23505' });
    // the work itself throwing after its INSERTs were held
    await expect(writeTransaction(t.db, async (tx) => {
      await runText(tx, 'insert into wb_rows (name) values ($1)', ['new']);
      throw new Error('refused after writing');
    })).rejects.toThrow('refused after writing');
    expect(await names()).toEqual(['taken']);
    // every connection of the pool is still good for a transaction
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => writeTransaction(t.db, async (tx) => {
      await runText(tx, 'insert into wb_rows (name) values ($1)', [`after-${String(i).padStart(2, '0')}`]);
      return (await runText<{ n: string }>(tx, 'select count(*) as n from wb_rows'))[0]!.n;
    })));
    expect(all).toHaveLength(20);
    expect(await names()).toHaveLength(21);
  });

  it('send INSERTs that answer something, or may insert nothing, at once', async () => {
    const { value, texts } = await messagesDuring(() => writeTransaction(t.db, async (tx) => {
      const made = await runText<{ name: string }>(tx, 'insert into wb_rows (name) values ($1) returning name', ['r']);
      const again = await tx.insertInto('wb_rows' as never).values({ name: 'r' } as never)
        .onConflict((oc) => (oc as any).column('name').doNothing()).executeTakeFirst();
      return { made, again: Number(again.numInsertedOrUpdatedRows) };
    }));
    expect(value).toEqual({ made: [{ name: 'r' }], again: 0 });
    expect(texts).toHaveLength(3);
  });

  it('write values into the text as quoted literals, leaving the quoted strings and names of the text as they are', () => {
    expect(inlined(CompiledQuery.raw('insert into t (a, b, c, d) values ($1, $2, $3, $4)', ["o'k", null, 1.5, Buffer.from([10])])))
      .toBe("insert into t (a, b, c, d) values ('o''k', null, '1.5',  E'\\\\x0a')");
    expect(inlined(CompiledQuery.raw(`select $1 || 'it''s $2', "col$1""x" from t where x = $2 and y = any($3)`, ['a', 'b', ['p', 'q"r\\s', null]])))
      .toBe(`select 'a' || 'it''s $2', "col$1""x" from t where x = 'b' and y = any( E'{"p","q\\\\"r\\\\\\\\s",NULL}')`);
    for (const text of ["select E'\\n' || $1", 'select $$x$$ || $1', 'select $1; select 2', 'select $1 -- note', 'select $1 /* note */', "select 'open $1", 'select a$1 from t']) {
      expect(inlinable(CompiledQuery.raw(text, ['v'])), text).toBe(false);
    }
    expect(inlinable(CompiledQuery.raw('select $1', [new Date()]))).toBe(false);
    expect(inlinable(CompiledQuery.raw('select $1', [[['nested']]]))).toBe(false);
  });
});
