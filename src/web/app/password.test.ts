import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_ERROR } from './api.js';
import { passwordRefusal } from './password.js';

describe('a refused change of one\'s own password', () => {
  it('names the field and the words for each reason the server gives', () => {
    const refused = (reason: string) => new ApiError(400, 'validation_failed', 'x', { field: 'f', reason });
    expect(passwordRefusal(refused('wrong_password'))).toEqual({ field: 'currentPassword', key: 'wrong' });
    expect(passwordRefusal(refused('weak_password'))).toEqual({ field: 'newPassword', key: 'invalid' });
    expect(passwordRefusal(refused('same_password'))).toEqual({ field: 'newPassword', key: 'same' });
  });

  it('leaves anything else to the caller', () => {
    expect(passwordRefusal(new ApiError(400, 'validation_failed', 'x', { field: 'newPassword' }))).toBeNull();
    expect(passwordRefusal(new ApiError(0, NETWORK_ERROR, 'offline'))).toBeNull();
    expect(passwordRefusal(new ApiError(401, 'unauthenticated', 'x'))).toBeNull();
    expect(passwordRefusal(new Error('boom'))).toBeNull();
  });
});
