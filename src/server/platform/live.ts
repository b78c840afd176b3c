import { EventEmitter } from 'node:events';
import { inScope, scopeOf, type Actor } from './access.js';
import type { App } from './http.js';

/**
 * Live updates to open pages by Server-Sent Events. A change is published after its transaction
 * commits; each open stream receives only what lies inside its actor's jurisdiction.
 * One process, one bus: with several app nodes, relay through PostgreSQL LISTEN/NOTIFY.
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
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: LiveEvent): void {
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

export function registerLiveRoute(app: App, bus: LiveBus): void {
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
    res.write(`retry: 5000\n\n`);
    const unsubscribe = bus.subscribe((e) => {
      if (visibleTo(actor, e)) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), 25_000);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.raw.on('close', close);
  });
}
