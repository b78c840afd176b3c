import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from './db.js';
import { AppError } from './errors.js';
import { writeTransaction } from './group-commit.js';

/**
 * Idempotency-Key: a retried write (a phone on a bad connection, an offline queue replaying) answers
 * the stored response instead of acting twice. The key row is written in the same transaction as the
 * change, so either both exist or neither does; a concurrent duplicate waits on the primary key and
 * then reads the stored answer.
 */
export interface Idempotent<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function idempotencyKeyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 8–128 characters of letters, digits and _.:-', { field: 'Idempotency-Key' });
  }
  return key;
}

/**
 * Whose key space a key lives in. Anonymous callers (residents) share one space: a phone that moves
 * from Wi-Fi to mobile data between a lost answer and its retry changes address, and the retry must
 * still find the first answer. Keys are random and long, so they do not collide by chance.
 */
export function callerOf(req: FastifyRequest): string {
  return req.actor ? `${req.actor.kind}:${req.actor.id}` : 'anonymous';
}

async function stored(db: Db | Tx, caller: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
}

export async function runIdempotent<T>(
  db: Db,
  opts: { caller: string; key: string | null; route: string; now: number; status: number },
  work: (tx: Tx) => Promise<T>,
): Promise<Idempotent<T>> {
  if (!opts.key) return { status: opts.status, body: await writeTransaction(db, work), replayed: false };
  const key = opts.key;
  const previous = await stored(db, opts.caller, key);
  if (previous) return replay(previous, opts.route);
  try {
    const body = await writeTransaction(db, async (tx) => {
      const result = await work(tx);
      await tx.insertInto('idempotency_keys').values({
        caller: opts.caller, key, route: opts.route, status: opts.status, body: JSON.stringify(result), created_at: opts.now,
      }).execute();
      return result;
    });
    return { status: opts.status, body, replayed: false };
  } catch (e) {
    // the same key committed by a concurrent request: answer what it answered
    const raced = await stored(db, opts.caller, key);
    if (raced) return replay(raced, opts.route);
    throw e;
  }
}

function replay<T>(row: { route: string; status: number; body: string }, route: string): Idempotent<T> {
  if (row.route !== route) throw new AppError('conflict', 'This Idempotency-Key was already used for another request.');
  return { status: row.status, body: JSON.parse(row.body) as T, replayed: true };
}
