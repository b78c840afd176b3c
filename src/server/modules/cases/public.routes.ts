import { createReadStream, existsSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { filePath } from '../../platform/files.js';
import { commonErrors, type App } from '../../platform/http.js';
import { callerOf, idempotencyKeyOf } from '../../platform/idempotency.js';
import { actOnCase } from './act.service.js';
import type { CaseCaller } from './actors.js';
import { PublicCaseOut, PublicReportSchema, type PublicReport } from './cases.schemas.js';
import { findCaseByTrackingCode } from './cases.repo.js';
import { bodyAndPhotos } from './cases.routes.js';
import { publicCase, publicCaseOf, visibleFile } from './read.service.js';
import { fileReport } from './report.service.js';

/**
 * Residents without an account: report with photos and get a tracking code, follow the case's
 * public progress, reopen it after closing; and the photo files, for whoever may see their case.
 */
export const PUBLIC_REPORTS_PER_WINDOW = 10;
const WINDOW_MS = 10 * 60_000;
/**
 * Lookups of a case by its tracking code, per address and minute: a resident opens their case now
 * and then; someone trying codes one after another is held back (counted on each node, as reads are).
 */
export const PUBLIC_LOOKUPS_PER_MINUTE = 60;

const trackingParam = z.strictObject({ trackingCode: z.string().regex(/^[A-Z2-9]{10}$/) });
const shaParam = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export async function publicRoutes(app: App): Promise<void> {
  const ctx = app.ctx;

  app.post('/api/public/cases', {
    schema: {
      tags: ['public'],
      summary: 'Report a problem as a resident (no account): JSON or multipart with photos; answers a tracking code',
      body: PublicReportSchema.nullish(),
      response: { 201: PublicCaseOut, ...commonErrors, 413: commonErrors[400], 415: commonErrors[400] },
    },
    config: { rateLimit: { max: PUBLIC_REPORTS_PER_WINDOW, timeWindow: WINDOW_MS, shared: true } },
  }, async (req, reply) => {
    const { body, photos } = await bodyAndPhotos<PublicReport>(req, PublicReportSchema, ['lon', 'lat']);
    if (!body) throw new AppError('validation_failed', 'The report is empty.');
    const out = await fileReport(ctx, 'resident', { ...body, action: 'report' }, photos,
      { idempotencyKey: idempotencyKeyOf(req), idempotencyCaller: callerOf(req) },
      async (filed, tx) => publicCaseOf(filed.ref, tx, ctx.clock.now(), filed.row, [filed.event], filed.photos));
    return reply.code(201).send(out.body);
  });

  app.get('/api/public/cases/:trackingCode', {
    schema: {
      tags: ['public'], summary: 'Public progress of a case by its tracking code: state and timeline, no staff names or internal comments',
      params: trackingParam,
      response: { 200: PublicCaseOut, ...commonErrors },
    },
    config: { rateLimit: { max: PUBLIC_LOOKUPS_PER_MINUTE, timeWindow: 60_000 } },
  }, async (req) => publicCase(ctx, req.params.trackingCode));

  app.post('/api/public/cases/:trackingCode/reopen', {
    schema: {
      tags: ['public'], summary: 'Reopen your closed case within the reopening window (counts as rework)',
      params: trackingParam,
      body: z.strictObject({ reason: z.string().trim().min(1).max(2000), version: z.number().int().positive() }),
      response: { 200: PublicCaseOut, ...commonErrors },
    },
    config: { rateLimit: { max: PUBLIC_REPORTS_PER_WINDOW, timeWindow: WINDOW_MS, shared: true } },
  }, async (req) => {
    const row = await findCaseByTrackingCode(ctx.db, req.params.trackingCode);
    if (!row) throw new AppError('not_found', 'No case has this tracking code.');
    await actOnCase(ctx, { kind: 'public', trackingCode: req.params.trackingCode }, Number(row.id), 'reopen', { reason: req.body.reason }, req.body.version);
    return publicCase(ctx, req.params.trackingCode);
  });

  for (const variant of ['original', 'thumb'] as const) {
    app.get(variant === 'original' ? '/api/files/:sha256' : '/api/files/:sha256/thumb', {
      schema: {
        tags: ['cases'],
        summary: variant === 'original' ? 'A case photo (only of a case you may see, or of your own report with ?tracking=…)' : 'A case photo\'s thumbnail (WebP)',
        params: shaParam,
        querystring: z.strictObject({ tracking: z.string().regex(/^[A-Z2-9]{10}$/).optional() }),
        response: { 200: z.any(), ...commonErrors },
      },
    }, async (req, reply) => {
      const caller: CaseCaller | null = req.actor ?? (req.query.tracking ? { kind: 'public', trackingCode: req.query.tracking } : null);
      if (!caller) throw new AppError('unauthenticated');
      const file = await visibleFile(ctx, caller, req.params.sha256);
      const path = filePath(ctx.config.dataDir, file.sha256, variant);
      if (!existsSync(path)) throw new AppError('not_found', 'File not found.');
      reply.header('content-type', variant === 'thumb' ? 'image/webp' : file.mime);
      reply.header('cache-control', 'private, max-age=86400, immutable');
      reply.header('x-content-type-options', 'nosniff');
      return reply.send(createReadStream(path));
    });
  }
}
