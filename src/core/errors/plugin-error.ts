import { AstrOSError } from "./astros-error.js";
import type { ErrorCode } from "./error-codes.js";

/** Plugin-related failures: loading, manifests, handlers, timeouts. */
export class PluginError extends AstrOSError {
  protected override defaultCode(): ErrorCode {
    return "PLUGIN_HANDLER_FAILED";
  }
}
