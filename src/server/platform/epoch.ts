import type { DbHandle } from './db.js';
import type { PgNotices } from './notices.js';

/**
 * Who may do what (accounts, grants, API keys, departments) is read on nearly every request and
 * changes seldom. The access epoch tells in-memory copies of it (`EpochMemo`) when they may be stale:
 * every write to those tables, by any process (this server, the CLI, another server on the same
 * PostgreSQL), moves it, through the triggers of migration 010_access_epoch.
 *
 * - SQLite: the triggers count in the one-row table `access_epoch`; a check reads it (one row by its
 *   key: a microsecond or two). A write in an open transaction moves it at once, and back on rollback.
 * - PostgreSQL: the triggers send `pg_notify('onegrid_access')`, delivered when their transaction
 *   commits to the connection each server process keeps listening (platform/notices.ts); each notice
 *   moves the epoch. While that connection is down, or not yet up, the epoch is unknown and nothing
 *   is kept.
 *
 * Only columns that change what someone may do move it (a login's timestamps do not; disabling an
 * account or revoking a key does).
 */
export interface AccessEpoch {
  /** The current epoch, or null when it cannot be known (then nothing may be kept). */
  current(): number | null;
  /**
   * After this process committed a change to access data: moves the epoch at once. On PostgreSQL its
   * own notice comes back a moment later; until then the next request could still see what it kept.
   */
  moved(): void;
}

export const ACCESS_CHANNEL = 'onegrid_access';

function sqliteEpoch(dbh: DbHandle): AccessEpoch {
  let read: (() => number | null) | null = null;
  return {
    current() {
      if (!read) {
        try {
          const stmt = dbh.sqlite!.prepare('select n from access_epoch where id = 1').pluck();
          read = () => (stmt.get() as number | undefined) ?? null;
        } catch {
          return null; // not migrated yet
        }
      }
      return read();
    },
    // the triggers moved the counter row already, inside the change's own transaction
    moved: () => {},
  };
}

function postgresEpoch(notices: PgNotices): AccessEpoch {
  let n = 0;
  notices.listen(ACCESS_CHANNEL, () => n++);
  // whatever changed while nobody listened is unknown: a new epoch
  notices.onConnect(() => n++);
  return { current: () => (notices.connected ? n : null), moved: () => void n++ };
}

/** The epoch of a database: SQLite's counter row, or PostgreSQL's notices (`notices` is then required). */
export function accessEpoch(dbh: DbHandle, notices: PgNotices | null): AccessEpoch {
  return notices ? postgresEpoch(notices) : sqliteEpoch(dbh);
}

/**
 * Values derived from access data, kept while the epoch stands still. A value loaded while the
 * epoch moved is used once and not kept. Bounded: when full, it starts again empty.
 */
export class EpochMemo<V> {
  private readonly values = new Map<string, V>();
  private at: number | null = null;

  constructor(private readonly epoch: AccessEpoch, private readonly max = 10_000) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const e = this.epoch.current();
    if (e === null) return load();
    if (e !== this.at) {
      this.values.clear();
      this.at = e;
    }
    const hit = this.values.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    if (this.epoch.current() === e && this.at === e) {
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

const memos = new WeakMap<AccessEpoch, Map<string, EpochMemo<unknown>>>();

/** The memo `name` of an epoch (one per process and database), for code that holds the epoch but not a place to keep it. */
export function memoOf<V>(epoch: AccessEpoch, name: string): EpochMemo<V> {
  let byName = memos.get(epoch);
  if (!byName) memos.set(epoch, (byName = new Map()));
  let memo = byName.get(name);
  if (!memo) byName.set(name, (memo = new EpochMemo<unknown>(epoch)));
  return memo as EpochMemo<V>;
}
