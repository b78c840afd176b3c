import { createRequire } from 'node:module';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { Clock } from './clock.js';
import type { Db } from './db.js';

/**
 * Where rate limits are counted. A route that sets `shared: true` in its `rateLimit` config (sign-in,
 * residents' reports, Open311 writes) is counted in the database, so with several nodes behind one address the limit
 * holds for the whole service, not per node, and a restart does not reset it; every other limited
 * route (Open311's many reads) is counted in the node's memory by the plugin's own store.
 *
 * A shared window is one row per route and client: `started_at` opens it, `hits` counts in it; the
 * first hit after the window ends opens a new one. One statement both counts and reads, so two nodes
 * counting at once never lose a hit. Rows of long-ended windows are swept now and then.
 */
type Answer = { current: number; ttl: number };
type Done = (err: Error | null, res?: Answer) => void;
type Store = FastifyRateLimitStore;

/** What the plugin hands a store's `child`: the route's `rateLimit` config merged into the plugin's. */
interface RouteLimit {
  shared?: boolean;
  groupId?: string;
  routeInfo?: { method?: string | string[]; url?: string };
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  cache?: number;
}

// the plugin's own in-memory store (CommonJS, not among its named exports)
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding?: boolean, exponentialBackoff?: boolean, cache?: number,
) => Store;

const SWEEP_EVERY = 200;
const KEEP_ENDED_MS = 24 * 3_600_000;

class SharedStore implements Store {
  private counted = 0;

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly group: string) {}

  incr(key: string, cb: Done, timeWindow: number): void {
    this.count(`${this.group} ${key}`, timeWindow).then((res) => cb(null, res), (err: Error) => cb(err));
  }

  child(): Store {
    return this;
  }

  private async count(key: string, timeWindow: number): Promise<Answer> {
    const now = this.clock.now();
    const ended = now - timeWindow;
    const row = await this.db.insertInto('rate_limits').values({ key, started_at: now, hits: 1 })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        hits: sql`case when rate_limits.started_at <= ${ended} then 1 else rate_limits.hits + 1 end`,
        started_at: sql`case when rate_limits.started_at <= ${ended} then excluded.started_at else rate_limits.started_at end`,
      }))
      .returning(['hits', 'started_at']).executeTakeFirstOrThrow();
    if (++this.counted % SWEEP_EVERY === 0) await this.db.deleteFrom('rate_limits').where('started_at', '<', now - KEEP_ENDED_MS).execute();
    return { current: Number(row.hits), ttl: Math.max(0, Number(row.started_at) + timeWindow - now) };
  }
}

/** The store class for `@fastify/rate-limit`'s `store` option, bound to this app's database and clock. */
export function rateLimitStore(db: Db, clock: Clock) {
  return class RateLimitStore implements Store {
    private readonly local: Store;

    constructor(params: object) {
      const { continueExceeding, exponentialBackoff, cache } = params as RouteLimit;
      this.local = new LocalStore(continueExceeding, exponentialBackoff, cache);
    }

    incr(key: string, cb: Done, timeWindow: number, max: number): void {
      this.local.incr(key, cb, timeWindow, max);
    }

    child(routeOptions: object): Store {
      const route = routeOptions as RouteLimit;
      if (!route.shared) return new LocalStore(route.continueExceeding, route.exponentialBackoff, route.cache);
      const method = [route.routeInfo?.method ?? ''].flat().join(',');
      return new SharedStore(db, clock, route.groupId ?? `${method} ${route.routeInfo?.url ?? ''}`);
    }
  };
}
