import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import exifr from 'exifr';
import type { Executor } from './db.js';
import { AppError } from './errors.js';

/**
 * Photos: checked by content (never by name or declared type), size-limited, stored once per
 * content under <dataDir>/files/ab/cd/<sha256>, with a thumbnail beside it. The EXIF position and
 * time are kept so a report without a location can use the photo's.
 */
export const PHOTO_TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heif: 'image/heic' };
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTO_PIXELS = 50_000_000;
const THUMB_WIDTH = 360;

export interface StoredFile {
  sha256: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  exifLon: number | null;
  exifLat: number | null;
  takenAt: number | null;
}

export function filePath(dataDir: string, sha: string, variant: 'original' | 'thumb' = 'original'): string {
  return join(dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4), variant === 'thumb' ? `${sha}.thumb.webp` : sha);
}

/**
 * Reads and checks a photo and makes its thumbnail; throws unsupported_media_type / payload_too_large;
 * writes nothing. The image work happens here, before any transaction, so storing stays quick.
 */
export async function inspectPhoto(buffer: Buffer): Promise<StoredFile & { buffer: Buffer; thumb: Buffer }> {
  if (buffer.length > MAX_PHOTO_BYTES) throw new AppError('payload_too_large', `A photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`);
  if (buffer.length === 0) throw new AppError('unsupported_media_type', 'The photo is empty.');
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(buffer, { limitInputPixels: MAX_PHOTO_PIXELS }).metadata();
  } catch {
    throw new AppError('unsupported_media_type', 'The file is not a readable image (JPEG, PNG, WebP or HEIC).');
  }
  const mime = meta.format ? PHOTO_TYPES[meta.format] : undefined;
  if (!mime || !meta.width || !meta.height) {
    throw new AppError('unsupported_media_type', `Photos must be JPEG, PNG, WebP or HEIC, not ${meta.format ?? 'unknown'}.`);
  }
  let exifLon: number | null = null, exifLat: number | null = null, takenAt: number | null = null;
  try {
    const gps = await exifr.gps(buffer);
    if (gps && Number.isFinite(gps.longitude) && Number.isFinite(gps.latitude)) {
      exifLon = gps.longitude;
      exifLat = gps.latitude;
    }
    const tags = await exifr.parse(buffer, ['DateTimeOriginal']);
    if (tags?.DateTimeOriginal instanceof Date) takenAt = tags.DateTimeOriginal.getTime();
  } catch {
    // a photo without readable EXIF is still a photo
  }
  const sha = createHash('sha256').update(buffer).digest('hex');
  let thumb: Buffer;
  try {
    thumb = await sharp(buffer, { limitInputPixels: MAX_PHOTO_PIXELS }).rotate().resize({ width: THUMB_WIDTH, withoutEnlargement: true }).webp({ quality: 72 }).toBuffer();
  } catch {
    throw new AppError('unsupported_media_type', 'The image data is damaged.');
  }
  return { sha256: sha, mime, size: buffer.length, width: meta.width, height: meta.height, exifLon, exifLat, takenAt, buffer, thumb };
}

/** Stores an inspected photo and its thumbnail (idempotent: the same content is stored once). */
export async function storePhoto(db: Executor, dataDir: string, photo: StoredFile & { buffer: Buffer; thumb: Buffer }, now: number): Promise<StoredFile> {
  const original = filePath(dataDir, photo.sha256);
  if (!existsSync(original)) {
    mkdirSync(dirname(original), { recursive: true });
    // write to temporary names first so a crash never leaves a half-written file under the real name
    // (names of this writer's own: another process storing the same photo at once renames its copy)
    const tmp = `${original}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(`${tmp}.tmp`, photo.buffer);
    writeFileSync(`${tmp}.thumb.tmp`, photo.thumb);
    renameSync(`${tmp}.thumb.tmp`, filePath(dataDir, photo.sha256, 'thumb'));
    renameSync(`${tmp}.tmp`, original);
  }
  // the same photo sent in two reports at once (on PostgreSQL, in two open transactions) is one row
  await db.insertInto('files').values({
    sha256: photo.sha256, mime: photo.mime, size: photo.size, width: photo.width, height: photo.height,
    exif_lon: photo.exifLon, exif_lat: photo.exifLat, taken_at: photo.takenAt, created_at: now,
  }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const { buffer: _b, thumb: _t, ...stored } = photo;
  return stored;
}
