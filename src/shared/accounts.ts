/**
 * What an account's username and display name may be: one rule for the API, the command line and the
 * screens. Usernames are typed at sign-in on any keyboard: 3 to 64 letters (a-z, A-Z), digits, dots,
 * dashes or underscores.
 */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,64}$/;
export const DISPLAY_NAME_MAX = 64;
