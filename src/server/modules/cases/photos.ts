import type { FastifyRequest } from 'fastify';
import type { Action } from '../../../shared/cases/index.js';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { nulRefused } from '../../platform/http.js';
import { inspectPhoto, storePhoto, type StoredFile } from '../../platform/files.js';
import type { PhotoKind } from './events.repo.js';

/**
 * Photos arriving with a report or an action: read from multipart parts, every one checked by
 * content before anything is written, so one bad photo refuses the whole request with nothing stored.
 */
export const PHOTO_FIELDS = ['photos', 'photos_before', 'photos_after'] as const;
export type PhotoField = (typeof PHOTO_FIELDS)[number];
export const MAX_PHOTOS_PER_REQUEST = 9;

export interface IncomingPhoto {
  field: PhotoField;
  buffer: Buffer;
}

export type InspectedPhoto = Awaited<ReturnType<typeof inspectPhoto>> & { field: PhotoField };

export function isMultipart(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** Text fields and photo files of a multipart request; numbers are parsed where the schema wants them. */
export async function readMultipart(req: FastifyRequest, numeric: readonly string[]): Promise<{ body: Record<string, unknown>; photos: IncomingPhoto[] }> {
  const body: Record<string, unknown> = {};
  const photos: IncomingPhoto[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (!(PHOTO_FIELDS as readonly string[]).includes(part.fieldname)) {
        throw new AppError('validation_failed', `Files go in the fields ${PHOTO_FIELDS.join(', ')}, not ${part.fieldname}.`, { field: part.fieldname });
      }
      const buffer = await part.toBuffer();
      if (photos.length >= MAX_PHOTOS_PER_REQUEST) throw new AppError('validation_failed', `At most ${MAX_PHOTOS_PER_REQUEST} photos.`, { field: part.fieldname });
      photos.push({ field: part.fieldname as PhotoField, buffer });
    } else {
      const raw = String(part.value);
      if (raw.includes('\u0000')) throw nulRefused(part.fieldname);
      if (Object.hasOwn(body, part.fieldname)) throw new AppError('validation_failed', `The field ${part.fieldname} appears twice.`, { field: part.fieldname });
      body[part.fieldname] = numeric.includes(part.fieldname) && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    }
  }
  return { body, photos };
}

export async function inspectAll(photos: readonly IncomingPhoto[]): Promise<InspectedPhoto[]> {
  if (photos.length > MAX_PHOTOS_PER_REQUEST) throw new AppError('validation_failed', `At most ${MAX_PHOTOS_PER_REQUEST} photos.`);
  const out: InspectedPhoto[] = [];
  for (const [i, p] of photos.entries()) {
    try {
      out.push({ ...(await inspectPhoto(p.buffer)), field: p.field });
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, `Photo ${i + 1}: ${e.message}`, { field: p.field, index: i });
      throw e;
    }
  }
  return out;
}

/** Which case_photos kind a photo of this action and field is. */
export function photoKind(action: Action, field: PhotoField): PhotoKind {
  if (field === 'photos_before') return 'before';
  if (field === 'photos_after') return 'after';
  if (action === 'feedback') return 'feedback';
  if (action === 'check_pass' || action === 'check_fail') return 'check';
  return 'report';
}

export async function storeAll(db: Executor, dataDir: string, photos: readonly InspectedPhoto[], now: number): Promise<StoredFile[]> {
  const out: StoredFile[] = [];
  for (const p of photos) out.push(await storePhoto(db, dataDir, p, now));
  return out;
}

/** The first photo's EXIF position, for a report sent without one. */
export function exifPosition(photos: readonly InspectedPhoto[]): { lon: number; lat: number } | null {
  const p = photos.find((x) => x.exifLon !== null && x.exifLat !== null);
  return p ? { lon: p.exifLon!, lat: p.exifLat! } : null;
}
