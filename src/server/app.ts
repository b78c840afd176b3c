import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from 'helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.js';
import { openDatabase, pingDatabase, type DbHandle } from './platform/db.js';
import { migrateToLatest } from './db/migrator.js';
import { AppError, ERROR_CATALOGUE, errorBody, type ErrorCode } from './platform/errors.js';
import { systemClock, type Clock } from './platform/clock.js';
import { rateLimitStore } from './platform/ratelimit.js';
import { malformedMultipart, nulAt, nulRefused, requestLogFields, type App, type AppContext } from './platform/http.js';
import { getSetting } from './platform/settings.js';
import { accessEpoch } from './platform/epoch.js';
import { LiveBus, registerLiveRoute, relayThroughPostgres } from './platform/live.js';
import { countRequests, createMetrics, registerMetricsRoute } from './platform/metrics.js';
import { PgNotices } from './platform/notices.js';
import { checkpointInThread } from './platform/checkpoint.js';
import { registerAuthHook } from './modules/people/auth.hook.js';
import { modules } from './modules/index.js';

export interface BuildOptions {
  clock?: Clock;
  /** Use an already open database (tests, CLI); otherwise one is opened from config. */
  dbh?: DbHandle;
  /** Skip migrations (when the caller already migrated). */
  migrate?: boolean;
  logger?: boolean;
  /** The built web app to serve (tests); by default dist/web, when it has been built. */
  webRoot?: string;
}

export const VERSION = '0.1.0';
const here = dirname(fileURLToPath(import.meta.url));
/** The built web app: dist/web, both from dist/server (compiled) and from src/server (sources). */
export const WEB_ROOT = [resolve(here, '..', '..', 'dist', 'web')].find((p) => existsSync(join(p, 'index.html')));

/** Maps framework errors (validation, parsing, limits) onto the catalogue; never leaks 5xx details. */
function toAppError(err: FastifyError): AppError | null {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({ path: v.instancePath || (v.params as { issue?: { path?: PropertyKey[] } })?.issue?.path?.join('.') || '', message: v.message }));
    return new AppError('validation_failed', `Invalid ${err.validationContext ?? 'request'}: ${issues.map((i) => `${i.path} ${i.message}`.trim()).join('; ')}`, { issues });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('malformed_body', err.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('payload_too_large', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', err.message);
    case 'FST_ERR_VALIDATION':
      return new AppError('validation_failed', err.message);
  }
  // two writes raced for one unique key (a check before the insert saw neither): the loser is told
  // to look again, as a stale version is; nothing of its transaction was stored
  if (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('conflict', 'Someone else wrote the same thing at the same moment; reload and try again.');
  }
  // PostgreSQL ended this transaction to let another one through (each waited for the other's rows)
  if (err.code === '40P01' || err.code === '40001') {
    return new AppError('conflict', 'Another change to the same records came at the same moment; reload and try again.');
  }
  const multipart = malformedMultipart(err);
  if (multipart) return multipart;
  if (err.statusCode === 429) return new AppError('rate_limited', undefined, { retryAfter: err.message });
  if (err instanceof SyntaxError) return new AppError('malformed_body', err.message);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    const byStatus = (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).find((c) => ERROR_CATALOGUE[c].status === err.statusCode);
    return new AppError(byStatus ?? 'validation_failed', err.message);
  }
  return null;
}

/**
 * A request Node's HTTP parser cannot read (a body longer than its Content-Length, a broken request
 * line, headers over the limit, one that came too slowly): answered on the socket in the one error
 * shape, as Fastify's default does in its own.
 */
function answerUnreadableRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message]: [number, string, ErrorCode, string] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'Request Timeout', 'malformed_body', 'The request did not arrive in time.']
    : err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'payload_too_large', 'The request headers are too large.']
      : [400, 'Bad Request', 'malformed_body', 'The request could not be read.'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const dbh = options.dbh ?? openDatabase(config.database);
  if (options.migrate !== false) await migrateToLatest(dbh.db);

  // security headers (CSP and the rest), with the policy built once rather than on every request
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design and MapLibre set inline styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(config.basemapUrl ? [new URL(config.basemapUrl.replace(/[{}]/g, '')).origin] : [])],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", ...(config.basemapUrl ? [new URL(config.basemapUrl.replace(/[{}]/g, '')).origin] : [])],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  const app = Fastify({
    // requests are logged with secrets taken out of their addresses (api_key, tracking codes)
    logger: options.logger === false ? false : { level: config.logLevel, serializers: { req: requestLogFields as never } },
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    genReqId: () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4),
    ajv: { customOptions: { removeAdditional: false } },
    // the router's own refusals (a bad percent-escape in the path, a path parameter over 100
    // characters) and requests the HTTP parser cannot read answer in the one error shape too
    frameworkErrors: (err, req, reply: FastifyReply) => {
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the address is longer than 100 characters.' : 'The address is not valid.';
      // the router answers before the request hooks run: the security headers are set here
      securityHeaders(req.raw, reply.raw, () => undefined);
      return reply.code(400).send(errorBody('validation_failed', message, { reason: err.code }));
    },
    clientErrorHandler: answerUnreadableRequest,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  const checkpoints = config.checkpointThread && dbh.sqlite ? checkpointInThread(dbh.sqlite, (message) => app.log.warn(message)) : null;

  // PostgreSQL: one listening connection joins this node to the others (access epoch, live updates)
  const notices = config.database.kind === 'postgres'
    ? new PgNotices(config.database.url, (err) => app.log.warn({ err }, 'notices: listening connection lost; it reconnects'))
    : null;
  const ctx: AppContext = {
    config, dbh, db: dbh.db, dialect: dbh.dialect, clock: options.clock ?? systemClock, log: app.log, services: {}, routes: [], live: new LiveBus(),
    access: accessEpoch(dbh, notices),
  };
  if (notices) relayThroughPostgres(ctx.live, notices, dbh.db, (err) => app.log.warn({ err }, 'live updates: relay to other nodes failed'));
  app.decorate('ctx', ctx);
  // every body, query string and path checked by a schema is first checked for NUL characters
  app.setValidatorCompiler((route) => {
    const validate = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
    return (data: unknown) => {
      const at = nulAt(data);
      return at === null ? validate(data) : { error: nulRefused(at) };
    };
  });
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = toAppError(err);
    if (known) {
      if (known.status >= 500) req.log.error({ err }, 'request failed');
      else if (known !== err && known.code === 'conflict') req.log.warn({ err }, 'a write lost a race with another');
      return reply.code(known.status).send(errorBody(known.code, known.message, known.details));
    }
    if (isResponseSerializationError(err)) req.log.error({ err, issues: err.cause?.issues }, 'response did not match its schema');
    else req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errorBody('internal', ERROR_CATALOGUE.internal.message, { requestId: String(req.id) }));
  });

  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)));
  if (config.corsOrigins.length) {
    await app.register(cors, { origin: config.corsOrigins, credentials: true });
  }
  // map layers are large GeoJSON; event streams must not be buffered
  await app.register(compress, { global: true, threshold: 2048, encodings: ['br', 'gzip'], customTypes: /^(application\/(json|geo\+json|javascript)|text\/(css|html|csv|plain|xml))/ });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    store: rateLimitStore(ctx.db, ctx.clock),
    errorResponseBuilder: (_req, context) => Object.assign(new AppError('rate_limited', undefined, { retryAfterSeconds: Math.ceil(context.ttl / 1000) }), { statusCode: 429 }),
  });
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 9, fields: 50, parts: 60 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OneGrid API',
        version: VERSION,
        description: 'OneGrid (一张网): grid-based social service management. Errors always have the shape {"error":{"code","message","details"}}; codes are listed in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'og_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false, uiConfig: { docExpansion: 'none', deepLinking: true } });

  // the route table, for the bad-input tests and the API reference
  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/api/docs') || r.method === 'HEAD') return;
    for (const method of [r.method].flat()) ctx.routes.push({ method: String(method), url: r.url, schema: r.schema as Record<string, unknown> | undefined });
  });
  registerAuthHook(app);
  const metrics = createMetrics(ctx, VERSION);
  countRequests(app, metrics);

  app.get('/healthz', {
    schema: {
      tags: ['ops'], summary: 'Liveness and database check',
      response: { 200: z.object({ status: z.literal('ok'), database: z.string(), version: z.string() }), 503: z.object({ error: z.any() }) },
    },
  }, async (_req, reply) => {
    try {
      await pingDatabase(ctx.db);
    } catch {
      return reply.code(503).send(errorBody('unavailable', 'The database does not answer.'));
    }
    return { status: 'ok' as const, database: ctx.dialect, version: VERSION };
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api/config/public', {
    schema: {
      tags: ['ops'], summary: 'Public settings the web app needs before sign-in',
      response: { 200: z.object({ demo: z.boolean(), districtName: z.string(), basemapUrl: z.string().nullable(), version: z.string() }) },
    },
  }, async () => {
    const district = await ctx.db.selectFrom('divisions').select('name').where('level', '=', 30).orderBy('code').executeTakeFirst();
    return { demo: ctx.services.demo === true, districtName: district?.name ?? '', basemapUrl: config.basemapUrl, version: VERSION };
  });

  registerMetricsRoute(app, metrics, config.metricsToken);
  registerLiveRoute(app, ctx.live, metrics.liveStreams);
  for (const m of modules) await app.register(async (scoped) => m.routes(scoped as unknown as App));

  const webRoot = options.webRoot ?? WEB_ROOT;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      // the files at the build's top level are routed at start; the hashed ones below
      wildcard: false,
      // the web build writes name.br and name.gz beside each script and style: sent as they are
      preCompressed: true,
      setHeaders: (res, path) => {
        if (path.includes(`${join('assets', '')}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
        // the page names the build's files: asked for again each time, so an upgrade is seen at once
        else if (path.endsWith('index.html')) res.header('cache-control', 'no-cache');
      },
    });
    // the build's hashed files are looked up when asked for, so a build written while the server
    // runs is served whole (a route per file, made at start, would not know the new ones)
    // (the build writes them in one folder, named by their content: nothing else is a file there)
    app.get('/assets/*', { schema: { hide: true } }, (req, reply) => {
      const name = (req.params as { '*': string })['*'];
      return /^[\w.-]+$/.test(name) && !name.startsWith('.') ? reply.sendFile(join('assets', name)) : reply.callNotFound();
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // a piece of the web build that is not there (a page opened before an upgrade asks for the old
    // build's) is a 404, which the page takes as its cue to load itself again, not the app's page
    if (req.url.startsWith('/api/') || req.url === '/api' || req.url.startsWith('/open311/') || req.url.startsWith('/assets/') || !webRoot || req.method !== 'GET') {
      return reply.code(404).send(errorBody('route_not_found', `No route ${req.method} ${req.url.split('?')[0]}.`));
    }
    // the single-page app answers every other path
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  app.addHook('onReady', async () => {
    ctx.services.demo = (await getSetting(ctx.db, 'demo')) !== null;
    for (const m of modules) await m.start?.(ctx);
  });
  app.addHook('onClose', async () => {
    for (const m of modules) await m.stop?.(ctx);
    await notices?.close();
    await checkpoints?.stop();
    if (!options.dbh) await dbh.close();
  });
  return app;
}
