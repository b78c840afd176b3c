import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Permission } from '../../shared/permissions.js';
import { assertCan, type Actor } from './access.js';
import type { Clock } from './clock.js';
import type { Db, DbHandle, Dialect } from './db.js';
import { AppError } from './errors.js';
import type { AuditContext } from './audit.js';
import type { AccessEpoch } from './epoch.js';
import type { LiveBus } from './live.js';

/** What every module gets: configuration, the database, the clock and shared services. */
export interface AppContext {
  config: Config;
  dbh: DbHandle;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Module services register themselves here so other modules can call them (e.g. geo.locate). */
  services: Record<string, unknown>;
  /** Live updates to open pages (Server-Sent Events). */
  live: LiveBus;
  /** Moves whenever who-may-do-what changes, in any process: in-memory copies of it check it. */
  access: AccessEpoch;
  /** Every registered route with its schema (filled while the app is built). */
  routes: { method: string; url: string; schema?: Record<string, unknown> }[];
}

export interface SessionInfo {
  idHash: string;
  csrfToken: string;
  expiresAt: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyContextConfig {
    /** The route reads its own Authorization header (the metrics scraper's token): no session or API key is looked up. */
    ownAuthorization?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionInfo | null;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A module: one folder under src/server/modules, registered by app.ts. */
export interface ModuleManifest {
  name: string;
  routes(app: App): Promise<void> | void;
  /** Called once after migrations, before listening (e.g. to build in-memory indexes). */
  start?(ctx: AppContext): Promise<void> | void;
  stop?(ctx: AppContext): Promise<void> | void;
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated');
  return req.actor;
}

/**
 * A route hook for routes that take large bodies (imports of tens of megabytes): the sender must be
 * signed in and hold the permission before the body is read, or anyone could make the server read
 * and parse one only to refuse it afterwards. `check` adds what the handler would refuse at once
 * (a grant over the whole district); the jurisdiction of what the body names is checked as before.
 */
export function permittedBeforeBody(permission: Permission, check?: (req: FastifyRequest, actor: Actor) => Promise<void>) {
  return async (req: FastifyRequest): Promise<void> => {
    const actor = requireActor(req);
    assertCan(actor, permission);
    await check?.(req, actor);
  };
}

export function auditContext(req: FastifyRequest, now: number): AuditContext {
  return { actor: req.actor, ip: req.ip, requestId: String(req.id), now };
}

/** Error responses every route can answer with; spread into `schema.response`. */
export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
export const commonErrors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  422: errorResponse,
  429: errorResponse,
} as const;

export type Reply = FastifyReply;

/**
 * Where the first text of a request holds the NUL character (U+0000), as a field path; null when
 * none does. PostgreSQL cannot store it in text, and no form or system has a reason to send it, so
 * requests carrying it are refused on both databases alike, before anything is written.
 */
export function nulAt(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const at = nulAt(v, path ? `${path}.${k}` : k, depth + 1);
    if (at !== null) return at;
  }
  return null;
}

/**
 * A whole number from a path or a query string, written in digits: `z.coerce.number()` would also
 * take "1e3", "0x10", " 16" and "" (as 0), and so act on another record than the one named.
 */
export function intParam<T extends z.ZodType<number, number>>(checks: T) {
  return z.string().regex(/^\d{1,16}$/, 'must be a whole number written in digits').transform(Number).pipe(checks);
}

/** A decimal number from a path or a query string (a coordinate): digits, a sign and a point only. */
export function numberParam<T extends z.ZodType<number, number>>(checks: T) {
  return z.string().regex(/^-?\d{1,4}(\.\d{1,15})?$/, 'must be a decimal number').transform(Number).pipe(checks);
}

/**
 * A multipart body its parser cannot read (no boundary, cut short): the parser's errors carry no
 * code or status, so they are told by their words. The client's to fix, never the server's.
 */
export function malformedMultipart(err: unknown): AppError | null {
  const message = err instanceof Error ? err.message : '';
  if (!/^Multipart: |unexpected end of multipart data|^Boundary required|^Malformed part header/i.test(message)) return null;
  return new AppError('malformed_body', `The multipart body cannot be read: ${message}.`);
}

export function nulRefused(field: string): AppError {
  return new AppError('validation_failed', 'Text must not contain the NUL character (U+0000).', { field });
}

/**
 * A request's address as the log keeps it: secrets that clients put in addresses are left out — an
 * Open311 client's `api_key` argument, and a resident's tracking code, which alone opens their case.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]')
    .replace(/^(\/api\/public\/cases\/|\/track\/)[^/?#]+/, '$1[code]');
}

/** What the log says of a request (Fastify's own fields, the address redacted). */
export function requestLogFields(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
