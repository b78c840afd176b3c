/**
 * The one error catalogue. Every error the API returns has a stable code from this table,
 * documented in docs/errors.md (a test fails when a code is missing there).
 * Shape on the wire: { "error": { "code", "message", "details" } }.
 */
export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  malformed_body: { status: 400, message: 'The request body could not be parsed.' },
  unsupported_media_type: { status: 415, message: 'This content type is not accepted here.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unauthenticated: { status: 401, message: 'Sign in first.' },
  invalid_credentials: { status: 401, message: 'Wrong username or password.' },
  session_expired: { status: 401, message: 'Your session has ended; sign in again.' },
  invalid_api_key: { status: 401, message: 'The API key is unknown or revoked.' },
  csrf_failed: { status: 403, message: 'The request did not carry a valid CSRF token.' },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  account_locked: { status: 423, message: 'This account is locked after repeated failed sign-ins.' },
  account_disabled: { status: 403, message: 'This account is disabled.' },
  rate_limited: { status: 429, message: 'Too many requests; try again later.' },
  not_found: { status: 404, message: 'Not found.' },
  route_not_found: { status: 404, message: 'No such API route.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here.' },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  already_exists: { status: 409, message: 'Something with this identifier already exists.' },
  stale_version: { status: 409, message: 'The object was changed by someone else; reload it.' },
  outside_district: { status: 422, message: 'The location lies outside the district.' },
  invalid_geometry: { status: 422, message: 'The geometry is not valid.' },
  import_failed: { status: 422, message: 'The file has invalid entries; nothing was imported.' },
  action_not_allowed: { status: 409, message: 'This action is not allowed in the current state.' },
  unprocessable: { status: 422, message: 'The request is well-formed but cannot be carried out.' },
  internal: { status: 500, message: 'Something went wrong on our side; quote the request id.' },
  unavailable: { status: 503, message: 'The service is not available right now.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = details ?? null;
  }
}

export const notFound = (what?: string) => new AppError('not_found', what ? `${what} not found.` : undefined);

export function errorBody(code: ErrorCode, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

/** JSON schema of the error body, for route response declarations and the OpenAPI document. */
export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
        message: { type: 'string' },
        details: {},
      },
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
} as const;
