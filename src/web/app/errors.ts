import type { TFunction } from 'i18next';
import { ApiError, NETWORK_ERROR } from './api.js';
import { zh } from './locale.js';

/** Codes with words of their own in the UI (docs/errors.md, in the user's language). */
const TRANSLATED = new Set(Object.keys(zh.errors));

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
  // A code the UI does not know yet still gets the server's own sentence.
  if (!TRANSLATED.has(err.code) || err.code === 'unknown') return t('errors.unknown', { message: err.message });
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
