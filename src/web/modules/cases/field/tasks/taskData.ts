import { listCases, type CaseSummary } from '../../shared/api.js';

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
