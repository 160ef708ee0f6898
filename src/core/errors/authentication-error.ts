import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** Credentials or a session were not accepted. */
export class AuthenticationError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "AUTHENTICATION_FAILED";
  }
}
