import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Which process serves an SQLite database: `onegrid serve` writes its pid beside the file
 * (`onegrid.db.pid`) while it runs, so that a restore refuses to replace the database under it (the
 * server would go on writing into files that are no longer the database, and lose what it wrote),
 * and a second server refuses to share it. A pid file left by a process that has ended is ignored.
 */
export function pidFileOf(file: string): string {
  return `${file}.pid`;
}

/** The pid of the live process serving the database, or null. */
export function databaseHolder(file: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFileOf(file), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
  } catch (err) {
    // EPERM: it exists, under another user
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  // after a crash and a reboot the number may belong to another program now: on Linux, ask what it runs
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(basename(process.execPath)) ? pid : null;
  } catch {
    return pid; // no /proc (or not readable): believe the file
  }
}

/** Marks the database as served by this process until the returned function is called (or the process ends). */
export function holdDatabase(file: string): () => void {
  const holder = databaseHolder(file);
  if (holder !== null) throw new Error(`Another OneGrid (pid ${holder}) is serving ${file}; stop it first, or set ONEGRID_DATA_DIR to another directory.`);
  const path = pidFileOf(file);
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
    } catch {
      // gone already
    }
  };
  process.once('exit', release);
  return release;
}
