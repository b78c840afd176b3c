import { useEffect, useRef, useState } from 'react';
import type { Action, State } from '../../../../shared/cases/workflow.js';

/**
 * Live updates by Server-Sent Events (`GET /api/events`). One stream per browser tab, shared by
 * every component that listens: browsers allow only a few connections per host, and a dispatcher
 * keeps several panels open all day. The server sends only changes inside the reader's jurisdiction,
 * and only while the stream is open: what changed before it opened, or while it was down, is never
 * sent, so each time it opens the listeners are told to read again (`null` instead of a change).
 */
export interface CaseChanged {
  id: number;
  number: string;
  action: Action;
  state: State;
  version: number;
  at: number;
}

export type LiveStatus = 'connecting' | 'open' | 'reconnecting';

/** A case that changed, or `null`: the stream has just opened, and changes made before were not sent. */
type Listener = (change: CaseChanged | null) => void;
type StatusListener = (s: LiveStatus) => void;

const listeners = new Set<Listener>();
const statusListeners = new Set<StatusListener>();
let source: EventSource | null = null;
let status: LiveStatus = 'connecting';

function setStatus(next: LiveStatus) {
  status = next;
  for (const l of statusListeners) l(next);
}

/** Parses one `case.changed` message; anything malformed is dropped rather than breaking the page. */
export function parseCaseChanged(data: string): CaseChanged | null {
  try {
    const v = JSON.parse(data) as Partial<CaseChanged>;
    if (typeof v.id !== 'number' || typeof v.version !== 'number' || typeof v.state !== 'string') return null;
    return { id: v.id, number: String(v.number ?? ''), action: v.action as Action, state: v.state as State, version: v.version, at: Number(v.at ?? Date.now()) };
  } catch {
    return null;
  }
}

function connect() {
  if (source || typeof EventSource === 'undefined') return;
  setStatus('connecting');
  source = new EventSource('/api/events');
  source.onopen = () => {
    setStatus('open');
    // the first open too: a page's first read may have been answered before the stream opened.
    // A listener that comes while the stream is open read after this, and is not told.
    for (const l of listeners) l(null);
  };
  // EventSource reconnects by itself (the server asks for 5–10 s); we only say so.
  source.onerror = () => setStatus('reconnecting');
  source.addEventListener('case.changed', (msg) => {
    const change = parseCaseChanged((msg as MessageEvent<string>).data);
    if (change) for (const l of listeners) l(change);
  });
}

function disconnectIfIdle() {
  if (listeners.size === 0 && statusListeners.size === 0 && source) {
    source.close();
    source = null;
  }
}

/** Listens to the tab's stream, opening it if need be; returns the way to stop. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  connect();
  return () => {
    listeners.delete(listener);
    // let a page that replaces this one keep the stream instead of reconnecting
    setTimeout(disconnectIfIdle, 1000);
  };
}

/**
 * Calls `onChange` for every case that changes in the reader's jurisdiction while the component is
 * mounted, and with `null` when the stream (re)opens: changes may have been missed, read again.
 */
export function useCaseChanges(onChange: Listener): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => subscribe((change) => latest.current(change)), []);
}

/** Whether the stream is up, for a small "live" indicator. */
export function useLiveStatus(): LiveStatus {
  const [value, setValue] = useState<LiveStatus>(status);
  useEffect(() => {
    statusListeners.add(setValue);
    connect();
    setValue(status);
    return () => {
      statusListeners.delete(setValue);
      window.setTimeout(disconnectIfIdle, 1000);
    };
  }, []);
  return value;
}
