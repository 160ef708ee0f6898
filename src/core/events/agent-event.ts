import type { ErrorInfo } from "../errors/astros-error.js";
import type { Response } from "../types/response.js";

/** Fields every event carries so a transport can route it to the right user and session. */
interface EventBase {
  requestId: string;
  userId: string;
  sessionId: string;
  /** Epoch milliseconds. */
  time: number;
}

/** A request entered the pipeline. */
export interface TaskStartedEvent extends EventBase {
  type: "task_started";
  text: string;
}

/** Progress of the current work (the seed's WebSocket `status` message). */
export interface StatusEvent extends EventBase {
  type: "status";
  status: "processing" | "waiting" | "done";
  /** 0..100 when known. */
  progress?: number;
  message: string;
}

/** A tool (plugin handler) is about to run with these arguments. */
export interface ToolCallEvent extends EventBase {
  type: "tool_call";
  toolCallId: string;
  tool: string;
  plugin: string;
  args: Record<string, unknown>;
}

/** A tool finished, successfully or not. */
export interface ToolCompleteEvent extends EventBase {
  type: "tool_complete";
  toolCallId: string;
  tool: string;
  plugin: string;
  success: boolean;
  message: string;
  durationMs: number;
}

/** A piece of text as it is produced. */
export interface TextDeltaEvent extends EventBase {
  type: "text_delta";
  delta: string;
}

export interface ErrorEvent extends EventBase {
  type: "error";
  error: ErrorInfo;
}

/** The request finished; `response` is what processRequest returns. */
export interface TaskCompletedEvent extends EventBase {
  type: "task_completed";
  response: Response;
}

/**
 * A scheduled reminder came due (`schedule.create`). Not part of any request: `requestId` is the
 * delivery's own, `sessionId` the schedule's. Whoever shows the user's events shows it.
 */
export interface ReminderEvent extends EventBase {
  type: "reminder";
  scheduleId: string;
  text: string;
  /** When it was due (epoch milliseconds). */
  dueAt: number;
  /** True when it is delivered late: it came due while nothing was running, or the machine slept. */
  late: boolean;
}

export type AgentEvent =
  | TaskStartedEvent
  | StatusEvent
  | ToolCallEvent
  | ToolCompleteEvent
  | TextDeltaEvent
  | ErrorEvent
  | TaskCompletedEvent
  | ReminderEvent;

export type AgentEventType = AgentEvent["type"];

/** An event before the pipeline stamps it with request, user, session and time. */
export type AgentEventPayload = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, keyof EventBase> : never) : never;
