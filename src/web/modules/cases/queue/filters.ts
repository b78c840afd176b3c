import { CASE_SOURCES, STATES, STEP_OF_STATE, type CaseSource, type State } from '../../../../shared/cases/workflow.js';
import { LIGHTS, QUEUES, type CaseListQuery, type Light, type Queue } from '../shared/api.js';

/**
 * The command centre's filters live in the address (?queue=to_dispatch&light=red&page=2): a
 * dispatcher can reload, bookmark a view for the wall, or send a colleague the exact list.
 */
export type View = 'list' | 'map';

export interface QueueView extends CaseListQuery {
  view: View;
}

export const SORTS = ['created_at', 'updated_at', 'due_at', 'number'] as const;
export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

const pickList = <T extends string>(raw: string | null, allowed: readonly T[]): T[] | undefined => {
  const list = (raw ?? '').split(',').filter((x): x is T => (allowed as readonly string[]).includes(x));
  return list.length ? list : undefined;
};
const pickOne = <T extends string>(raw: string | null, allowed: readonly T[]): T | undefined =>
  raw && (allowed as readonly string[]).includes(raw) ? (raw as T) : undefined;
const digits = (raw: string | null, lengths: number[]) => (raw && /^\d+$/.test(raw) && lengths.includes(raw.length) ? raw : undefined);
const isoDay = (raw: string | null) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined);

/** Reads the view from the address; anything unknown or malformed is dropped, never sent to the server. */
export function parseView(params: URLSearchParams): QueueView {
  const page = Number(params.get('page'));
  const size = Number(params.get('pageSize'));
  const q = params.get('q')?.trim();
  return {
    view: params.get('view') === 'map' ? 'map' : 'list',
    queue: pickOne<Queue>(params.get('queue'), QUEUES),
    state: pickList<State>(params.get('state'), STATES),
    status: pickOne(params.get('status'), ['open', 'closed', 'all'] as const),
    category: digits(params.get('category'), [2, 5]),
    street: digits(params.get('street'), [9]),
    community: digits(params.get('community'), [12]),
    grid: digits(params.get('grid'), [15]),
    department: params.get('department')?.match(/^[A-Z]{2,10}$/) ? params.get('department')! : undefined,
    source: pickList<CaseSource>(params.get('source'), CASE_SOURCES),
    light: pickOne<Light>(params.get('light'), LIGHTS),
    from: isoDay(params.get('from')),
    to: isoDay(params.get('to')),
    q: q ? q.slice(0, 100) : undefined,
    sort: pickOne(params.get('sort'), SORTS),
    order: pickOne(params.get('order'), ['asc', 'desc'] as const),
    page: Number.isInteger(page) && page > 1 ? page : undefined,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : undefined,
  };
}

/** Writes the view back: only what differs from the defaults, in a stable order. */
export function serializeView(v: Partial<QueueView>): URLSearchParams {
  const out = new URLSearchParams();
  const set = (k: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') out.set(k, String(value));
  };
  if (v.view === 'map') set('view', 'map');
  set('queue', v.queue);
  set('state', v.state?.length ? v.state.join(',') : undefined);
  set('status', v.status);
  set('category', v.category);
  set('street', v.street);
  set('community', v.community);
  set('grid', v.grid);
  set('department', v.department);
  set('source', v.source?.length ? v.source.join(',') : undefined);
  set('light', v.light);
  set('from', v.from);
  set('to', v.to);
  set('q', v.q);
  set('sort', v.sort);
  set('order', v.order);
  if (v.page && v.page > 1) set('page', v.page);
  if (v.pageSize && v.pageSize !== DEFAULT_PAGE_SIZE) set('pageSize', v.pageSize);
  return out;
}

/**
 * The list query for a view. Work lists, the open cases and states that run a clock are sorted by
 * due time, soonest (most overdue) first, since that is the order a dispatcher works them in; a search defaults to the newest first.
 */
export function listQuery(v: QueueView): CaseListQuery {
  const { view: _view, ...query } = v;
  void _view;
  const clocked = !!v.state?.length && v.state.every((s) => STEP_OF_STATE[s] !== null);
  const sort = v.sort ?? (v.queue || v.status === 'open' || clocked ? 'due_at' : 'created_at');
  const order = v.order ?? (sort === 'due_at' ? 'asc' : 'desc');
  return { ...query, sort, order, page: v.page ?? 1, pageSize: v.pageSize ?? DEFAULT_PAGE_SIZE };
}

/** Changing any filter starts again at page 1. */
export function withFilter(v: QueueView, change: Partial<QueueView>): QueueView {
  const touchesPage = 'page' in change || 'pageSize' in change;
  return { ...v, ...change, page: touchesPage ? change.page : undefined };
}

/** Whether any filter besides the tiles (queue, status) and the view is set (for the "clear filters" button). */
export function hasFilters(v: QueueView): boolean {
  return Boolean(
    v.state?.length || v.category || v.street || v.community || v.grid || v.department || v.source?.length || v.light || v.from || v.to || v.q,
  );
}
