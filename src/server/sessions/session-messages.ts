import type { AgentEvent } from "../../core/events/agent-event.js";

/**
 * An agent event as the seed's session WebSocket message (flat, snake_case, with a timestamp), or
 * undefined for events the seed has no message for. `task_started` and `task_completed` are sent by
 * the task runner itself, so they go out even when the agent refuses a task before it starts.
 */
export function sessionMessage(event: AgentEvent): Record<string, unknown> | undefined {
  const timestamp = new Date(event.time).toISOString();
  switch (event.type) {
    case "text_delta":
      return { type: "text_delta", content: event.delta, timestamp };
    case "tool_call":
      return { type: "tool_call", tool_name: event.tool, arguments: event.args, tool_call_id: event.toolCallId, timestamp };
    case "tool_complete":
      return {
        type: "tool_complete",
        tool_name: event.tool,
        tool_call_id: event.toolCallId,
        success: event.success,
        message: event.message,
        duration_ms: event.durationMs,
        timestamp,
      };
    case "error":
      return { type: "error", message: event.error.message, code: event.error.code, timestamp };
    default:
      return undefined;
  }
}
