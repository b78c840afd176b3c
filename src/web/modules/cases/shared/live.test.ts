import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseChanged } from './live.js';

/** Stands in for the browser's EventSource: the test opens it, drops it and sends on it. */
class FakeEventSource {
  static made: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, ((msg: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(type: string, fn: (msg: { data: string }) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.();
  }
  drop() {
    this.onerror?.();
  }
  send(type: string, data: string) {
    for (const fn of this.handlers.get(type) ?? []) fn({ data });
  }
}

/** live.ts keeps the tab's stream in module state: each test loads a fresh copy. */
let live: typeof import('./live.js');

beforeEach(async () => {
  FakeEventSource.made = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.useFakeTimers();
  vi.resetModules();
  live = await import('./live.js');
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function listen(): (CaseChanged | null)[] {
  const heard: (CaseChanged | null)[] = [];
  live.subscribe((change) => heard.push(change));
  return heard;
}

const stream = () => {
  expect(FakeEventSource.made).toHaveLength(1);
  return FakeEventSource.made[0]!;
};

describe('live case changes', () => {
  it('tells the listeners that came before the stream opened to read again, not those after', () => {
    const early = listen();
    stream().open();
    const late = listen();
    expect(early).toEqual([null]);
    expect(late).toEqual([]);
    expect(stream().url).toBe('/api/events');
  });

  it('tells every listener to read again when the stream comes back', () => {
    const early = listen();
    stream().open();
    const late = listen();
    stream().drop();
    const during = listen();
    stream().open();
    expect(early).toEqual([null, null]);
    expect(late).toEqual([null]);
    expect(during).toEqual([null]);
  });

  it('passes each change on, and drops a malformed one', () => {
    const a = listen();
    stream().open();
    const b = listen();
    stream().send('case.changed', JSON.stringify({ id: 7, number: 'X7', action: 'claim', state: 'handling', version: 4, at: 1000 }));
    stream().send('case.changed', '{"id":"7"}');
    const change = { id: 7, number: 'X7', action: 'claim', state: 'handling', version: 4, at: 1000 };
    expect(a).toEqual([null, change]);
    expect(b).toEqual([change]);
  });

  it('keeps one stream while someone listens, and closes it a moment after the last one leaves', () => {
    const stopA = live.subscribe(() => undefined);
    const stopB = live.subscribe(() => undefined);
    stopA();
    vi.advanceTimersByTime(1000);
    expect(stream().closed).toBe(false);
    stopB();
    vi.advanceTimersByTime(1000);
    expect(stream().closed).toBe(true);
  });
});
