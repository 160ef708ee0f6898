import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** Configuration could not be read or is invalid. */
export class ConfigError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "CONFIG_INVALID";
  }
}
