import { usernameInvalidError } from "./user-errors.js";

const usernamePattern = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Refuse a username that is not 1 to 64 ASCII letters, digits, `.`, `_`, `-` or `@` (USERNAME_INVALID).
 * ASCII only, so no two names look alike on screen while differing in the database.
 */
export function assertUsername(username: string): void {
  if (!usernamePattern.test(username)) throw usernameInvalidError({ username });
}

/** Whether `username` has the form assertUsername accepts. */
export function isValidUsername(username: string): boolean {
  return usernamePattern.test(username);
}

/** The form usernames are unique and looked up in: "Ann" and "ann" are one user. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}
