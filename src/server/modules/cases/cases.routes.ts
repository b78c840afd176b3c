import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACTIONS, type Action } from '../../../shared/cases/index.js';
import { assertCan } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { type App, auditContext, commonErrors, intParam, requireActor } from '../../platform/http.js';
import { callerOf, idempotencyKeyOf } from '../../platform/idempotency.js';
import { actOnCase } from './act.service.js';
import {
  ActionBodySchema, CaseDetailOut, CaseListOut, CaseListQuerySchema, QueueCountsOut, ReportResultOut, ReportSchema,
  type ActionBody, type ReportInput,
} from './cases.schemas.js';
import { listCases, queueCounts } from './list.service.js';
import { isMultipart, readMultipart, type IncomingPhoto } from './photos.js';
import { getCase } from './read.service.js';
import { reportCase } from './report.service.js';

/** The cases API for signed-in people and other systems: thin — parse, authorize, use case, present. */
const idParam = z.strictObject({ id: intParam(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)) });

/** JSON, or multipart with the same fields as text and photos as files (photos, photos_before, photos_after). */
export async function bodyAndPhotos<T>(req: FastifyRequest, schema: z.ZodType<T>, numeric: readonly string[]): Promise<{ body: T; photos: IncomingPhoto[] }> {
  if (!isMultipart(req)) return { body: req.body as T, photos: [] };
  const { body, photos } = await readMultipart(req, numeric);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation_failed', `Invalid body: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues });
  }
  return { body: parsed.data, photos };
}

export async function casesRoutes(app: App): Promise<void> {
  const ctx = app.ctx;

  app.post('/api/cases', {
    schema: {
      tags: ['cases'],
      summary: 'Report a case (采集上报): JSON, or multipart with up to 9 photos; Idempotency-Key makes retries safe',
      description: 'action "accept" files it directly as a case (立案, staff sources with a condition_code); "self_resolve" records a problem resolved on the spot (photos_before and photos_after).',
      body: ReportSchema.nullish(),
      response: { 201: ReportResultOut, ...commonErrors, 413: commonErrors[400], 415: commonErrors[400] },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.report');
    const { body, photos } = await bodyAndPhotos<ReportInput>(req, ReportSchema, ['lon', 'lat']);
    if (!body) throw new AppError('validation_failed', 'The report is empty.');
    const out = await reportCase(ctx, actor, body, photos, { idempotencyKey: idempotencyKeyOf(req), idempotencyCaller: callerOf(req) });
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(201).send(out.body);
  });

  app.get('/api/cases', {
    schema: {
      tags: ['cases'], summary: 'Search and filter cases inside your jurisdiction; queue=… gives a work list',
      querystring: CaseListQuerySchema,
      response: { 200: CaseListOut, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.read');
    return listCases(ctx, actor, req.query);
  });

  app.get('/api/cases/queues', {
    schema: { tags: ['cases'], summary: 'How many cases wait in each of your work lists', response: { 200: QueueCountsOut, ...commonErrors } },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.read');
    return queueCounts(ctx, actor);
  });

  app.get('/api/cases/:id', {
    schema: {
      tags: ['cases'], summary: 'A case with its timeline, photos and the actions you may take now',
      params: idParam,
      response: { 200: CaseDetailOut, ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.read');
    return getCase(ctx, actor, req.params.id, auditContext(req, ctx.clock.now()));
  });

  app.post('/api/cases/:id/actions/:action', {
    schema: {
      tags: ['cases'],
      summary: 'Take an action on a case; send the version you saw (409 stale_version when someone was faster); Idempotency-Key makes retries safe',
      description: 'Body: the action input (reason, comment, department, division, level, condition_code, due_at, original_case_id, photos) and version. Multipart carries new photos as files.',
      params: z.strictObject({ id: idParam.shape.id, action: z.enum(ACTIONS) }),
      body: ActionBodySchema.nullish(),
      response: { 200: CaseDetailOut, ...commonErrors, 413: commonErrors[400], 415: commonErrors[400] },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'cases.read');
    const { body, photos } = await bodyAndPhotos<ActionBody>(req, ActionBodySchema, ['version', 'due_at']);
    if (!body) throw new AppError('validation_failed', 'Send the case version you saw.', { field: 'version' });
    const { version, ...input } = body;
    const done = await actOnCase(ctx, actor, req.params.id, req.params.action as Action, input, version, {
      photos, idempotencyKey: idempotencyKeyOf(req), idempotencyCaller: callerOf(req),
    });
    if (done.replayed) reply.header('idempotent-replayed', 'true');
    // the answer is the case's page: personal data it shows unmasked is a read, audited as there
    return getCase(ctx, actor, req.params.id, auditContext(req, ctx.clock.now()));
  });
}
