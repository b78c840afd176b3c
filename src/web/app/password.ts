import { api, ApiError } from './api.js';

/** The signed-in person's own password, changed (`POST /api/auth/password`); the console and the field app both call it. */
export const changeOwnPassword = (currentPassword: string, newPassword: string) =>
  api.post<void>('/api/auth/password', { currentPassword, newPassword });

/**
 * A refusal of the change that belongs to one field of the form, with the key of its words under
 * `layout.password`; null for anything else (network, session), which the caller describes.
 */
export function passwordRefusal(err: unknown): { field: 'currentPassword' | 'newPassword'; key: 'wrong' | 'invalid' | 'same' } | null {
  if (!(err instanceof ApiError) || err.code !== 'validation_failed') return null;
  switch ((err.details as { reason?: string } | null)?.reason) {
    case 'wrong_password': return { field: 'currentPassword', key: 'wrong' };
    case 'weak_password': return { field: 'newPassword', key: 'invalid' };
    case 'same_password': return { field: 'newPassword', key: 'same' };
    default: return null;
  }
}
