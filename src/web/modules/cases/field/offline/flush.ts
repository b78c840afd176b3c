import { afterFailure, classifyFailure, dueItems, recoverInterrupted, type OutboxItem, type SentRecord } from './model.js';

/**
 * Sends what waits in the outbox, oldest first, one at a time. Everything it touches comes in
 * `deps`, so the rules can be tested without a browser: the IndexedDB store, the HTTP calls, the
 * clock and the random jitter.
 */
export interface CaseCheck {
  version: number;
  state: string;
  allowedActions: readonly string[];
  /** Timeline entries after the one the worker saw, by whom and which action. */
  events: readonly { seq: number; action: string; userId: number | null }[];
  id: number;
  number: string;
}

export interface FlushDeps {
  load(): Promise<OutboxItem[]>;
  save(item: OutboxItem): Promise<void>;
  /** Removes the item and records what it became, in one transaction. */
  complete(item: OutboxItem, sent: SentRecord): Promise<void>;
  /** Sends the item (with its Idempotency-Key); throws ApiError when it was not accepted. */
  send(item: OutboxItem): Promise<{ caseId: number; number: string; replayed: boolean }>;
  /** The case as it is now, to tell whether an action already went through. */
  readCase(caseId: number): Promise<CaseCheck>;
  /** Fetches a fresh CSRF token (after csrf_failed). */
  refreshSession(): Promise<void>;
  now(): number;
  random(): number;
}

export interface FlushResult {
  sent: SentRecord[];
  /** Why sending stopped before the end: no connection, or no session. */
  stopped: 'offline' | 'signin' | null;
}

/**
 * An action counts as done when the timeline has it after the entry the worker saw, by this worker:
 * an earlier send committed but its answer was lost. Actions are sent with their Idempotency-Key
 * too, so the server would answer a resend without acting again; this check also recognises the
 * action when the case has moved on since (the version would refuse it anyway). Not for notes: a
 * worker may write several from the same screen, so another note of theirs proves nothing; a note's
 * Idempotency-Key alone tells the server whether it arrived.
 */
export function alreadyApplied(item: Extract<OutboxItem, { kind: 'action' }>, c: CaseCheck): boolean {
  if (item.act.action === 'comment') return false;
  return c.events.some((e) => e.seq > item.act.baseSeq && e.action === item.act.action && e.userId === item.userId);
}

/**
 * The case moved on, but only in ways that leave the worker's action as valid as when they took it.
 * A note is about the case, not its stage: it stands while notes may be added at all.
 */
export function stillApplies(item: Extract<OutboxItem, { kind: 'action' }>, c: CaseCheck): boolean {
  return (item.act.action === 'comment' || c.state === item.act.baseState) && c.allowedActions.includes(item.act.action);
}

function record(item: OutboxItem, caseId: number, number: string, replayed: boolean, now: number): SentRecord {
  return { key: item.key, userId: item.userId, kind: item.kind, caseId, number, sentAt: now, replayed };
}

export async function flushOutbox(deps: FlushDeps, userId: number): Promise<FlushResult> {
  const sent: SentRecord[] = [];
  const all = await deps.load();
  for (const item of all) {
    const recovered = item.userId === userId ? recoverInterrupted(item, deps.now()) : null;
    if (recovered) await deps.save(recovered);
  }
  const queue = dueItems(await deps.load(), userId, deps.now());
  let refreshed = false;
  const rebased = new Set<string>();

  for (let i = 0; i < queue.length; i++) {
    let item = queue[i]!;
    await deps.save({ ...item, status: 'sending' });
    try {
      if (item.kind === 'action' && item.attempts > 0) {
        // an earlier attempt may have committed before its answer was lost
        const now = await deps.readCase(item.act.caseId);
        if (alreadyApplied(item, now)) {
          const rec = record(item, now.id, now.number, true, deps.now());
          await deps.complete(item, rec);
          sent.push(rec);
          continue;
        }
      }
      const out = await deps.send(item);
      const rec = record(item, out.caseId, out.number, out.replayed, deps.now());
      await deps.complete(item, rec);
      sent.push(rec);
    } catch (err) {
      let kind = classifyFailure(err);
      if (kind === 'csrf' && !refreshed) {
        refreshed = true;
        try {
          await deps.refreshSession();
          await deps.save(item);
          i--; // the same item once more, with the fresh token
          continue;
        } catch (refreshErr) {
          kind = classifyFailure(refreshErr);
          err = refreshErr;
        }
      }
      if (kind === 'stale' && item.kind === 'action') {
        try {
          const now = await deps.readCase(item.act.caseId);
          if (alreadyApplied(item, now)) {
            const rec = record(item, now.id, now.number, true, deps.now());
            await deps.complete(item, rec);
            sent.push(rec);
            continue;
          }
          if (stillApplies(item, now) && now.version !== item.act.version && !rebased.has(item.key)) {
            rebased.add(item.key);
            // e.g. an urge bumped the version; the worker's finding still stands
            item = { ...item, act: { ...item.act, version: now.version } };
            await deps.save(item);
            queue[i] = item;
            i--;
            continue;
          }
        } catch (readErr) {
          kind = classifyFailure(readErr);
          err = readErr;
        }
      }
      // a token refused twice is the server's trouble, not the item's
      if (kind === 'csrf') kind = 'retry';
      await deps.save(afterFailure(item, kind, err, deps.now(), deps.random()));
      if (kind === 'offline') return { sent, stopped: 'offline' };
      if (kind === 'signin') return { sent, stopped: 'signin' };
    }
  }
  return { sent, stopped: null };
}
