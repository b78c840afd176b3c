import type { Actor } from '../../platform/access.js';
import type { Executor } from '../../platform/db.js';
import type { AccessEpoch } from '../../platform/epoch.js';
import { API_KEY_LOOKUP_LENGTH, apiKeyActor, findApiKey } from '../people/people.repo.js';
import { badKey } from './errors.js';

/**
 * Open311 clients send their key as the `api_key` argument, not as a header; it is looked up as the
 * people module's hook looks up a header key (`findApiKey`). Unknown and revoked keys are 403.
 */
export async function resolveApiKey(db: Executor, epoch: AccessEpoch, key: string): Promise<Actor> {
  const row = await findApiKey(db, epoch, key);
  if (!row) throw badKey();
  if (row.revoked_at !== null) throw badKey('Invalid api_key: the key has been revoked.');
  return apiKeyActor(row);
}

/** What the rate limiter counts by: the key's prefix when one is sent (never the key itself), else the address. */
export function rateKeyOf(key: string | undefined, ip: string): string {
  return key ? `open311-key:${key.slice(0, API_KEY_LOOKUP_LENGTH)}` : `open311-ip:${ip}`;
}
