import type { TFunction } from 'i18next';
import { ApiError, NETWORK_ERROR } from './api.js';

/** The server's error catalogue (docs/errors.md) in the user's words; an unknown code shows the server's message. */
const KNOWN = new Set([
  'validation_failed', 'malformed_body', 'unsupported_media_type', 'payload_too_large', 'unauthenticated',
  'invalid_credentials', 'session_expired', 'invalid_api_key', 'csrf_failed', 'forbidden', 'account_locked',
  'account_disabled', 'rate_limited', 'not_found', 'route_not_found', 'method_not_allowed', 'conflict',
  'already_exists', 'stale_version', 'outside_district', 'invalid_geometry', 'import_failed',
  'action_not_allowed', 'unprocessable', 'internal', 'unavailable', NETWORK_ERROR,
]);

function formatTime(iso: string, lang: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

/** Turns any thrown value into one sentence in the user's language. */
export function describeError(err: unknown, t: TFunction, lang: string): string {
  if (!(err instanceof ApiError)) {
    return t('errors.unknown', { message: err instanceof Error ? err.message : String(err) });
  }
  if (!KNOWN.has(err.code)) return t('errors.unknown', { message: err.message });
  switch (err.code) {
    case 'account_locked': {
      const until = (err.details as { until?: unknown } | null)?.until;
      const when = typeof until === 'string' ? formatTime(until, lang) : null;
      return when ? t('errors.account_locked', { until: when }) : t('errors.account_locked_noTime');
    }
    case 'internal':
      return err.requestId ? t('errors.internal', { requestId: err.requestId }) : t('errors.internal_noId');
    case NETWORK_ERROR:
      return t('errors.network');
    default:
      return t(`errors.${err.code}` as 'errors.not_found');
  }
}
