import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** Failures of an AI provider. */
export class AIError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "AI_PROVIDER_ERROR";
  }
}
