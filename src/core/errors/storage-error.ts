import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** The database or key-value store failed. */
export class StorageError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "STORAGE_ERROR";
  }
}
