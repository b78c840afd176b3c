import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * SQLite: the main file's write-ahead log copied back into the database (a checkpoint) by a thread
 * of its own, off the thread that answers requests.
 *
 * In WAL mode a commit appends its pages to the log, and by default the connection that commits
 * copies the log back into the database whenever it has grown past 1,000 pages, inside that commit,
 * syncing both files. Under full intake that was about a tenth of the answering thread's time, and
 * every tenth shared commit took 12–20 ms instead of 2–4. Here a thread with its own connection
 * runs a PASSIVE checkpoint every `everyMs`: it copies what is committed, beside the writes, and
 * never waits for them. A checkpoint cannot start the log again from its beginning while writes
 * keep coming (the log restarts only when a write finds every page already copied), so the
 * answering connection keeps a checkpoint of its own for a log past `BACKSTOP_PAGES`: by then nearly
 * everything is copied, and its checkpoint is short and lets the log restart.
 *
 * Durability is unchanged: a commit is synced by its own connection (`synchronous = FULL`); a
 * checkpoint syncs the log before it copies and the database after. If the thread fails, the
 * answering connection checkpoints every 1,000 pages again, as SQLite does by default.
 */

/** SQLite's own default: the answering connection checkpoints at this many pages without the thread. */
const DEFAULT_PAGES = 1000;

/** With the thread: the answering connection checkpoints only a log this long (about 40 MB of 4 KB pages). */
export const BACKSTOP_PAGES = 10_000;

/** How often the thread checkpoints. */
const EVERY_MS = 250;

/** The thread's whole program; plain JavaScript, so it starts without a TypeScript loader. */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('pragma main.wal_checkpoint(PASSIVE)');
let failures = 0;
const timer = setInterval(() => {
  try {
    checkpoint.run();
    failures = 0;
  } catch (err) {
    // busy: another checkpoint is running; anything else is said once, then tried again
    if (err && err.code === 'SQLITE_BUSY') return;
    if (failures++ === 0) parentPort.postMessage({ warning: String(err && err.message || err) });
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
`;

export interface Checkpoints {
  /** Ends the thread and gives the answering connection its own checkpoints back. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the main file of `sqlite` in a thread of its own; null for an in-memory
 * database (no other connection can reach it). `warn` hears of a checkpoint that failed and of the
 * thread's end if it fails. `file` is the connection's own unless a test names another.
 */
export function checkpointInThread(
  sqlite: SQLite.Database, warn: (message: string) => void, everyMs = EVERY_MS, file = sqlite.name,
): Checkpoints | null {
  if (sqlite.memory) return null;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(PROGRAM, { eval: true, workerData: { driver, file, everyMs } });
  worker.unref();
  let running = true;
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const giveBack = () => {
    if (!running) return;
    running = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
  };
  worker.on('message', (m: { warning?: string }) => {
    if (m.warning) warn(`checkpoint failed: ${m.warning}`);
  });
  worker.on('error', (err) => {
    giveBack();
    warn(`the checkpoint thread stopped (${err.message}); the server's connection checkpoints again`);
  });
  worker.on('exit', giveBack);
  return {
    async stop() {
      if (!running) return;
      const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // the thread does not keep the process alive while it serves; while it is being stopped it
      // must, or a process with nothing else left to do ends before its end is heard
      worker.ref();
      worker.postMessage('stop');
      await stopped;
    },
  };
}
