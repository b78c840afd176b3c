import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access.js';
import type { App } from '../../platform/http.js';
import { idempotencyKeyOf } from '../../platform/idempotency.js';
import type { IncomingPhoto } from '../cases/photos.js';
import type { Locale } from './catalogue.js';
import { badRequest, errorDocument, notFound, toOpen311Error } from './errors.js';
import { CONTENT_TYPES, FORMATS, formatOfPath, render, splitExtension, type Document, type Format } from './format.js';
import { rateKeyOf, resolveApiKey } from './keys.js';
import { one, parseForm, requireFields, type Fields } from './params.js';
import {
  checkJurisdiction, discovery, getRequest, listRequests, postRequest, serviceDefinition, serviceList, tokenLookup,
} from './requests.service.js';
import { listUpdates, postUpdate } from './updates.service.js';

/**
 * /open311/v2: thin routes over requests.service and updates.service. Every answer, errors
 * included, is in the format the path's extension names (XML when it names none). Arguments come
 * as a query string, a form body (application/x-www-form-urlencoded, parsed in this scope only) or
 * multipart with photos in `media`. Each client is rate-limited by its api_key (by its address when
 * it sends none), counted after the body is read so a form-borne key counts too.
 */
export const PREFIX = '/open311/v2';
export const READS_PER_MINUTE = 300;
export const WRITES_PER_MINUTE = 60;
const MAX_PHOTOS = 9;
const PHOTO_FIELDS = new Set(['media', 'media[]', 'photos', 'photo']);

const photosOf = new WeakMap<FastifyRequest, IncomingPhoto[]>();

function fieldsOf(req: FastifyRequest): Fields {
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  const out: Fields = { ...(req.query as Fields) };
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    else if (Array.isArray(v)) out[k] = v.map(String);
  }
  return out;
}

function localeOf(req: FastifyRequest, fields: Fields): Locale {
  const asked = one(fields, 'locale') ?? req.headers['accept-language'] ?? '';
  return /^en\b/i.test(asked) ? 'en' : 'zh';
}

function send(reply: FastifyReply, doc: Document, format: Format, status = 200) {
  return reply.code(status).header('content-type', CONTENT_TYPES[format]).send(render(doc, format));
}

/** The key a client sends: the api_key argument, as Open311 has it, or the platform's headers. */
function claimedKey(req: FastifyRequest, fields: Fields): string | undefined {
  const header = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : req.headers['x-api-key'];
  return one(fields, 'api_key') ?? (typeof header === 'string' && header ? header : undefined);
}

/** Reads are counted in each node's memory; writes (`shared`) in the database, for every node together. */
function rateLimit(max: number, shared = false) {
  return {
    rateLimit: {
      max,
      shared,
      timeWindow: 60_000,
      hook: 'preHandler' as const,
      keyGenerator: (req: FastifyRequest) => rateKeyOf(claimedKey(req, fieldsOf(req)), req.ip),
    },
  };
}

/** Multipart bodies are read before validation: text fields become the body, files the photos. */
async function readMultipart(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return;
  const fields: Record<string, string | string[]> = {};
  const photos: IncomingPhoto[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (!PHOTO_FIELDS.has(part.fieldname)) throw badRequest(`Files go in the field media, not ${part.fieldname}.`);
      if (photos.length >= MAX_PHOTOS) throw badRequest(`At most ${MAX_PHOTOS} photos.`);
      photos.push({ field: 'photos', buffer: await part.toBuffer() });
    } else {
      const v = String(part.value);
      const had = fields[part.fieldname];
      fields[part.fieldname] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
  }
  req.body = fields;
  photosOf.set(req, photos);
}

async function keyOf(req: FastifyRequest, fields: Fields, required: boolean): Promise<Actor | null> {
  const key = claimedKey(req, fields);
  if (key === undefined) {
    if (required) throw badRequest('api_key is required.');
    return null;
  }
  return resolveApiKey(req.server.ctx.db, req.server.ctx.access, key);
}

