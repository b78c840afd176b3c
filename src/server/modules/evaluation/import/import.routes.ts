import { z } from 'zod';
import { assertDistrictWide } from '../../../platform/access.js';
import { audit } from '../../../platform/audit.js';
import { AppError } from '../../../platform/errors.js';
import { type App, type AppContext, auditContext, commonErrors, intParam, nulRefused, permittedBeforeBody, requireActor } from '../../../platform/http.js';
import { geoService } from '../../geo/index.js';
import { beginImport, cancelImport, IMPORT_STALE_MS, importCases, ImportCancelled, ImportStopped, recoverImports, type ImportFailure, type ImportReport } from './import.service.js';
import { IMPORT_FIELDS } from './rows.js';
import { SOURCE_SYSTEM_MAX, sourceSystemOf } from './system.js';

/**
 * Historical import from the admin screen: upload a CSV (multipart: `file`, `map` as lines or
 * comma-separated `column=field` pairs, `skipInvalid`, `system`), then follow the job's progress and
 * read its row-level report. The job runs in the server; its row in eval_imports keeps its progress and
 * outcome (so the list shows imports run by another process or from the command line too).
 */
const MAX_FILE = 64 * 1024 * 1024;

/** The admin screen sends the file's text as JSON (it decodes GBK itself); other tools send multipart. */
const jsonImport = z.strictObject({
  fileName: z.string().min(1).max(200),
  csv: z.string().min(1),
  map: z.array(z.string().max(200)).max(40).default([]),
  skipInvalid: z.boolean().default(false),
  // bounded here only as text; sourceSystemOf says what a name may hold, for both kinds of upload
  system: z.string().max(1000).nullish()
    .describe(`The system the file comes from (at most ${SOURCE_SYSTEM_MAX} printable characters): its numbers (external_id) are compared with those imported from the same system only; none: one namespace shared by every import without a system`),
});

/** An import running in this process, as far as it has come; once it ends, its row holds the outcome. */
interface Job {
  id: number;
  fileName: string;
  system: string | null;
  phase: 'checking' | 'importing';
  done: number;
  total: number;
  createdAt: number;
  abort: AbortController;
  settled: Promise<unknown>;
}

const problemOut = z.object({ line: z.number(), field: z.string().nullable(), code: z.string(), value: z.string().optional(), message: z.string() });
/** An import named in the path. */
const importParams = z.strictObject({ id: intParam(z.number().int().positive()) });
const jobOut = z.object({
  id: z.number(),
  fileName: z.string(),
  system: z.string().nullable().describe('The system the file comes from, whose earlier imports its numbers are compared with; null: the namespace shared by the imports without one'),
  status: z.enum(['checking', 'importing', 'invalid', 'imported', 'failed']),
  done: z.number(),
  total: z.number(),
  imported: z.number(),
  skipped: z.number(),
  problemCount: z.number(),
  problems: z.array(problemOut),
  createdAt: z.number(),
});

