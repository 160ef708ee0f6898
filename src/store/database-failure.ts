import { AstrOSError } from "../core/errors/astros-error.js";
import { StorageError } from "../core/errors/storage-error.js";
import type { DatabaseDialect } from "./database-manager.js";

export interface DatabaseFailureOptions {
  /** What was being done, as the start of a sentence: "The query", "Inserting into \"notes\"". */
  action: string;
  error: unknown;
  dialect: DatabaseDialect;
  location: string;
}

const networkErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EPIPE", "EAI_AGAIN"]);

/**
 * Turns an error thrown by a database driver into a StorageError that names what failed.
 * AstrOS errors pass through unchanged. Lost connections (PostgreSQL) and a locked database
 * (SQLite) become STORAGE_UNAVAILABLE, because retrying later can succeed.
 */
export function toStorageError(options: DatabaseFailureOptions): AstrOSError {
  const { error, dialect, location } = options;
  if (AstrOSError.isInstance(error)) return error;
  const databaseCode = errorCode(error);
  const reason = errorReason(error);
  const details: Record<string, unknown> = { dialect, location };
  if (databaseCode !== undefined) details.databaseCode = databaseCode;

  if (isUnavailable(dialect, databaseCode)) {
    return new StorageError(`${options.action} failed because the database at ${location} is unavailable: ${reason}`, {
      code: "STORAGE_UNAVAILABLE",
      recovery:
        dialect === "sqlite"
          ? "Another process holds a lock on the database file; try again when it has finished."
          : "Check that the PostgreSQL server is running and reachable, then try again.",
      details,
      cause: error,
    });
  }
  return new StorageError(`${options.action} failed: ${reason}`, { details, cause: error });
}

/** The driver's error code: a SQLSTATE on PostgreSQL, SQLITE_* on SQLite, or a Node network code. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The error's message, or its code when the message is empty (Node's AggregateError for refused connections). */
export function errorReason(error: unknown): string {
  if (error instanceof Error && error.message !== "") return error.message;
  return errorCode(error) ?? String(error);
}

function isUnavailable(dialect: DatabaseDialect, code: string | undefined): boolean {
  if (code === undefined) return false;
  if (dialect === "sqlite") return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
  return networkErrorCodes.has(code) || code.startsWith("08") || code === "57P01" || code === "57P03";
}
