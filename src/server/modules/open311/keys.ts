import type { Actor } from '../../platform/access.js';
import type { Executor } from '../../platform/db.js';
import { constantTimeEqual, sha256 } from '../../platform/secrets.js';
import { apiKeyActor } from '../people/people.repo.js';
import { badKey } from './errors.js';

/**
 * Open311 clients send their key as the `api_key` argument, not as a header, so it is looked up
 * here exactly as the people module's hook looks up a header key: by its 12-character prefix,
 * then the SHA-256 of the whole key compared in constant time. Unknown and revoked keys are 403.
 */
export const KEY_PREFIX_LENGTH = 12;

export async function resolveApiKey(db: Executor, key: string): Promise<Actor> {
  const row = await db.selectFrom('api_keys').selectAll().where('prefix', '=', key.slice(0, KEY_PREFIX_LENGTH)).executeTakeFirst();
  if (!row || !constantTimeEqual(row.key_hash, sha256(key))) throw badKey();
  if (row.revoked_at !== null) throw badKey('Invalid api_key: the key has been revoked.');
  return apiKeyActor(row);
}

/** What the rate limiter counts by: the key's prefix when one is sent (never the key itself), else the address. */
export function rateKeyOf(key: string | undefined, ip: string): string {
  return key ? `open311-key:${key.slice(0, KEY_PREFIX_LENGTH)}` : `open311-ip:${ip}`;
}
