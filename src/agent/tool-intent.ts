import type { Intent } from "../core/types/intent.js";
import type { UserRequest } from "../core/types/user-request.js";

/** The intent that runs one named tool with these arguments (an interface or a model named it). */
export function toolIntent(request: UserRequest, tool: string, args: Record<string, unknown>): Intent {
  return {
    type: tool,
    confidence: 1,
    entities: args,
    context: { ...request.context },
    timestamp: request.timestamp,
    originalRequest: request,
  };
}
