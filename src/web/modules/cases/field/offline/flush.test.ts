import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../app/api.js';
import { flushOutbox, type CaseCheck, type FlushDeps } from './flush.js';
import { actionDraftFor, backoffMs, classifyFailure, newIdempotencyKey, newOutboxItem, nextWake, type OutboxItem, type SentRecord } from './model.js';

/** An outbox in memory and a server that commits reports by Idempotency-Key, as the real one does. */
function harness(opts: { failures?: (item: OutboxItem, attempt: number) => unknown } = {}) {
  let clock = 1_000_000;
  const outbox = new Map<string, OutboxItem>();
  const sentStore = new Map<string, SentRecord>();
  const cases = new Map<string, { id: number; number: string }>(); // by key: what the server committed
  const calls: string[] = [];
  const attemptsByKey = new Map<string, number>();
  const actionCase: CaseCheck = { id: 7, number: 'N7', version: 3, state: 'pending_check', allowedActions: ['check_pass', 'check_fail'], events: [] };
  let csrfFresh = true;
  const deps: FlushDeps = {
    load: async () => [...outbox.values()].map((i) => ({ ...i })),
    save: async (item) => void outbox.set(item.key, { ...item }),
    complete: async (item, rec) => {
      outbox.delete(item.key);
      sentStore.set(rec.key, rec);
    },
    send: async (item) => {
      calls.push(item.key);
      const n = (attemptsByKey.get(item.key) ?? 0) + 1;
      attemptsByKey.set(item.key, n);
      if (!csrfFresh) throw new ApiError(403, 'csrf_failed', 'stale token');
      const failure = opts.failures?.(item, n);
      // 'lost': the server commits, then the answer never arrives
      if (failure === 'lost') {
        commit(item);
        throw new ApiError(0, 'network', 'connection reset');
      }
      if (failure) throw failure;
      if (item.kind === 'action') {
        if (item.act.version !== actionCase.version) throw new ApiError(409, 'stale_version', 'stale');
        actionCase.events = [...actionCase.events, { seq: actionCase.events.length + 10, action: item.act.action, userId: item.userId }];
        actionCase.version++;
        return { caseId: 7, number: 'N7', replayed: false };
      }
      const replayed = cases.has(item.key);
      const c = commit(item);
      return { caseId: c.id, number: c.number, replayed };
    },
    readCase: async () => ({ ...actionCase }),
    refreshSession: async () => {
      csrfFresh = true;
    },
    now: () => clock,
    random: () => 0.5,
  };
  function commit(item: OutboxItem) {
    if (item.kind === 'action') {
      actionCase.events = [...actionCase.events, { seq: actionCase.events.length + 10, action: item.act.action, userId: item.userId }];
      actionCase.version++;
      return { id: 7, number: 'N7' };
    }
    let c = cases.get(item.key);
    if (!c) cases.set(item.key, (c = { id: cases.size + 1, number: `N${cases.size + 1}` }));
    return c;
  }
  const report = (description: string, userId = 1) => {
    const item = newOutboxItem(userId, [], { kind: 'report', report: { description, lon: 116.6, lat: 39.9, located: 'gps' } }, clock++);
    outbox.set(item.key, item);
    return item;
  };
  const check = (version: number) => {
    const item = newOutboxItem(1, [], { kind: 'action', act: { caseId: 7, caseNumber: 'N7', action: 'check_pass', version, baseSeq: 1, baseState: 'pending_check' } }, clock++);
    outbox.set(item.key, item);
    return item;
  };
  return {
    deps, outbox, sentStore, cases, calls, actionCase, report, check,
    advance: (ms: number) => (clock += ms),
    staleCsrf: () => (csrfFresh = false),
  };
}

