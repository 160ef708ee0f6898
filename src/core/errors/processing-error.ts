import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** A request could not be processed. */
export class ProcessingError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "PROCESSING_FAILED";
  }
}
