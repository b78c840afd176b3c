/**
 * The password rule, one for the server (on every account created and every password set) and for
 * the screens (to say so before the round trip): 10 to 200 characters, letters and digits.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'at least 10 characters';
  if (password.length > 200) return 'at most 200 characters';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'letters and digits';
  return null;
}
