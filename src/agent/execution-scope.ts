import { AsyncLocalStorage } from "node:async_hooks";
import type { AgentEventPayload } from "../core/events/agent-event.js";
import type { UserRequest } from "../core/types/user-request.js";
import type { ConfirmationChannel } from "./pipeline-seams.js";
import type { TurnTaint } from "./turn-taint.js";

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
  /** Text that did not come from the person and reached this request (shared by all its calls). */
  taint?: TurnTaint;
  /** The call was proposed by an AI model (and so is everything it calls through callPlugin). */
  modelProposed?: boolean;
  /**
   * Where a question about a model's change after taint goes when no person can be asked now (the LLM
   * turn's deferring channel: the turn ends and the caller is asked). Without one, such a change is refused.
   */
  untrustedFallback?: ConfirmationChannel;
}

export const executionScope = new AsyncLocalStorage<ExecutionScope>();
