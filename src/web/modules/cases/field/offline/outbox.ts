import { useSyncExternalStore } from 'react';
import { actOnCase, fetchCase, reportCase } from '../../shared/api.js';
import { flushOutbox, type CaseCheck, type FlushDeps } from './flush.js';
import { getAll, write } from './idb.js';
import { nextWake, retryNow, type OutboxItem, type SentRecord } from './model.js';

/**
 * The outbox as the pages see it: what waits, what was sent, whether a send is running. Every
 * report and check goes in here first and is sent from here, online or not, so one path handles
 * both and nothing exists only in memory. Sending starts when an item is added, when the page
 * opens, on the `online` event, when the page becomes visible, and on a timer for the backoff.
 */
export interface OutboxState {
  items: OutboxItem[];
  sent: SentRecord[];
  sending: boolean;
  /** Why the last run stopped early. */
  stopped: 'offline' | 'signin' | null;
  online: boolean;
  /** Set once the stores have been read; before that the lists are not known. */
  loaded: boolean;
}

type Listener = () => void;

let state: OutboxState = { items: [], sent: [], sending: false, stopped: null, online: typeof navigator === 'undefined' ? true : navigator.onLine, loaded: false };
const listeners = new Set<Listener>();
let userId: number | null = null;
let refreshSession: () => Promise<void> = async () => undefined;
let timer: number | null = null;
let running: Promise<void> | null = null;
let again = false;
// other tabs of the field app share the stores; tell them when something changed
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('onegrid-field-outbox');

function set(next: Partial<OutboxState>) {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

async function reload(): Promise<void> {
  const [items, sent] = await Promise.all([getAll<OutboxItem>('outbox'), getAll<SentRecord>('sent')]);
  items.sort((a, b) => a.createdAt - b.createdAt);
  sent.sort((a, b) => b.sentAt - a.sentAt);
  set({ items, sent, loaded: true });
}

function changed() {
  channel?.postMessage('changed');
}

const toFile = (p: OutboxItem['photos'][number]) => new File([p.blob], p.name, { type: p.blob.type || 'image/jpeg' });

const deps: FlushDeps = {
  load: () => getAll<OutboxItem>('outbox'),
  save: async (item) => {
    await write({ put: [['outbox', item]] });
    await reload();
    changed();
  },
  complete: async (item, rec) => {
    await write({ put: [['sent', rec]], del: [['outbox', item.key]] });
    await reload();
    changed();
  },
  send: async (item) => {
    if (item.kind === 'report') {
      const r = item.report;
      const out = await reportCase(
        {
          description: r.description, lon: r.lon, lat: r.lat, category_code: r.category_code, address: r.address,
          photos: item.photos.map(toFile),
        },
        item.key,
      );
      return { caseId: out.case.id, number: out.case.number, replayed: false };
    }
    const a = item.act;
    await actOnCase(a.caseId, a.action, a.version, { comment: a.comment, reason: a.reason, photos: item.photos.map(toFile) }, item.key);
    return { caseId: a.caseId, number: a.caseNumber, replayed: false };
  },
  readCase: async (caseId): Promise<CaseCheck> => {
    const c = await fetchCase(caseId);
    return {
      id: c.id, number: c.number, version: c.version, state: c.state, allowedActions: c.allowedActions,
      events: c.timeline.map((e) => ({ seq: e.seq, action: e.action, userId: e.actor.userId })),
    };
  },
  refreshSession: () => refreshSession(),
  now: () => Date.now(),
  random: () => Math.random(),
};

function schedule() {
  if (timer !== null) window.clearTimeout(timer);
  timer = null;
  if (userId === null) return;
  const wake = nextWake(state.items, userId);
  if (wake === null) return;
  timer = window.setTimeout(() => void kick(), Math.max(0, wake - Date.now()) + 50);
}

async function runOnce(user: number) {
  const work = async () => {
    const out = await flushOutbox(deps, user);
    set({ stopped: out.stopped });
  };
  // one sender across tabs: two tabs sending the same key would be answered right, but wastefully
  if (navigator.locks) await navigator.locks.request('onegrid-field-outbox', work);
  else await work();
}

/** Sends what is due, unless a send is already running (then it runs once more after it). */
export function kick(): Promise<void> {
  if (userId === null || !navigator.onLine) return Promise.resolve();
  if (running) {
    again = true;
    return running;
  }
  const user = userId;
  set({ sending: true });
  running = (async () => {
    try {
      do {
        again = false;
        await runOnce(user);
      } while (again);
    } catch (err) {
      console.warn('outbox send failed', err);
    } finally {
      running = null;
      set({ sending: false });
      schedule();
    }
  })();
  return running;
}

/** Starts the outbox for the signed-in worker; `refresh` fetches a fresh session token when asked. */
export async function startOutbox(user: number, refresh: () => Promise<void>): Promise<void> {
  userId = user;
  refreshSession = refresh;
  await reload();
  schedule();
  void kick();
}

export function stopOutbox(): void {
  userId = null;
  if (timer !== null) window.clearTimeout(timer);
  timer = null;
}

/** Keeps the item on the device first; only then tries to send it. */
export async function enqueue(item: OutboxItem): Promise<void> {
  await write({ put: [['outbox', item]] });
  await reload();
  changed();
  void kick();
}

export async function discard(key: string): Promise<void> {
  await write({ del: [['outbox', key]] });
  await reload();
  changed();
}

export async function retry(key: string, version?: number): Promise<void> {
  const item = state.items.find((i) => i.key === key);
  if (!item) return;
  await write({ put: [['outbox', retryNow(item, Date.now(), version)]] });
  await reload();
  changed();
  void kick();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    set({ online: true });
    // the connection is back: everything waiting is due now, whatever its backoff said
    void Promise.all(
      state.items.filter((i) => i.status === 'waiting' && i.nextAttemptAt > Date.now()).map((i) => write({ put: [['outbox', { ...i, nextAttemptAt: Date.now() }]] })),
    ).then(reload).then(() => kick());
  });
  window.addEventListener('offline', () => set({ online: false }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void kick();
  });
  if (channel) channel.onmessage = () => void reload().then(schedule);
}

function subscribe(l: Listener) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useOutbox(): OutboxState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Items of this worker, newest first, by kind. */
export function itemsOf(s: OutboxState, user: number, kind?: OutboxItem['kind']): OutboxItem[] {
  return s.items.filter((i) => i.userId === user && (!kind || i.kind === kind)).sort((a, b) => b.createdAt - a.createdAt);
}
