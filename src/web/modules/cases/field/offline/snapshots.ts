import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { isAbort } from '../../../../app/api.js';
import { classifyFailure } from './model.js';
import { clearStore, getOne, write } from './idb.js';

/**
 * The last answer of each list the field app shows (tasks, reports, grids, categories), kept per
 * user so the app still shows them without a connection, marked with the time they were fetched.
 */
interface Snapshot<T> {
  name: string;
  savedAt: number;
  data: T;
}

export interface Cached<T> {
  data: T | null;
  /** When the data shown was fetched; older than now when it came from the device. */
  savedAt: number | null;
  /** The data shown is the device's copy, because the server could not be reached. */
  stale: boolean;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

const keyOf = (userId: number | string, name: string) => `${userId}:${name}`;

export async function readSnapshot<T>(userId: number | string, name: string): Promise<Snapshot<T> | undefined> {
  try {
    return await getOne<Snapshot<T>>('snapshots', keyOf(userId, name));
  } catch {
    return undefined; // private modes may refuse IndexedDB; the app then works online only
  }
}

export async function saveSnapshot<T>(userId: number | string, name: string, data: T): Promise<void> {
  try {
    await write({ put: [['snapshots', { name: keyOf(userId, name), savedAt: Date.now(), data }]] });
  } catch (err) {
    console.warn('snapshot not saved', err);
  }
}

/** Signing out forgets the lists; the outbox stays, to be sent after the next sign-in. */
export function forgetSnapshots(): Promise<void> {
  return clearStore('snapshots').catch(() => undefined);
}

/**
 * Loads from the server and keeps a copy; when the server cannot be reached, shows the copy. The
 * copy is shown at once while the server answers, so a slow network never shows an empty page.
 */
export function useCached<T>(userId: number, name: string | null, load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Cached<T> {
  const [state, setState] = useState<Omit<Cached<T>, 'reload'>>({ data: null, savedAt: null, stale: false, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (name === null) {
      setState({ data: null, savedAt: null, stale: false, loading: false, error: null });
      return;
    }
    const controller = new AbortController();
    let fresh = false;
    setState((s) => ({ ...s, loading: true, error: null }));
    void readSnapshot<T>(userId, name).then((snap) => {
      if (snap && !fresh && !controller.signal.aborted) setState((s) => (s.data === null ? { ...s, data: snap.data, savedAt: snap.savedAt, stale: true } : s));
    });
    load(controller.signal).then(
      (data) => {
        fresh = true;
        if (controller.signal.aborted) return;
        setState({ data, savedAt: Date.now(), stale: false, loading: false, error: null });
        void saveSnapshot(userId, name, data);
      },
      async (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        const snap = classifyFailure(error) === 'offline' || classifyFailure(error) === 'retry' ? await readSnapshot<T>(userId, name) : undefined;
        if (controller.signal.aborted) return;
        if (snap) setState({ data: snap.data, savedAt: snap.savedAt, stale: true, loading: false, error });
        else setState((s) => ({ ...s, loading: false, error }));
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names the inputs of `load`
  }, [userId, name, attempt, ...deps]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