describe('outbox flush', () => {
  it('sends every waiting report once, oldest first, and empties the outbox', async () => {
    const h = harness();
    const a = h.report('first');
    const b = h.report('second');
    const out = await flushOutbox(h.deps, 1);
    expect(out.stopped).toBeNull();
    expect(h.calls).toEqual([a.key, b.key]);
    expect(h.outbox.size).toBe(0);
    expect(h.cases.size).toBe(2);
    expect([...h.sentStore.values()].map((s) => s.number)).toEqual(['N1', 'N2']);
  });

  it('makes one case when the answer is lost after the server committed', async () => {
    const h = harness({ failures: (_item, n) => (n === 1 ? 'lost' : null) });
    const a = h.report('lost answer');
    const first = await flushOutbox(h.deps, 1);
    expect(first.stopped).toBe('offline');
    expect(h.outbox.get(a.key)).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(h.cases.size).toBe(1); // committed although the phone never heard
    h.advance(backoffMs(1, 1) + 1);
    const second = await flushOutbox(h.deps, 1);
    expect(second.sent).toEqual([expect.objectContaining({ key: a.key, caseId: 1, replayed: true })]);
    expect(h.cases.size).toBe(1);
    expect(h.outbox.size).toBe(0);
  });

  it('stops at the first item without an answer and leaves the rest waiting untouched', async () => {
    const h = harness({ failures: () => new ApiError(0, 'network', 'offline') });
    const a = h.report('a');
    const b = h.report('b');
    const out = await flushOutbox(h.deps, 1);
    expect(out.stopped).toBe('offline');
    expect(h.calls).toEqual([a.key]);
    expect(h.outbox.get(b.key)).toMatchObject({ status: 'waiting', attempts: 0 });
    expect(nextWake([...h.outbox.values()], 1)).toBe(b.nextAttemptAt);
  });

  it('waits out the backoff before trying an item again', async () => {
    const h = harness({ failures: (_i, n) => (n === 1 ? new ApiError(503, 'unavailable', 'busy') : null) });
    const a = h.report('a');
    await flushOutbox(h.deps, 1);
    expect(h.outbox.get(a.key)).toMatchObject({ status: 'waiting', attempts: 1 });
    await flushOutbox(h.deps, 1);
    expect(h.calls).toHaveLength(1); // not due yet
    h.advance(backoffMs(1, 0.5));
    await flushOutbox(h.deps, 1);
    expect(h.calls).toHaveLength(2);
    expect(h.outbox.size).toBe(0);
  });

  it('keeps a refused report as failed with the server reason, and goes on with the next', async () => {
    const h = harness({ failures: (item) => (item.kind === 'report' && item.report.description === 'bad' ? new ApiError(422, 'outside_district', 'outside') : null) });
    const bad = h.report('bad');
    h.report('good');
    const out = await flushOutbox(h.deps, 1);
    expect(out.sent).toHaveLength(1);
    expect(h.outbox.get(bad.key)).toMatchObject({ status: 'failed', error: { code: 'outside_district' } });
  });

  it('keeps everything when the session is gone, and sends after signing in', async () => {
    let signedIn = false;
    const h = harness({ failures: () => (signedIn ? null : new ApiError(401, 'unauthenticated', 'sign in')) });
    h.report('a');
    h.report('b');
    expect((await flushOutbox(h.deps, 1)).stopped).toBe('signin');
    expect([...h.outbox.values()].every((i) => i.status === 'waiting')).toBe(true);
    signedIn = true;
    expect((await flushOutbox(h.deps, 1)).sent).toHaveLength(2);
  });

  it('fetches a fresh CSRF token once and sends the same item again', async () => {
    const h = harness();
    const a = h.report('a');
    h.staleCsrf();
    const out = await flushOutbox(h.deps, 1);
    expect(out.sent.map((s) => s.key)).toEqual([a.key]);
    expect(h.calls).toEqual([a.key, a.key]);
  });

  it('sends only the signed-in worker\'s items', async () => {
    const h = harness();
    h.report('mine', 1);
    const theirs = h.report('theirs', 2);
    await flushOutbox(h.deps, 1);
    expect([...h.outbox.keys()]).toEqual([theirs.key]);
  });

  it('resends an item a closed page left "sending", with its key', async () => {
    const h = harness();
    const a = h.report('a');
    await h.deps.save({ ...a, status: 'sending' });
    await flushOutbox(h.deps, 1);
    expect(h.calls).toEqual([a.key]);
    expect(h.outbox.size).toBe(0);
  });

  it('does not apply a check twice when its answer was lost', async () => {
    const h = harness({ failures: (_i, n) => (n === 1 ? 'lost' : null) });
    const c = h.check(3);
    await flushOutbox(h.deps, 1);
    expect(h.actionCase.events).toHaveLength(1);
    h.advance(60_000);
    const out = await flushOutbox(h.deps, 1);
    expect(out.sent).toEqual([expect.objectContaining({ key: c.key, replayed: true })]);
    expect(h.calls).toHaveLength(1); // the case already had it: not sent again
    expect(h.actionCase.events).toHaveLength(1);
  });

  it('sends a check with the new version when the case only moved in ways that keep it valid', async () => {
    const h = harness();
    h.actionCase.version = 5; // e.g. an urge since the worker looked
    const c = h.check(3);
    const out = await flushOutbox(h.deps, 1);
    expect(out.sent.map((s) => s.key)).toEqual([c.key]);
    expect(h.actionCase.events).toHaveLength(1);
  });

  it('holds a check as a conflict when the case left the state the worker saw', async () => {
    const h = harness();
    h.actionCase.version = 5;
    h.actionCase.state = 'rework';
    h.actionCase.allowedActions = [];
    const c = h.check(3);
    await flushOutbox(h.deps, 1);
    expect(h.outbox.get(c.key)).toMatchObject({ status: 'conflict', error: { code: 'stale_version' } });
  });

  it('sends a note written in one stage after the case moved to another, and two notes from one screen both', async () => {
    const h = harness();
    h.actionCase.version = 6;
    h.actionCase.state = 'handling'; // the worker wrote them while the case was waiting for its check
    h.actionCase.allowedActions = ['comment'];
    const note = (comment: string) => {
      const item = newOutboxItem(1, [], { kind: 'action', act: { caseId: 7, caseNumber: 'N7', action: 'comment', version: 3, baseSeq: 1, baseState: 'pending_check', comment } }, h.advance(1));
      h.outbox.set(item.key, item);
      return item;
    };
    const first = note('居民来电');
    const second = note('又来电');
    const out = await flushOutbox(h.deps, 1);
    expect(out.sent.map((s) => s.key)).toEqual([first.key, second.key]);
    expect(h.actionCase.events.map((e) => e.action)).toEqual(['comment', 'comment']);
    // once the case is closed to notes, a note waiting is a conflict the worker sees
    h.actionCase.allowedActions = [];
    const late = note('第三次来电');
    await flushOutbox(h.deps, 1);
    expect(h.outbox.get(late.key)).toMatchObject({ status: 'conflict', error: { code: 'stale_version' } });
  });
});

