import { ApiError, NETWORK_ERROR, type FailureKind } from '../../../../app/api.js';

/**
 * What the field app keeps on the device until the server has it: reports (采集上报) and the
 * worker's on-site actions (核实, 核查) and notes (补充说明). Each carries the Idempotency-Key made when the worker
 * pressed the button, so a send repeated after a lost answer is recognised by the server instead of
 * filing the case twice.
 */
export const FIELD_ACTIONS = ['verify', 'check_pass', 'check_fail', 'comment'] as const;
export type FieldAction = (typeof FIELD_ACTIONS)[number];

export interface OutboxPhoto {
  blob: Blob;
  name: string;
}

export interface ReportDraft {
  description: string;
  lon: number;
  lat: number;
  category_code?: string;
  address?: string;
  /** How the location was found: the phone's position or a pin the worker placed. */
  located: 'gps' | 'pin';
  /** Shown in the lists while waiting; the server names the category itself. */
  categoryName?: { zh: string; en: string };
}

export interface ActionDraft {
  caseId: number;
  caseNumber: string;
  action: FieldAction;
  /** The case version and last timeline entry the worker saw when acting. */
  version: number;
  baseSeq: number;
  baseState: string;
  comment?: string;
  reason?: string;
}

/**
 * The worker's action on the case as they see it now: its version, and the last history entry they
 * saw (`baseSeq`), by which a resend recognises an action that already went through.
 */
export function actionDraftFor(
  c: { id: number; number: string; version: number; state: string; timeline: readonly { seq: number }[] },
  action: FieldAction,
  words: string | undefined,
): ActionDraft {
  return {
    caseId: c.id, caseNumber: c.number, action, version: c.version,
    baseSeq: Math.max(0, ...c.timeline.map((e) => e.seq)), baseState: c.state,
    ...(action === 'check_fail' ? { reason: words } : { comment: words }),
  };
}

export type OutboxStatus = 'waiting' | 'sending' | 'failed' | 'conflict';

interface OutboxBase {
  /** The Idempotency-Key, made once when the worker pressed the button; also the record's key. */
  key: string;
  userId: number;
  createdAt: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  error: { code: string; message: string } | null;
  photos: OutboxPhoto[];
}

export type OutboxItem = OutboxBase & ({ kind: 'report'; report: ReportDraft } | { kind: 'action'; act: ActionDraft });

/** What a sent item became on the server; kept so the lists can mark "sent from this phone". */
export interface SentRecord {
  key: string;
  userId: number;
  kind: OutboxItem['kind'];
  caseId: number;
  number: string;
  sentAt: number;
  /** The server answered with the stored result of an earlier send of the same key. */
  replayed: boolean;
}

/** An Idempotency-Key the server accepts (8–128 of A-Z a-z 0-9 _ . : -), unguessable and unique. */
export function newIdempotencyKey(userId: number | string, now: number = Date.now()): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  const random = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `fld-${userId}-${now.toString(36)}-${random}`;
}

export function newOutboxItem(
  userId: number,
  photos: OutboxPhoto[],
  body: { kind: 'report'; report: ReportDraft } | { kind: 'action'; act: ActionDraft },
  now: number = Date.now(),
): OutboxItem {
  return { key: newIdempotencyKey(userId, now), userId, createdAt: now, status: 'waiting', attempts: 0, nextAttemptAt: now, error: null, photos, ...body };
}

/** Waits between attempts: 2 s, 4 s, 8 s … up to 5 minutes, each ±20 % so phones do not retry in step. */
export function backoffMs(attempts: number, random: number): number {
  const base = Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random));
}

export { classifyFailure, type FailureKind } from '../../../../app/api.js';

export function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: NETWORK_ERROR, message: err instanceof Error ? err.message : String(err) };
}

/** Items of this user due for sending now, oldest first (the order the worker made them). */
export function dueItems(items: readonly OutboxItem[], userId: number, now: number): OutboxItem[] {
  return items
    .filter((i) => i.userId === userId && i.status === 'waiting' && i.nextAttemptAt <= now)
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** When the next waiting item becomes due; null when nothing waits. */
export function nextWake(items: readonly OutboxItem[], userId: number): number | null {
  let next: number | null = null;
  for (const i of items) {
    if (i.userId !== userId || i.status !== 'waiting') continue;
    if (next === null || i.nextAttemptAt < next) next = i.nextAttemptAt;
  }
  return next;
}

/** The item after a failed attempt. */
export function afterFailure(item: OutboxItem, kind: FailureKind, err: unknown, now: number, random: number): OutboxItem {
  const error = errorOf(err);
  switch (kind) {
    case 'offline':
    case 'retry': {
      const attempts = item.attempts + 1;
      return { ...item, status: 'waiting', attempts, nextAttemptAt: now + backoffMs(attempts, random), error };
    }
    case 'signin':
    case 'csrf':
      // not the item's fault: it waits, unchanged, for a session
      return { ...item, status: 'waiting', attempts: item.attempts + 1, error };
    case 'stale':
      return { ...item, status: 'conflict', attempts: item.attempts + 1, error };
    case 'refused':
      return { ...item, status: 'failed', attempts: item.attempts + 1, error };
  }
}

/** Items left "sending" by a page that closed mid-send go back to waiting; their key makes the resend safe. */
export function recoverInterrupted(item: OutboxItem, now: number): OutboxItem | null {
  return item.status === 'sending' ? { ...item, status: 'waiting', nextAttemptAt: now } : null;
}

/** The worker asked to try again (a failed or conflicting item, or one waiting on a long backoff). */
export function retryNow(item: OutboxItem, now: number, version?: number): OutboxItem {
  const next: OutboxItem = { ...item, status: 'waiting', nextAttemptAt: now, error: null };
  if (next.kind === 'action' && version !== undefined) return { ...next, act: { ...next.act, version } };
  return next;
}
