import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { inScope, scopeOf, type Actor } from './access.js';
import type { Db } from './db.js';
import type { App } from './http.js';
import type { PgNotices } from './notices.js';

/**
 * Live updates to open pages by Server-Sent Events. A change is published after its transaction
 * commits; each open stream receives only what lies inside its actor's jurisdiction.
 * One bus per process; on PostgreSQL the buses of all nodes are joined by `relayThroughPostgres`,
 * so a page sees the changes made on any node.
 */
export interface LiveEvent {
  type: string;
  /** Jurisdiction of the object (a grid or division code) and the departments holding it. */
  divisionCode: string | null;
  departmentIds: number[];
  /** Users the event is addressed to (inbox notifications); others only see it if in scope. */
  userIds?: number[];
  data: Record<string, unknown>;
}

export class LiveBus {
  private readonly emitter = new EventEmitter();
  /** Sends what this node publishes to the other nodes (set by `relayThroughPostgres`). */
  relay: ((event: LiveEvent) => void) | null = null;
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  /** A change made here: to this node's pages, and to the other nodes'. */
  publish(event: LiveEvent): void {
    this.deliver(event);
    this.relay?.(event);
  }
  /** To this node's pages only. */
  deliver(event: LiveEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
}

export function visibleTo(actor: Actor, e: LiveEvent): boolean {
  if (e.userIds?.includes(actor.id) && actor.kind === 'user') return true;
  if (e.userIds && e.userIds.length && !e.divisionCode && !e.departmentIds.length) return false;
  return inScope(scopeOf(actor), { divisionCode: e.divisionCode, departmentIds: e.departmentIds });
}

/** `streams` counts the open streams (for the metrics). */
export function registerLiveRoute(app: App, bus: LiveBus, streams?: { inc(): void; dec(): void }): void {
  app.get('/api/events', { schema: { tags: ['ops'], summary: 'Server-Sent Events: live changes inside your jurisdiction' } }, (req, reply) => {
    const actor = req.actor;
    if (!actor) {
      return reply.code(401).send({ error: { code: 'unauthenticated', message: 'Sign in first.', details: null } });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // reconnect after 5–10 s: after a restart every open page comes back and reads its lists again,
    // spread over five seconds rather than all at once
    res.write(`retry: ${5000 + Math.floor(Math.random() * 5000)}\n\n`);
    const unsubscribe = bus.subscribe((e) => {
      if (visibleTo(actor, e)) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), 25_000);
    streams?.inc();
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams?.dec();
    };
    req.raw.on('close', close);
  });
}

export const LIVE_CHANNEL = 'onegrid_live';
/** PostgreSQL refuses notice payloads of 8,000 bytes or more (bytes of UTF-8, not characters). */
const MAX_PAYLOAD = 7_000;

/**
 * Joins the buses of the nodes on one PostgreSQL database: what a node publishes is sent, gathered
 * per turn of its event loop, as `pg_notify('onegrid_live')`; each node delivers what the others
 * sent to its own pages (its own notices come back too, and are skipped). An event too large for
 * one notice stays on its node. A failed send is logged; pages reload their lists when they
 * reconnect, so a lost update is seen at the next change or reload.
 */
export function relayThroughPostgres(bus: LiveBus, notices: PgNotices, db: Db, onError: (err: Error) => void): void {
  const node = randomUUID();
  let outbox: { text: string; bytes: number }[] = [];
  let sending: Promise<void> = Promise.resolve();
  const flush = () => {
    const items = outbox;
    outbox = [];
    const payloads: string[] = [];
    let part: string[] = [];
    let size = 0;
    for (const { text, bytes } of items) {
      if (size + bytes > MAX_PAYLOAD - 100 && part.length) {
        payloads.push(`{"node":"${node}","events":[${part.join(',')}]}`);
        part = [];
        size = 0;
      }
      part.push(text);
      size += bytes + 1;
    }
    if (part.length) payloads.push(`{"node":"${node}","events":[${part.join(',')}]}`);
    // one statement, one after another: the other nodes see the events in the order they were published
    sending = sending
      .then(() => sql`select pg_notify(${LIVE_CHANNEL}, p) from unnest(${payloads}::text[]) with ordinality as t(p, i) order by i`.execute(db))
      .then(() => undefined, onError);
  };
  bus.relay = (event) => {
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_PAYLOAD - 200) return;
    if (outbox.length === 0) setImmediate(flush);
    outbox.push({ text, bytes });
  };
  notices.listen(LIVE_CHANNEL, (payload) => {
    try {
      const message = JSON.parse(payload) as { node: string; events: LiveEvent[] };
      if (message.node === node) return;
      for (const event of message.events) bus.deliver(event);
    } catch (err) {
      onError(err as Error);
    }
  });
}
