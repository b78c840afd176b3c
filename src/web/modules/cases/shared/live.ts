import { useEffect, useRef, useState } from 'react';
import type { Action, State } from '../../../../shared/cases/workflow.js';

/**
 * Live updates by Server-Sent Events (`GET /api/events`). One stream per browser tab, shared by
 * every component that listens: browsers allow only a few connections per host, and a dispatcher
 * keeps several panels open all day. The server sends only changes inside the reader's jurisdiction.
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

type Listener = (e: CaseChanged) => void;
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
  source.onopen = () => setStatus('open');
  // EventSource reconnects by itself (the server asks for 5 s); we only say so.
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

/** Calls `onChange` for every case that changes in the reader's jurisdiction while the component is mounted. */
export function useCaseChanges(onChange: Listener): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const l: Listener = (e) => latest.current(e);
    listeners.add(l);
    connect();
    return () => {
      listeners.delete(l);
      // let a page that replaces this one keep the stream instead of reconnecting
      window.setTimeout(disconnectIfIdle, 1000);
    };
  }, []);
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
