import { AuthenticationError } from "../core/errors/authentication-error.js";

// The users-and-sessions layer's failures, worded in one place. None carries a password, a token or a key,
// and a failed sign-in never says whether the username exists.

/** Why a token, session or API key was not accepted: past its time, withdrawn, or not one of ours. */
export type AuthenticationFailureReason = "expired" | "revoked" | "invalid";

const failureMessages: Record<AuthenticationFailureReason, string> = {
  expired: "the session has expired",
  revoked: "the session or key has been revoked",
  invalid: "the token or key is not valid",
};

/** A token, session or API key that does not let anyone in; `details.reason` says which way it failed. */
export function authenticationFailedError(options: {
  reason: AuthenticationFailureReason;
  cause?: unknown;
}): AuthenticationError {
  return new AuthenticationError(failureMessages[options.reason], {
    recovery: "Sign in again (or use a valid API key).",
    details: { reason: options.reason },
    cause: options.cause,
  });
}

/** Wrong username or wrong password: one message for both, so nobody learns which names exist. */
export function wrongCredentialsError(): AuthenticationError {
  return new AuthenticationError("wrong username or password", {
    recovery: "Check the username and password and try again.",
    details: { reason: "invalid" },
  });
}

export function usernameInvalidError(options: { username: string }): AuthenticationError {
  const shown = options.username.length > 80 ? `${options.username.slice(0, 80)}…` : options.username;
  return new AuthenticationError(`"${shown}" is not a valid username`, {
    code: "USERNAME_INVALID",
    recovery: "Use 1 to 64 characters: letters, digits, '.', '_', '-' and '@' (e.g. ann or ann@example.com).",
  });
}

export function passwordInvalidError(options: { reason: string }): AuthenticationError {
  return new AuthenticationError(`the password is not acceptable: ${options.reason}`, {
    code: "PASSWORD_INVALID",
    recovery: "Choose a password of 12 to 1024 characters; a few unrelated words make a long one easy to remember.",
  });
}

/** The password typed twice at a prompt came out different. */
export function passwordsDifferError(): AuthenticationError {
  return new AuthenticationError("the two passwords typed do not match", {
    code: "PASSWORD_INVALID",
    recovery: "Run the command again and type the same password twice.",
  });
}

export function userExistsError(options: { username: string }): AuthenticationError {
  return new AuthenticationError(`a user named "${options.username}" already exists`, {
    code: "USER_EXISTS",
    recovery: "Choose another username (names differing only in case are the same user), or change this user's password.",
    details: { username: options.username },
  });
}

/** No such user, named by username (people) or by id (programs). */
export function userNotFoundError(options: { username: string } | { id: string }): AuthenticationError {
  const named = "username" in options ? `named "${options.username}"` : `with id "${options.id}"`;
  return new AuthenticationError(`no user ${named}`, {
    code: "USER_NOT_FOUND",
    recovery: "`astros users list` shows the users.",
    details: { ...options },
  });
}

export function apiKeyNameInvalidError(): AuthenticationError {
  return new AuthenticationError("an API key's name must be 1 to 100 characters without control characters", {
    code: "API_KEY_NAME_INVALID",
    recovery: 'Name the key after the program that will use it, e.g. "backup script".',
  });
}
