import { AsyncLocalStorage } from "node:async_hooks";
import type { AgentEventPayload } from "../core/events/agent-event.js";
import type { UserRequest } from "../core/types/user-request.js";
import type { ConfirmationChannel } from "./pipeline-seams.js";

/** The request a piece of plugin code is running for; lets `callPlugin` continue in the same request. */
export interface ExecutionScope {
  request: UserRequest;
  requestId: string;
  emit: (event: AgentEventPayload) => void;
  signal: AbortSignal;
  confirm: ConfirmationChannel | undefined;
  /** The session's workspace folder (an extra allowed root), set by the interface. */
  workspace?: string;
  /** Only the workspace may be touched (a server user); see ProcessOptions.confine. */
  confined?: boolean;
  /** How many callPlugin hops deep we are. */
  depth: number;
}

export const executionScope = new AsyncLocalStorage<ExecutionScope>();