export async function open311Routes(app: App): Promise<void> {
  await app.register(async (o) => {
    const ctx = app.ctx;
    o.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, parseForm(body as string));
    });
    o.setErrorHandler((err, req, reply) => {
      const e = toOpen311Error(err);
      if (e.status >= 500) req.log.error({ err }, 'open311 request failed');
      return send(reply, errorDocument(e), formatOfPath(req.url) ?? 'xml', e.status);
    });
    o.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0]!;
      const e = formatOfPath(path)
        ? notFound(`There is no Open311 resource ${req.method} ${path}.`)
        : notFound(`There is no Open311 resource ${req.method} ${path}: resources end in .xml or .json.`);
      return send(reply, errorDocument(e), formatOfPath(path) ?? 'xml', 404);
    });

    const tags = ['open311'];
    const read = { config: rateLimit(READS_PER_MINUTE) };
    const write = { config: rateLimit(WRITES_PER_MINUTE, true), preValidation: readMultipart };

    /** A GET: optional api_key (checked when sent), jurisdiction, then the answer. */
    const reader = (answer: (req: FastifyRequest, fields: Fields, locale: Locale) => Promise<Document>, format: Format) =>
      async (req: FastifyRequest, reply: FastifyReply) => {
        const fields = fieldsOf(req);
        await keyOf(req, fields, false);
        await checkJurisdiction(ctx, fields);
        return send(reply, await answer(req, fields, localeOf(req, fields)), format);
      };

    for (const format of FORMATS) {
      o.get(`/discovery.${format}`, { ...read, schema: { tags, summary: 'Open311 service discovery' } },
        reader((req, _f, locale) => discovery(ctx, `${req.protocol}://${req.host}${PREFIX}`, locale), format));

      o.get(`/services.${format}`, { ...read, schema: { tags, summary: 'GeoReport v2: the services (publicly reportable sub-categories)' } },
        reader((_req, _f, locale) => serviceList(ctx, locale), format));

      o.get(`/requests.${format}`, {
        ...read,
        schema: { tags, summary: 'GeoReport v2: requests by service_request_id, or by service_code, status and a date window (90 days, 1,000 at most; page and page_size)' },
      }, reader((_req, fields, locale) => listRequests(ctx, fields, locale), format));

      o.get(`/servicerequestupdates.${format}`, {
        ...read, schema: { tags, summary: 'mySociety extension: the public stream of status changes between start_date and end_date' },
      }, reader((_req, fields, locale) => listUpdates(ctx, fields, locale), format));

      o.post(`/requests.${format}`, {
        ...write,
        schema: { tags, summary: 'GeoReport v2: report a request (form or multipart with photos in media); answers service_request_id and token' },
      }, async (req, reply) => {
        const fields = fieldsOf(req);
        requireFields(fields, claimedKey(req, fields) ? ['service_code'] : ['api_key', 'service_code']);
        const actor = (await keyOf(req, fields, true))!;
        await checkJurisdiction(ctx, fields);
        const doc = await postRequest(ctx, actor, { fields, photos: photosOf.get(req) ?? [], idempotencyKey: idempotencyKeyOf(req) }, localeOf(req, fields));
        return send(reply, doc, format);
      });

      o.post(`/servicerequestupdates.${format}`, {
        ...write,
        schema: { tags, summary: 'mySociety extension: post a client update (status and comment) to a request; answers our update_id' },
      }, async (req, reply) => {
        const fields = fieldsOf(req);
        requireFields(fields, [...(claimedKey(req, fields) ? [] : ['api_key']), 'service_request_id', 'status', 'description', 'updated_datetime']);
        if (one(fields, 'update_id') === undefined && one(fields, 'update_id_ext') === undefined) throw badRequest('update_id is required.');
        const actor = (await keyOf(req, fields, true))!;
        await checkJurisdiction(ctx, fields);
        return send(reply, await postUpdate(ctx, actor, fields), format);
      });
    }

    /** services/{code}.xml, requests/{id}.json, tokens/{token}.xml: the id and the format share one path segment. */
    const byId = (answer: (id: string, fields: Fields, locale: Locale) => Promise<Document>) =>
      async (req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
        const split = splitExtension(req.params.file);
        if (!split) throw notFound(`There is no Open311 resource ${req.url.split('?')[0]}: resources end in .xml or .json.`);
        const fields = fieldsOf(req);
        await keyOf(req, fields, false);
        await checkJurisdiction(ctx, fields);
        return send(reply, await answer(split.id, fields, localeOf(req, fields)), split.format);
      };
    o.get('/services/:file', { ...read, schema: { tags, summary: 'GeoReport v2: a service definition (its attributes)' } },
      byId((id, _f, locale) => serviceDefinition(ctx, id, locale)));
    o.get('/requests/:file', { ...read, schema: { tags, summary: 'GeoReport v2: one request' } },
      byId((id, _f, locale) => getRequest(ctx, id, locale)));
    o.get('/tokens/:file', { ...read, schema: { tags, summary: 'GeoReport v2: the service_request_id of a token' } },
      byId((id) => tokenLookup(ctx, id)));
  }, { prefix: PREFIX });
}
