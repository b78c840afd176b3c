import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery, Kysely, LimitNode, PostgresAdapter, PostgresDialect, SqliteDialect, SqliteQueryCompiler, ValueNode, sql,
  type QueryCompiler, type Transaction,
} from 'kysely';
import type { Database } from '../db/schema.js';
import { writeBehindDialect } from './write-behind.js';
import type { Config } from '../config.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything a repository can run queries on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** True when `db` (a database or a transaction) talks to PostgreSQL. */
export function onPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only): the online backup API, the access epoch's read, the checkpoint thread. */
  sqlite?: SQLite.Database;
  /** The connection pool (PostgreSQL only): for statements sent together in one simple query. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// int8 (epoch milliseconds, counts) and numeric come back from pg as strings; every value we store
// fits in a double, so read them as numbers on both dialects.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * better-sqlite3 compiles a statement on every prepare(); Kysely prepares each query it runs. Keeping
 * the most recent statements by SQL text saves that work on hot paths (reporting, lists). Safe because
 * Kysely runs one query at a time on the connection.
 */
function withStatementCache(sqlite: SQLite.Database, size = 1000) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      cache.set(text, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

/**
 * SQLite recompiles a statement whose LIMIT is a bound parameter each time it runs (the value may
 * change the query plan), which made the duplicate check of every report eight times slower: about
 * 40 µs against 5. A whole-number LIMIT is written into the statement's text instead; every other
 * value stays a parameter. The texts are few (constants and page sizes), and the statement cache
 * above is bounded anyway.
 */
class InlineLimits extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit;
    if (ValueNode.is(limit) && !limit.immediate && Number.isSafeInteger(limit.value) && (limit.value as number) >= 0) {
      super.visitLimit(LimitNode.create(ValueNode.createImmediate(limit.value)));
    } else {
      super.visitLimit(node);
    }
  }
}

/**
 * SQLite with those limits written out, by its query compiler (a plugin that rewrote the query's
 * tree instead copied every node of every query: about a tenth of a dashboard's time).
 */
class SqliteWithLimits extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new InlineLimits();
  }
}

/** SQLite: the statement source of each database, by its query builder's adapter (see `heldConnection`). */
const heldStatements = new WeakMap<object, (text: string) => SQLite.Statement>();

/**
 * Inside a transaction on SQLite, the connection is the transaction's own until it ends, and
 * better-sqlite3 runs a statement at once: the hottest writes (platform/insert.ts) run on it
 * directly, without the query builder's asynchronous round of connection handling per statement.
 * Undefined on PostgreSQL and outside a transaction (there another transaction may hold the
 * connection, and a statement run directly would join it).
 */
const writeBehind = new WeakMap<Db, Db>();

/** PostgreSQL: the database whose transactions hold back their INSERTs until a statement must be answered (platform/write-behind). */
export function writeBehindOf(db: Db): Db | undefined {
  return writeBehind.get(db);
}

export function heldConnection(db: Executor): ((text: string) => SQLite.Statement) | undefined {
  return db.isTransaction ? heldStatements.get(db.getExecutor().adapter) : undefined;
}

/**
 * A column as a query's condition should use it: with `useIndex` false, SQLite's planner is kept
 * from choosing an index on it (a unary +). SQLite plans without statistics and can pick the wrong
 * one of two indexes that both fit; PostgreSQL plans from its statistics and gets the column as is.
 */
export function indexHint(db: Executor, column: string, useIndex: boolean) {
  return !useIndex && !onPostgres(db) ? sql`+${sql.ref(column)}` : sql.ref(column);
}

/** Runs a statement's text with bound values: on SQLite in a transaction directly on its connection. */
export async function runText<R = unknown>(db: Executor, text: string, params: unknown[] = []): Promise<R[]> {
  const held = heldConnection(db);
  if (!held) return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const stmt = held(text);
  if (stmt.reader) return stmt.all(params) as R[];
  stmt.run(params);
  return [];
}

/**
 * SQLite: the schema name of the evaluation's file. The evaluation's counts (the rollups, each
 * case's stored marks, the people in the figures and the catch-up's turn; `EVALUATION_TABLES`) live
 * in a database file of their own beside the main one, attached to every connection under this
 * name. SQLite lets one writer at a time into a file: in one file, the catch-up writing a batch of
 * counts held up every report meanwhile; in two, each has its own writer. Queries name the tables
 * without the schema (SQLite finds a table in the main file, then in the attached one). PostgreSQL
 * keeps every table in one database.
 */
export const EVALUATION_SCHEMA = 'evaluation';

/** The tables kept in the evaluation's file on SQLite (moved there by `migrateToLatest`). */
export const EVALUATION_TABLES = ['eval_marks', 'eval_stats', 'eval_actor_stats', 'eval_durations', 'eval_actors', 'eval_catchup'] as const;

/** The evaluation's file beside a SQLite database: `onegrid.db` → `onegrid-evaluation.db`. */
export function evaluationFileOf(file: string): string {
  if (file === ':memory:' || file === '') return file;
  return file.endsWith('.db') ? `${file.slice(0, -3)}-evaluation.db` : `${file}-evaluation`;
}

/** The size (bytes) a SQLite write-ahead log is cut back to when it starts again: 64 MiB. */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export function openDatabase(database: Config['database']): DbHandle {
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
    const sqlite = new SQLite(database.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // FULL: every commit reaches the disk before it is answered (with NORMAL a power cut could take
    // back reports already acknowledged). Shared commits (group-commit.ts) make it one sync per batch.
    // The evaluation's file too: the catch-up removes its marks from the main file only after the
    // counts are written there, so those counts must not be the ones a power cut takes back.
    sqlite.pragma('synchronous = FULL');
    sqlite.prepare(`attach database ? as ${EVALUATION_SCHEMA}`).run(evaluationFileOf(database.file));
    sqlite.pragma(`${EVALUATION_SCHEMA}.journal_mode = WAL`);
    sqlite.pragma(`${EVALUATION_SCHEMA}.synchronous = FULL`);
    // A log grown large by one long transaction (an import, the demo year) is cut back to this size
    // when it next starts again, instead of keeping its largest size on disk for good. Day to day
    // the log stays below it (platform/checkpoint.ts), so nothing is cut and nothing costs more.
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    sqlite.pragma(`${EVALUATION_SCHEMA}.journal_size_limit = ${WAL_SIZE_LIMIT}`);
    const statements = withStatementCache(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteWithLimits({ database: statements }) });
    heldStatements.set(db.getExecutor().adapter, statements.prepare);
    return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // An idle connection the server ends (restart, failover, an administrator) must not crash the
  // process: the pool drops it and opens a new one when needed.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL connection lost while idle: ${err.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  writeBehind.set(db, new Kysely<Database>({ dialect: writeBehindDialect(pool) }));
  return { db, dialect: 'postgres', pool, close: () => db.destroy() };
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
