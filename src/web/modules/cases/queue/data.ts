import { requestEarly, takeArrived } from '../../../app/api.js';
import type { State } from '../../../../shared/cases/workflow.js';
import { fetchQueueCounts, listCases, toWire, type CaseList, type CaseListQuery, type QueueCounts } from '../shared/api.js';
import { hasFilters, listQuery, parseView, type QueueView } from './filters.js';

/**
 * What the command centre asks the server for. Kept apart from its components so that the console
 * can ask while the page's code still downloads (app/pages.ts).
 */

/**
 * 待处置 as a dispatcher sees it: cases out with departments or communities. The server's to_handle
 * list is the holder's own work, so for a dispatcher the tile is a state filter instead.
 */
export const WITH_HOLDERS: readonly State[] = ['dispatched', 'handling', 'rework'];

export type TileCounts = QueueCounts & { with_holders: number; open: number; all: number };

/** The wider tiles are list totals: one case per list is enough to learn them. */
const TOTALS: Record<'with_holders' | 'open' | 'all', CaseListQuery> = {
  with_holders: { state: [...WITH_HOLDERS], pageSize: 1 },
  open: { status: 'open', pageSize: 1 },
  all: { pageSize: 1 },
};

/** The work-list counts and the totals of the wider tiles (with holders, open, all). */
export async function fetchTileCounts(signal?: AbortSignal): Promise<TileCounts> {
  const [queues, withHolders, open, all] = await Promise.all([
    fetchQueueCounts(signal),
    listCases(TOTALS.with_holders, signal),
    listCases(TOTALS.open, signal),
    listCases(TOTALS.all, signal),
  ]);
  return { ...queues, with_holders: withHolders.total, open: open.total, all: all.total };
}

/** The view an address asks for; with nothing chosen, a dispatcher starts on every open case. */
export function viewOf(params: URLSearchParams): QueueView {
  const v = parseView(params);
  return v.queue || v.status || hasFilters(v) ? v : { ...v, status: 'open' };
}

/** The list on screen first, then the tiles: the server answers them in that order. */
export function requestQueueEarly(params: URLSearchParams): void {
  requestEarly('/api/cases', toWire(listQuery(viewOf(params))));
  requestEarly('/api/cases/queues');
  for (const q of Object.values(TOTALS)) requestEarly('/api/cases', toWire(q));
}

/** The early list, when it is already here: the page's first draw has its rows. */
export function arrivedList(query: CaseListQuery): CaseList | undefined {
  return takeArrived<CaseList>('/api/cases', toWire(query));
}
