import {
  CompiledQuery, InsertQueryNode, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, RawNode,
  type DatabaseConnection, type Dialect, type Driver, type QueryResult, type TransactionSettings,
} from 'kysely';
import pg from 'pg';

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
 * Statements travel together in PostgreSQL's simple protocol, which takes no parameters: the values
 * are written into the text as quoted literals, exactly as the extended protocol would have sent
 * them (text of unknown type, which the server reads by the column's type). A statement whose text
 * has quotes of its own is sent alone, with its parameters, after the held ones.
 */

/** INSERTs held back: no RETURNING, no DO NOTHING (its count would matter), and writable as text. */
function heldBack(q: CompiledQuery): boolean {
  const node = q.query;
  if (InsertQueryNode.is(node)) {
    if (node.returning || node.onConflict?.doNothing || node.onDuplicateKey || node.ignore) return false;
    return inlinable(q);
  }
  return RawNode.is(node) && cutOf(q.sql)?.plainInsert === true && q.parameters.every(plain);
}

/** A statement's text cut at its parameters: text, parameter number, text, … (null: it cannot travel as text). */
type Cut = { texts: string[]; params: number[]; plainInsert: boolean } | null;
const cuts = new Map<string, Cut>();

/**
 * A statement's text can travel in the simple protocol when it has no quotes, dollar quotes or
 * semicolons of its own, so that every `$n` in it is a parameter. Cut once per text.
 */
function cutOf(sql: string): Cut {
  let cut = cuts.get(sql);
  if (cut !== undefined) return cut;
  const texts: string[] = [];
  const params: number[] = [];
  const re = /\$(\d+)/g;
  let from = 0;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    texts.push(sql.slice(from, m.index));
    params.push(Number(m[1]) - 1);
    from = m.index + m[0].length;
  }
  texts.push(sql.slice(from));
  // a statement given as text is held back when it is an INSERT answering nothing (as above)
  const plainInsert = /^\s*insert\s+into\s/i.test(sql) && !/\breturning\b|\bdo\s+nothing\b/i.test(sql);
  cut = texts.some((t) => /['$;]/.test(t)) ? null : { texts, params, plainInsert };
  if (cuts.size >= 1000) cuts.clear();
  cuts.set(sql, cut);
  return cut;
}

/** Values the simple protocol carries as the extended one would: strings, numbers, booleans, nulls and bytes (not arrays, dates, objects). */
function plain(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && !v.includes('\0')) || (typeof v === 'number' && Number.isFinite(v))
    || typeof v === 'bigint' || typeof v === 'boolean' || Buffer.isBuffer(v);
}

function inlinable(q: CompiledQuery): boolean {
  return cutOf(q.sql) !== null && q.parameters.every(plain);
}

/** A value as the extended protocol sends it (text of unknown type), as a quoted literal. */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Buffer.isBuffer(v)) return pg.escapeLiteral(`\\x${v.toString('hex')}`);
  return pg.escapeLiteral(String(v));
}

/** The statement's text with its values written in (for a statement `inlinable` accepted). */
export function inlined(q: CompiledQuery): string {
  const cut = cutOf(q.sql);
  if (!cut) throw new Error('this statement cannot be written as text');
  let out = cut.texts[0]!;
  for (let i = 0; i < cut.params.length; i++) {
    const n = cut.params[i]!;
    if (n < 0 || n >= q.parameters.length) throw new Error(`statement refers to parameter $${n + 1} of ${q.parameters.length}`);
    out += literal(q.parameters[n]) + cut.texts[i + 1]!;
  }
  return out;
}

/** Rows a held INSERT writes (it writes them all or fails the transaction); unknown for a statement given as text. */
function rowsOf(q: CompiledQuery): bigint | undefined {
  const node = q.query;
  if (InsertQueryNode.is(node) && node.values && 'values' in node.values && Array.isArray(node.values.values)) return BigInt(node.values.values.length);
  return undefined;
}

function resultOf(r: pg.QueryResult): QueryResult<unknown> {
  const { command, rowCount, rows } = r;
  if (command === 'ROLLBACK' || command === 'COMMIT') return { rows: [{ command }] };
  return {
    numAffectedRows: command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' ? BigInt(rowCount ?? 0) : undefined,
    rows: rows ?? [],
  };
}

/** What a simple query of several statements answered for its last one. */
function last(r: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
  return Array.isArray(r) ? r[r.length - 1]! : r;
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
