import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/**
 * A rate limit refused the request (`RATE_LIMITED`, HTTP 429), or the request is larger than a
 * whole limit allows (`REQUEST_TOO_LARGE`, HTTP 413: waiting does not help).
 * `details.retryAfterSeconds` says when to try again, for an HTTP `Retry-After` header.
 */
export class RateLimitError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "RATE_LIMITED";
  }

  /** Whole seconds (at least 1) until the request may be allowed; undefined when waiting does not help. */
  get retryAfterSeconds(): number | undefined {
    const seconds = this.details.retryAfterSeconds;
    return typeof seconds === "number" ? seconds : undefined;
  }
}
