import { AuthenticationError } from "../core/errors/authentication-error.js";
import { PermissionError } from "../core/errors/permission-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import { StorageError } from "../core/errors/storage-error.js";

// The credential store's failures, worded in one place. None of them ever carries a secret or a credential value.

/** No master secret could be obtained: no keyring, no passphrase, no key file for an existing store. */
export function credentialsLockedError(options: { reason: string; recovery: string; cause?: unknown }): AuthenticationError {
  return new AuthenticationError(`cannot unlock the credential store: ${options.reason}`, {
    code: "CREDENTIALS_LOCKED",
    recovery: options.recovery,
    cause: options.cause,
  });
}

/** The master secret does not match the one the store was encrypted with. */
export function wrongKeyError(options: { file: string; origin: string }): AuthenticationError {
  return new AuthenticationError(`wrong passphrase (or key) for the credential store ${options.file}`, {
    code: "CREDENTIALS_WRONG_KEY",
    recovery: `The secret came from ${options.origin}; use the passphrase or key the store was created with.`,
    details: { file: options.file, origin: options.origin },
  });
}

/** The store's bytes are not what AstrOS wrote: edited, truncated or damaged. */
export function tamperedError(options: { file: string; reason: string; cause?: unknown }): StorageError {
  return new StorageError(`the credential store has been tampered with or is corrupt: ${options.file} (${options.reason})`, {
    code: "CREDENTIALS_TAMPERED",
    recovery:
      "Restore the file from a backup, or move it aside and set the credentials again. AstrOS never reads a store it cannot authenticate.",
    details: { file: options.file, reason: options.reason },
    cause: options.cause,
  });
}

/** A store written in a format version or with algorithms this AstrOS does not know. */
export function unsupportedStoreError(options: { file: string; reason: string }): StorageError {
  return new StorageError(`the credential store ${options.file} uses ${options.reason}, which this AstrOS cannot read`, {
    code: "CREDENTIALS_UNSUPPORTED",
    recovery: "Update AstrOS to the version that wrote the store.",
    details: { file: options.file, reason: options.reason },
  });
}

/** A key file other users could read. */
export function insecureKeyFileError(options: { file: string; mode: number }): PermissionError {
  const mode = (options.mode & 0o777).toString(8).padStart(3, "0");
  return new PermissionError(
    `the key file ${options.file} can be read or changed by other users (mode ${mode}); refusing to use it`,
    {
      code: "CREDENTIALS_KEY_FILE_INSECURE",
      recovery: `Make it private with: chmod 600 ${options.file}`,
      details: { file: options.file, mode },
    },
  );
}

/** A credential name or value the store does not accept. */
export function invalidCredentialError(options: { message: string; recovery: string }): ProcessingError {
  return new ProcessingError(options.message, { code: "CREDENTIAL_INVALID", recovery: options.recovery });
}

/** No credential by that name. */
export function credentialNotFoundError(options: { name: string }): StorageError {
  return new StorageError(`no credential named "${options.name}"`, {
    code: "CREDENTIAL_NOT_FOUND",
    recovery: "`astros credentials list` shows the names stored.",
    details: { name: options.name },
  });
}
