import { Worker } from 'node:worker_threads';
import type { Config } from '../../config.js';
import type { Counted } from './catchup.js';

/** Longest a batch may take in the thread (200 cases take well under a second). */
const CALL_TIMEOUT_MS = 60_000;

/**
 * The server's side of the catch-up thread (catchup.worker.ts): asks it for one batch at a time.
 * The thread keeps the counting's CPU off the thread that answers requests (see catchup.ts).
 *
 * If the thread fails, exits or does not answer in time, every call waiting on it fails and
 * `alive` turns false, so the caller can count in its own thread instead.
 */
export class CatchUpThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private next = 1;
  alive = true;

  constructor(database: Config['database'], private readonly timeoutMs = CALL_TIMEOUT_MS) {
    // from the sources (tsx, tests) the thread registers the TypeScript loader first; built, it runs the .js
    const fromSource = import.meta.url.endsWith('.ts');
    const entry = new URL(`./catchup.worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
    const code = fromSource
      ? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`
      : `import(${JSON.stringify(entry)})`;
    this.worker = new Worker(code, { eval: true, workerData: { database } });
    this.worker.unref();
    this.worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.error !== undefined) w.reject(new Error(msg.error));
      else w.resolve(msg.result);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the evaluation's catch-up thread exited (${code})`)));
  }

  private call<T>(kind: 'count' | 'write' | 'once' | 'close'): Promise<T> {
    if (!this.alive) return Promise.reject(new Error("the evaluation's catch-up thread is not running"));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      // a thread that stopped answering must not keep the figures waiting for ever (every evaluation
      // read waits for the catch-up): it is ended, and counting goes on in the server's thread
      const timer = setTimeout(() => {
        this.fail(new Error(`the evaluation's catch-up thread did not answer "${kind}" within ${this.timeoutMs} ms`));
        void this.worker.terminate();
      }, this.timeoutMs);
      timer.unref();
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      this.waiting.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject) });
      this.worker.postMessage({ id, kind });
    });
  }

  private fail(err: Error): void {
    this.alive = false;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Reads and counts a batch of marked cases in the thread, without writing; the marks it took (none: nothing marked). */
  count(): Promise<Counted['marks']> {
    return this.call('count');
  }

  /** Writes the batch counted last (SQLite: to the evaluation's file); false if another catch-up wrote meanwhile (count again). */
  async write(): Promise<boolean> {
    return (await this.call<boolean>('write')) === true;
  }

  /** Recounts one batch of marked cases in one transaction in the thread; how many it took. */
  once(): Promise<number> {
    return this.call('once');
  }

  /** Closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.alive) await this.call('close').catch(() => undefined);
    this.alive = false;
    await this.worker.terminate();
  }
}
