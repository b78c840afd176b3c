import { AppError } from '../../platform/errors.js';
import { malformedMultipart } from '../../platform/http.js';
import type { Document } from './format.js';

/**
 * Open311 errors: `<errors><error><code>403</code><description>…</description></error></errors>`
 * (a JSON array of {code, description}), the HTTP status equal to the code. The specification names
 * 400 (a missing or bad argument), 403 (a bad api_key) and 404 (an unknown service, request,
 * token or jurisdiction); 429 and 500 keep their HTTP meaning. The JSON API's error shape is never
 * used under /open311.
 */
export class Open311Error extends Error {
  constructor(readonly status: number, readonly descriptions: readonly string[]) {
    super(descriptions.join(' '));
  }
}

export const badRequest = (...descriptions: string[]) => new Open311Error(400, descriptions);
export const badKey = (description = 'Invalid api_key: the key is unknown or revoked.') => new Open311Error(403, [description]);
export const notFound = (description: string) => new Open311Error(404, [description]);

export function errorDocument(e: Open311Error): Document {
  return { root: 'errors', value: e.descriptions.map((description) => ({ code: e.status, description })) };
}

/** Any error raised while answering, in Open311 terms; details of 5xx never leave the server. */
export function toOpen311Error(err: unknown): Open311Error {
  if (err instanceof Open311Error) return err;
  const multipart = malformedMultipart(err);
  if (multipart) return new Open311Error(400, [multipart.message]);
  if (err instanceof AppError) {
    switch (err.code) {
      case 'invalid_api_key':
      case 'unauthenticated':
      case 'forbidden':
      case 'csrf_failed':
        return new Open311Error(403, [err.message]);
      case 'not_found':
      case 'route_not_found':
        return new Open311Error(404, [err.message]);
      case 'rate_limited':
        return new Open311Error(429, ['Too many requests for this api_key; try again later.']);
      case 'payload_too_large':
        return new Open311Error(413, [err.message]);
      case 'unsupported_media_type':
        return new Open311Error(415, [err.message]);
      case 'internal':
      case 'unavailable':
        return new Open311Error(500, ['Something went wrong on our side.']);
      default:
        // validation, state conflicts and locations outside the district are the caller's to fix
        return err.status < 500 ? new Open311Error(400, [err.message]) : new Open311Error(500, ['Something went wrong on our side.']);
    }
  }
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e?.statusCode === 429) return new Open311Error(429, ['Too many requests for this api_key; try again later.']);
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e?.code === 'FST_REQ_FILE_TOO_LARGE' || e?.code === 'FST_FILES_LIMIT') {
    return new Open311Error(413, ['The request is too large.']);
  }
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e?.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new Open311Error(415, ['Send application/x-www-form-urlencoded or multipart/form-data.']);
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new Open311Error(400, [e.message ?? 'Bad request.']);
  }
  return new Open311Error(500, ['Something went wrong on our side.']);
}
