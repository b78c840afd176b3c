import {
  CompiledQuery, InsertQueryNode, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, RawNode,
  type DatabaseConnection, type Dialect, type Driver, type QueryResult, type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { inlinable, inlined, last, plainInsertText, resultOf } from './pg-text.js';

/**
 * PostgreSQL transactions whose plain INSERTs travel with the next statement that must be answered.
 *
 * Under load a transaction's time is its round trips: each statement waits for the server and
 * then for the event loop to read the answer, and the connection is held meanwhile (a report was
 * eight of them: its number, BEGIN, the case, its event, the duplicate search, the inbox rows, the
 * evaluation's mark, COMMIT). An INSERT without RETURNING answers nothing the code goes on with,
 * so here it is held back and sent with the next statement whose answer is needed, or with the
 * COMMIT: BEGIN and the INSERTs of a report go in one message with its duplicate search, the rest
 * with its COMMIT. A transaction of INSERTs only is sent as one message without BEGIN, which
 * PostgreSQL runs as one transaction.
 *
 * What changes for the code inside: a held INSERT that fails (a key already there, a row it refers
 * to missing) fails the statement it travels with, or the COMMIT, instead of its own call; the
 * transaction fails all the same and nothing of it is stored. So code that catches an INSERT's
 * error to carry on (`on conflict do nothing` checked by its count, a savepoint retried) must not
 * run in these transactions; those INSERTs are sent at once anyway (below), as is anything that
 * reads, updates or deletes.
 *
 * Statements travel together in PostgreSQL's simple protocol, their values written into the text
 * (platform/pg-text). A statement that cannot be written so (an escape string or a dollar quote in
 * its text, a date among its values) is sent alone, with its parameters, after the held ones.
 */

/** INSERTs held back: no RETURNING, no DO NOTHING (its count would matter), and writable as text. */
function heldBack(q: CompiledQuery): boolean {
  const node = q.query;
  if (InsertQueryNode.is(node)) {
    if (node.returning || node.onConflict?.doNothing || node.onDuplicateKey || node.ignore) return false;
    return inlinable(q);
  }
  return RawNode.is(node) && plainInsertText(q.sql) && inlinable(q);
}

/** Rows a held INSERT writes (it writes them all or fails the transaction); unknown for a statement given as text. */
function rowsOf(q: CompiledQuery): bigint | undefined {
  const node = q.query;
  // an update on conflict with a condition may leave a row alone: its count is not known
  if (!InsertQueryNode.is(node) || node.onConflict?.updateWhere) return undefined;
  if (node.values && 'values' in node.values && Array.isArray(node.values.values)) return BigInt(node.values.values.length);
  return undefined;
}

class WriteBehindConnection implements DatabaseConnection {
  /** In a transaction (BEGIN asked for, maybe not sent yet). */
  open = false;
  /** BEGIN sent. */
  begun = false;
  held: string[] = [];
  broken = false;

  constructor(readonly client: pg.PoolClient) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.open) return resultOf(await this.client.query(q.sql, [...q.parameters])) as QueryResult<R>;
    if (heldBack(q)) {
      this.held.push(inlined(q));
      return { rows: [], numAffectedRows: rowsOf(q) } as QueryResult<R>;
    }
    const before = this.takeHeld();
    if (inlinable(q)) {
      return resultOf(last(await this.client.query([...before, inlined(q)].join('; ')))) as QueryResult<R>;
    }
    if (before.length) await this.client.query(before.join('; '));
    return resultOf(await this.client.query(q.sql, [...q.parameters])) as QueryResult<R>;
  }

  /** BEGIN (when not sent yet) and the held statements, taken to be sent now. */
  private takeHeld(): string[] {
    const out = this.begun ? this.held : ['begin', ...this.held];
    this.begun = true;
    this.held = [];
    return out;
  }

  async commit(): Promise<void> {
    const held = this.held;
    this.held = [];
    this.open = false;
    if (!this.begun) {
      // nothing sent yet: the held INSERTs alone, one message that PostgreSQL runs as one transaction
      if (held.length) await this.client.query(held.join('; '));
      return;
    }
    const r = last(await this.client.query([...held, 'commit'].join('; ')));
    // an earlier error left the transaction aborted: PostgreSQL answers COMMIT with ROLLBACK
    if (r.command === 'ROLLBACK') throw new Error('the transaction was aborted by an earlier error and rolled back');
    this.begun = false;
  }

  async rollback(): Promise<void> {
    this.held = [];
    this.open = false;
    if (!this.begun) return;
    try {
      await this.client.query('rollback');
      this.begun = false;
    } catch (e) {
      this.broken = true;
      throw e;
    }
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('no streaming inside a write-behind transaction');
  }
}

class WriteBehindDriver implements Driver {
  constructor(private readonly pool: pg.Pool) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WriteBehindConnection(await this.pool.connect());
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as WriteBehindConnection;
    if (settings.isolationLevel || settings.accessMode) throw new Error('write-behind transactions run at the default isolation level');
    c.open = true;
    c.begun = false;
    c.held = [];
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as WriteBehindConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as WriteBehindConnection).rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as WriteBehindConnection;
    // a connection that may still be in a transaction (a failed COMMIT or ROLLBACK) is closed rather than given back
    c.client.release(c.broken || c.open || c.begun ? true : undefined);
  }

  async destroy(): Promise<void> {
    // the pool belongs to the database handle, which ends it
  }
}

/** A dialect over the app's pool whose transactions hold back their INSERTs (see above). */
export function writeBehindDialect(pool: pg.Pool): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new WriteBehindDriver(pool),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
