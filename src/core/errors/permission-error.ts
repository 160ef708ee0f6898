import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** An action was refused by permissions or the guard. */
export class PermissionError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "PERMISSION_DENIED";
  }
}
