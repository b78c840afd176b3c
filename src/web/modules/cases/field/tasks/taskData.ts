import { fetchCase, listCases, type CaseSummary } from '../../shared/api.js';
import { saveSnapshot } from '../offline/snapshots.js';

/**
 * A grid worker's tasks: 核实 (is this public report real?) and 核查 (did the handling work?), in
 * their grids, the most urgent first.
 */
export interface Tasks {
  verify: CaseSummary[];
  check: CaseSummary[];
}

export async function fetchTasks(signal?: AbortSignal): Promise<Tasks> {
  const [verify, check] = await Promise.all([
    listCases({ queue: 'to_verify', sort: 'due_at', order: 'asc', pageSize: 50 }, signal),
    listCases({ queue: 'to_check', sort: 'due_at', order: 'asc', pageSize: 50 }, signal),
  ]);
  return { verify: verify.items, check: check.items };
}

export type TaskKind = 'verify' | 'check';

export const taskKindOf = (c: Pick<CaseSummary, 'state'>): TaskKind => (c.state === 'pending_verification' ? 'verify' : 'check');

/**
 * Keeps each task's detail on the phone as soon as the list arrives, so a worker who loses the
 * connection on the way still has the report, its photos' list and the case version to act on.
 */
export async function keepTaskDetails(userId: number, tasks: Tasks, signal: AbortSignal): Promise<void> {
  const ids = [...tasks.verify, ...tasks.check].slice(0, MAX_KEPT).map((c) => c.id);
  for (const id of ids) {
    if (signal.aborted) return;
    try {
      await saveSnapshot(userId, `case:${id}`, await fetchCase(id, signal));
    } catch {
      return; // offline again, or gone: the next list tries again
    }
  }
}

const MAX_KEPT = 30;