/** Text of an upload: UTF-8 (with or without BOM), or GB 18030/GBK as older Chinese systems export. */
export function decodeCsv(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

export function splitMap(text: string | undefined): string[] {
  return (text ?? '').split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** What a server runs of imports: the undoing of stopped ones, and the imports uploaded to it. */
interface ImportWork {
  recovery: Promise<unknown> | null;
  /** Another look once an import left by a quick restart has been silent long enough. */
  retry: NodeJS.Timeout | null;
  jobs: Map<number, Job>;
  stopping: boolean;
}
const work = new WeakMap<AppContext, ImportWork>();
const workOf = (ctx: AppContext): ImportWork => {
  let w = work.get(ctx);
  if (!w) work.set(ctx, (w = { recovery: null, retry: null, jobs: new Map(), stopping: false }));
  return w;
};

/**
 * Undoes, in the background, the imports whose process stopped (`recoverImports`); one run at a
 * time per server. With `again`, looks once more when an import left just before this start has
 * been silent long enough to be told from a running one.
 */
export function recoverImportsSoon(ctx: AppContext, again = false): void {
  const w = workOf(ctx);
  if (w.stopping) return;
  if (again && !w.retry) {
    w.retry = setTimeout(() => {
      w.retry = null;
      recoverImportsSoon(ctx);
    }, IMPORT_STALE_MS + 5_000).unref();
  }
  if (w.recovery) return;
  w.recovery = recoverImports(ctx.db, ctx.clock.now(), () => ctx.clock.now(), () => w.stopping)
    .then((ids) => ids.length && ctx.log.warn({ imports: ids }, 'imports stopped before they ended were undone'))
    .catch((err: unknown) => ctx.log.error({ err }, 'undoing stopped imports failed'))
    .finally(() => (w.recovery = null));
}

/**
 * A stopping server ends its import work between two chunks: the undoing of stopped imports, and
 * its own running imports, which stay as they are for the next start to undo (undoing them now could
 * take as long as they took).
 */
export async function stopImports(ctx: AppContext): Promise<void> {
  const w = workOf(ctx);
  w.stopping = true;
  if (w.retry) clearTimeout(w.retry);
  for (const job of w.jobs.values()) job.abort.abort(new ImportStopped('The server stopped during the import; the next start undoes it.'));
  await Promise.all([w.recovery, ...[...w.jobs.values()].map((job) => job.settled)]);
}

export async function importRoutes(app: App): Promise<void> {
  const { db, clock } = app.ctx;
  const { jobs } = workOf(app.ctx);

  // an import running in this process answers from memory; any other (ended, or running in another
  // process or from the command line) from its row
  const present = async (id: number): Promise<z.infer<typeof jobOut>> => {
    const job = jobs.get(id);
    if (job) {
      return { id, fileName: job.fileName, system: job.system, status: job.phase, done: job.done, total: job.total, imported: 0, skipped: 0, problemCount: 0, problems: [], createdAt: job.createdAt };
    }
    const row = await db.selectFrom('eval_imports').select(['file_name', 'source_system', 'status', 'total', 'done', 'report', 'created_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'Import not found.');
    const stored = row.report ? (JSON.parse(row.report) as Partial<ImportReport> & { error?: string; code?: ImportFailure }) : null;
    const report = stored?.status ? (stored as ImportReport) : null;
    const error = stored?.error ?? null;
    const status = error ? 'failed' : report ? report.status : Number(row.done) > 0 ? 'importing' : 'checking';
    return {
      id, fileName: row.file_name, system: row.source_system, status, done: Number(row.done), total: Number(row.total),
      imported: report?.imported ?? 0, skipped: report?.skipped ?? 0, problemCount: report?.problemCount ?? 0,
      // a failure's code says why (cancelled, interrupted, failed), for the screen to say in its reader's language
      problems: error ? [{ line: 0, field: null, code: stored?.code ?? 'failed', message: error }] : (report?.problems ?? []), createdAt: Number(row.created_at),
    };
  };

  app.post('/api/evaluation/imports', {
    schema: {
      tags: ['evaluation'], summary: 'Import historical cases from a CSV (JSON {fileName, csv, map, skipInvalid, system}, or multipart: file, map, skipInvalid, system); answers at once with the job to follow',
      consumes: ['application/json', 'multipart/form-data'],
      body: jsonImport.nullish(),
      response: { 202: jobOut, ...commonErrors },
    },
    bodyLimit: MAX_FILE * 2,
    // the sender's district-wide grant is checked before the body is read, once
    onRequest: permittedBeforeBody('evaluation.configure', (_req, actor) => assertDistrictWide(db, actor, 'evaluation.configure')),
  }, async (req, reply) => {
    const actor = requireActor(req);
    let file: { name: string; text: string; bytes: number } | null = null;
    let skipInvalid = false;
    let pairs: string[] = [];
    let systemText: string | null | undefined;
    if (req.isMultipart()) {
      const fields: Record<string, string> = {};
      for await (const part of req.parts({ limits: { fileSize: MAX_FILE, files: 1 } })) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file') throw new AppError('validation_failed', 'The CSV goes in the field "file".', { field: part.fieldname });
          const buffer = await part.toBuffer();
          if (part.file.truncated) throw new AppError('payload_too_large', `The file is larger than ${MAX_FILE / 1024 / 1024} MB; use the command line (onegrid import cases).`);
          file = { name: part.filename || 'import.csv', text: decodeCsv(buffer), bytes: buffer.length };
          if (file.text.includes('\u0000')) throw nulRefused(part.fieldname);
        } else fields[part.fieldname] = String(part.value);
      }
      skipInvalid = fields.skipInvalid === 'true';
      pairs = splitMap(fields.map);
      systemText = fields.system;
    } else if (req.body) {
      file = { name: req.body.fileName, text: req.body.csv, bytes: req.body.csv.length };
      skipInvalid = req.body.skipInvalid;
      pairs = req.body.map.map((p) => p.trim()).filter(Boolean);
      systemText = req.body.system;
    }
    if (!file) throw new AppError('validation_failed', 'Attach the CSV in the field "file".', { field: 'file' });
    const bad = pairs.find((p) => !(IMPORT_FIELDS as readonly string[]).includes(p.slice(p.lastIndexOf('=') + 1).trim()));
    if (bad) throw new AppError('validation_failed', `"${bad}" is not column=field (fields: ${IMPORT_FIELDS.join(', ')}).`, { field: 'map' });
    const system = sourceSystemOf(systemText);

    const now = clock.now();
    const id = await db.transaction().execute(async (tx) => {
      const id = await beginImport(tx, { fileName: file!.name, system, createdBy: actor.kind === 'user' ? actor.id : null, now });
      await audit(tx, auditContext(req, now), { action: 'evaluation.import', targetType: 'eval_import', targetId: id, detail: { fileName: file!.name, bytes: file!.bytes, map: pairs, skipInvalid, system } });
      return id;
    });
    const locator = geoService(app.ctx.services);
    const abort = new AbortController();
    const job: Job = { id, fileName: file.name, system, phase: 'checking', done: 0, total: 0, createdAt: now, abort, settled: Promise.resolve() };
    // the import keeps its row up to date and finishes it (or undoes itself)
    job.settled = importCases(db, file.text, pairs, {
      importId: id, system, skipInvalid, now, clock: () => clock.now(), signal: abort.signal,
      locate: (points, times) => locator.locateManyAt(points, times),
      onProgress: (phase, done, total) => Object.assign(job, { phase, done, total }),
    }).catch((err: unknown) => req.log.error({ err }, 'import failed'))
      .finally(() => jobs.delete(id));
    jobs.set(id, job);
    return reply.code(202).send(await present(id));
  });

  app.post('/api/evaluation/imports/:id/cancel', {
    schema: {
      tags: ['evaluation'], summary: 'Cancel a running import: it stops within one chunk and removes the cases it wrote (answers at once; follow the import to its end)',
      params: importParams,
      response: { 202: jobOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    await assertDistrictWide(db, actor, 'evaluation.configure');
    const id = req.params.id;
    const now = clock.now();
    const cancelled = await db.transaction().execute(async (tx) => {
      const exists = await tx.selectFrom('eval_imports').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) throw new AppError('not_found', 'Import not found.');
      if (!(await cancelImport(tx, id))) return false;
      await audit(tx, auditContext(req, now), { action: 'evaluation.import.cancel', targetType: 'eval_import', targetId: id, detail: {} });
      return true;
    });
    if (!cancelled) throw new AppError('conflict', 'The import has ended; only a running import can be cancelled.');
    // one running here stops at once; one running elsewhere at its next heartbeat
    jobs.get(id)?.abort.abort(new ImportCancelled());
    return reply.code(202).send(await present(id));
  });

  app.get('/api/evaluation/imports/:id', {
    schema: {
      tags: ['evaluation'], summary: 'Progress and row-level report of an import',
      params: importParams,
      response: { 200: jobOut, ...commonErrors },
    },
  }, async (req) => {
    await assertDistrictWide(db, requireActor(req), 'evaluation.configure');
    return present(req.params.id);
  });

  app.get('/api/evaluation/imports', {
    schema: {
      tags: ['evaluation'], summary: 'Recent imports',
      response: { 200: z.object({ items: z.array(jobOut) }), ...commonErrors },
    },
  }, async (req) => {
    await assertDistrictWide(db, requireActor(req), 'evaluation.configure');
    // an import whose process stopped is undone from here too (a server also looks when it starts)
    recoverImportsSoon(app.ctx);
    const rows = await db.selectFrom('eval_imports').select('id').orderBy('id', 'desc').limit(20).execute();
    return { items: await Promise.all(rows.map((r) => present(Number(r.id)))) };
  });
}
