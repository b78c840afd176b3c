import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OPEN_STATES, TIMED_STATES } from '../../shared/cases/index.js';
import { pingDatabase } from './db.js';
import { errorBody } from './errors.js';
import type { App, AppContext } from './http.js';
import { constantTimeEqual } from './secrets.js';

/**
 * Metrics for the operator's monitoring (Prometheus text format at `GET /metrics`): the process (CPU,
 * memory, event-loop delay, garbage collection), the requests answered by route and status, and
 * what says whether the work goes on — the database answering, the evaluation's backlog, the open
 * and overdue cases, the pages following live changes. Off unless METRICS_TOKEN is set; a scraper
 * sends it as `Authorization: Bearer <token>`. Gauges of the database are read when scraped, so a
 * scrape every 15–60 s costs a few indexed counts.
 */

// the process's own figures are one set per process, however many apps it builds (the tests build many)
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Case states counted as waiting on someone's work (closed and ended states are not). */
const OPEN = OPEN_STATES as readonly string[];
const TIMED = TIMED_STATES as readonly string[];

export interface Metrics {
  registry: Registry;
  /** Open live-update streams (Server-Sent Events), kept by the live route. */
  liveStreams: Gauge;
}

export function createMetrics(ctx: AppContext, version: string): Metrics {
  const registry = new Registry();
  new Gauge({
    name: 'onegrid_info', help: 'The running version and its database kind (always 1)', labelNames: ['version', 'database'], registers: [registry],
    collect() {
      this.set({ version, database: ctx.dialect }, 1);
    },
  });
  new Gauge({
    name: 'onegrid_database_up', help: 'Whether the database answered at the scrape (1) or not (0)', registers: [registry],
    async collect() {
      this.set(await pingDatabase(ctx.db).then(() => 1, () => 0));
    },
  });
  new Gauge({
    name: 'onegrid_evaluation_backlog_cases', help: 'Cases whose events the evaluation has not yet counted; near zero when counting keeps up', registers: [registry],
    async collect() {
      const row = await ctx.db.selectFrom('eval_pending').select(sql<number>`count(*)`.as('n')).executeTakeFirst().catch(() => undefined);
      if (row) this.set(Number(row.n));
    },
  });
  new Gauge({
    name: 'onegrid_cases_open', help: 'Cases in the loop, by state', labelNames: ['state'], registers: [registry],
    async collect() {
      const rows = await ctx.db.selectFrom('cases').select(['state', sql<number>`count(*)`.as('n')]).where('state', 'in', OPEN).groupBy('state').execute().catch(() => null);
      if (!rows) return;
      this.reset();
      for (const s of OPEN) this.set({ state: s }, 0);
      for (const r of rows) this.set({ state: r.state }, Number(r.n));
    },
  });
  new Gauge({
    name: 'onegrid_cases_overdue', help: 'Open cases past their due time (suspended ones not counted)', registers: [registry],
    async collect() {
      const row = await ctx.db.selectFrom('cases').select(sql<number>`count(*)`.as('n'))
        .where('state', 'in', TIMED).where('due_at', '<', ctx.clock.now()).executeTakeFirst().catch(() => undefined);
      if (row) this.set(Number(row.n));
    },
  });
  const liveStreams = new Gauge({ name: 'onegrid_live_streams', help: 'Pages following live changes (open Server-Sent Event streams)', registers: [registry] });
  return { registry, liveStreams };
}

/** Requests answered, by route (the route's pattern, not the address: a case id is not a label) and status. */
export function countRequests(app: App, metrics: Metrics): void {
  const requests = new Counter({ name: 'onegrid_http_requests_total', help: 'Requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [metrics.registry] });
  const seconds = new Histogram({
    name: 'onegrid_http_request_duration_seconds', help: 'Time to answer a request, by method and route', labelNames: ['method', 'route'], registers: [metrics.registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  app.addHook('onResponse', (req, reply, done) => {
    // a request no route took (a 404 of the router, a refusal before routing) is one label, not its address
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    seconds.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });
}

/** `GET /metrics`, answered only to a scraper that sends the token; without METRICS_TOKEN it does not exist (404). */
export function registerMetricsRoute(app: App, metrics: Metrics, token: string | null): void {
  // the scraper's Bearer token is its own, not an API key: the sign-in hook leaves this route alone
  app.get('/metrics', { schema: { hide: true }, config: { ownAuthorization: true } }, async (req, reply) => {
    if (!token) return reply.code(404).send(errorBody('not_found', 'Metrics are off: set METRICS_TOKEN to turn them on.'));
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!constantTimeEqual(given, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthenticated', 'Send the metrics token as Authorization: Bearer <token>.'));
    }
    const text = (await processMetrics().metrics()) + (await metrics.registry.metrics());
    return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