describe('outbox rules', () => {
  it('drafts an action on the case as the worker sees it: its version, the last entry seen, words as comment or reason', () => {
    const c = { id: 7, number: 'N7', version: 4, state: 'pending_check', timeline: [{ seq: 1 }, { seq: 5 }, { seq: 3 }] };
    expect(actionDraftFor(c, 'check_fail', '没修好')).toEqual({ caseId: 7, caseNumber: 'N7', action: 'check_fail', version: 4, baseSeq: 5, baseState: 'pending_check', reason: '没修好' });
    expect(actionDraftFor({ ...c, timeline: [] }, 'comment', '来电')).toMatchObject({ baseSeq: 0, comment: '来电' });
  });

  it('backs off exponentially with jitter and a ceiling', () => {
    expect(backoffMs(1, 0.5)).toBe(2_000);
    expect(backoffMs(2, 0.5)).toBe(4_000);
    expect(backoffMs(30, 0.5)).toBe(300_000);
    expect(backoffMs(1, 0)).toBe(1_600);
    expect(backoffMs(1, 1)).toBe(2_400);
  });

  it('classifies failures by what the worker can do about them', () => {
    expect(classifyFailure(new TypeError('Failed to fetch'))).toBe('offline');
    expect(classifyFailure(new ApiError(0, 'network', 'x'))).toBe('offline');
    expect(classifyFailure(new ApiError(502, 'internal', 'x'))).toBe('retry');
    expect(classifyFailure(new ApiError(429, 'rate_limited', 'x'))).toBe('retry');
    expect(classifyFailure(new ApiError(401, 'session_expired', 'x'))).toBe('signin');
    expect(classifyFailure(new ApiError(403, 'csrf_failed', 'x'))).toBe('csrf');
    expect(classifyFailure(new ApiError(409, 'stale_version', 'x'))).toBe('stale');
    expect(classifyFailure(new ApiError(400, 'validation_failed', 'x'))).toBe('refused');
  });

  it('makes keys the server accepts, different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey(42)));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
  });
});
