import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialect, useTestDatabase } from '../../../test/support/db.js';
import { writeTransaction, type WriteWork } from './group-commit.js';

/**
 * Writes sharing a commit on SQLite (one transaction per write on PostgreSQL) keep every write
 * atomic: one that fails is undone alone, a commit that fails stores none of its writes and
 * answers each of them with its error, and every answered write is in the database.
 */
const t = useTestDatabase(async (db) => {
  await sql`create table gc_parent (id integer primary key)`.execute(db);
  // a deferred foreign key is checked at COMMIT: the way to make a commit itself fail
  await sql`create table gc_rows (name text primary key,
    parent integer references gc_parent (id) deferrable initially deferred)`.execute(db);
});

const names = async () => (await sql<{ name: string }>`select name from gc_rows order by name`.execute(t.db)).rows.map((r) => r.name);
const insert = (name: string, parent: number | null = null): WriteWork<string> => (tx) =>
  sql`insert into gc_rows (name, parent) values (${name}, ${parent})`.execute(tx).then(() => name);

describe('writes that share a commit', () => {
  it('store every write answered, and undo a failing one alone', async () => {
    const writes = Array.from({ length: 150 }, (_, i) => writeTransaction(t.db, insert(`w${String(i).padStart(3, '0')}`)));
    // the same name again: a unique violation in the middle of the others
    const clash = writeTransaction(t.db, async (tx) => {
      await insert('clash-first')(tx);
      await insert('w010')(tx);
    });
    const thrown = writeTransaction(t.db, async (tx) => {
      await insert('thrown')(tx);
      throw new Error('refused after writing');
    });
    const results = await Promise.allSettled([...writes, clash, thrown]);
    expect(results.slice(0, 150).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[150]!.status).toBe('rejected');
    expect((results[151] as PromiseRejectedResult).reason.message).toBe('refused after writing');
    const stored = await names();
    expect(stored).toHaveLength(150);
    expect(stored).not.toContain('clash-first');
    expect(stored).not.toContain('thrown');
  });

  it('answer every write with the error of a commit that fails, and store none of them', async () => {
    await sql`delete from gc_rows`.execute(t.db);
    await sql`insert into gc_parent (id) values (1)`.execute(t.db);
    const writes = [
      writeTransaction(t.db, insert('ok-1', 1)),
      writeTransaction(t.db, insert('orphan', 999)), // fine until the commit checks the key
      writeTransaction(t.db, insert('ok-2', 1)),
    ];
    const results = await Promise.allSettled(writes);
    if (t.dbh.dialect === 'sqlite') {
      // one commit for the three: it fails, so all three fail
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await names()).toEqual([]);
    } else {
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await names()).toEqual(['ok-1', 'ok-2']);
    }
    // and the next write goes through as usual
    await writeTransaction(t.db, insert('after', 1));
    expect(await names()).toContain('after');
  });
});

describe.skipIf(testDialect() !== 'sqlite')('a shared commit on SQLite', () => {
  it('takes in the writes that arrive before its COMMIT, and answers them together', async () => {
    const order: string[] = [];
    let started!: (second: { answer: Promise<string> }) => void;
    const secondStarted = new Promise<{ answer: Promise<string> }>((resolve) => (started = resolve));
    const first = writeTransaction(t.db, async (tx) => {
      // a request read on the next turn of the event loop, while this write's commit is still open
      setImmediate(() => started({ answer: writeTransaction(t.db, async (tx2) => {
        order.push('second written');
        return insert('joined-second')(tx2);
      }) }));
      return insert('joined-first')(tx);
    }).then((v) => (order.push('first answered'), v));
    const second = await secondStarted;
    expect(await first).toBe('joined-first');
    expect(await second.answer).toBe('joined-second');
    // the second was written before the first was answered: both in one commit
    expect(order).toEqual(['second written', 'first answered']);
    expect(await names()).toEqual(expect.arrayContaining(['joined-first', 'joined-second']));
  });
});
