import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { z } from "zod";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { describeQuestion } from "../agent/deferred-confirmation.js";
import type { ConfirmationRequest } from "../agent/pipeline-seams.js";
import type { AgentEvent } from "../core/events/agent-event.js";
import type { Principal } from "./authenticate.js";
import { parseSocketMessage } from "./parse-socket-message.js";
import type { SocketHub } from "./socket-hub.js";
import { conversationOf, type UserHomes } from "./user-homes.js";

/** Messages a client sends on `/ws/{user_id}` once signed in. */
const incoming = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("request"),
    id: z.string().max(128).optional(),
    data: z.object({
      text: z.string().trim().min(1).max(100_000),
      context: z.record(z.string(), z.unknown()).optional(),
      session_id: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,128}$/)
        .optional(),
    }),
  }),
  z.object({
    type: z.literal("confirm"),
    data: z.object({ id: z.string().max(128), approve: z.boolean() }),
  }),
  z.object({ type: z.literal("cancel"), data: z.object({ id: z.string().max(128) }) }),
  z.object({ type: z.literal("ping"), data: z.unknown().optional() }),
]);

export interface UserSocketOptions {
  agent: AstrOSAgent;
  principal: Principal;
  /** Where users' requests run (their own folder, unless they are administrators). */
  homes: UserHomes;
  /** Seconds a question waits for the client's answer before it counts as no. */
  confirmTimeoutSeconds?: number;
  /** Where the socket is registered, so messages for this user (reminders, broadcasts) reach it. */
  hub: SocketHub;
}

/**
 * The seed's AstrOS WebSocket for one signed-in user: `request` in, `status` (progress), `text_delta`,
 * `tool_call`, `tool_complete` and `response` out, plus `confirm` both ways: a risky step is asked
 * about live and waits for the client's answer. The socket carries this user's requests and
 * reminders only.
 */
export function serveUserSocket(socket: WebSocket, options: UserSocketOptions): void {
  const { agent, principal } = options;
  const send = (message: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  options.hub.connect(principal.user.id, socket);
  const questions = new Map<string, (approve: boolean) => void>();
  const running = new Map<string, AbortController>();

  const confirm = (requestId: string) => async (question: ConfirmationRequest) => {
    const id = randomUUID();
    const answer = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), (options.confirmTimeoutSeconds ?? 300) * 1000);
      questions.set(id, (approve) => {
        clearTimeout(timer);
        resolve(approve);
      });
    });
    send({ type: "confirm", data: { id, request_id: requestId, ...describeQuestion(question) } });
    const approved = await answer;
    questions.delete(id);
    return { approved, via: "websocket" };
  };

  const handle = async (message: z.infer<typeof incoming>) => {
    if (message.type === "ping") return send({ type: "pong" });
    if (message.type === "confirm") {
      const answer = questions.get(message.data.id);
      if (answer === undefined) return send(error("NOT_FOUND", `No question ${message.data.id} is waiting`));
      return answer(message.data.approve);
    }
    if (message.type === "cancel") {
      running.get(message.data.id)?.abort(new Error("cancelled by the client"));
      return;
    }
    const id = message.id ?? randomUUID();
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const { context, confinement } = await options.homes.scope(principal, message.data.context);
      const onEvent = (event: AgentEvent) => {
        const data = eventData(event);
        if (data !== undefined) send({ type: event.type, id, data });
      };
      const response = await agent.processRequest(
        {
          text: message.data.text,
          userId: principal.user.id,
          sessionId: conversationOf(principal, message.data.session_id),
          context,
          metadata: { channel: "websocket" },
        },
        {
          onEvent,
          confirm: confirm(id),
          signal: controller.signal,
          ...confinement,
        },
      );
      send({
        type: "response",
        id,
        data: {
          success: response.success,
          message: response.message,
          ...(response.data === undefined ? {} : { data: response.data }),
          suggestions: response.suggestions,
          requires_followup: response.requiresFollowup,
          metadata: response.metadata,
        },
      });
    } finally {
      running.delete(id);
    }
  };

  socket.on("message", (raw, isBinary) => {
    const message = parseSocketMessage(raw, isBinary, incoming);
    if (!message.ok) return send(error("REQUEST_INVALID", message.problem));
    const id = message.data.type === "request" ? message.data.id : undefined;
    const work = handle(message.data);
    options.hub.track(work);
    work.catch((failure: unknown) =>
      send({ ...error("INTERNAL_ERROR", (failure as Error).message), ...(id === undefined ? {} : { id }) }),
    );
  });
  socket.on("close", () => {
    for (const answer of questions.values()) answer(false);
    for (const controller of running.values()) controller.abort(new Error("the client went away"));
  });
  send({
    type: "status",
    data: { status: "connected", message: `Signed in as ${principal.user.username}`, user_id: principal.user.id },
  });
}

export function error(code: string, message: string) {
  return { type: "error", data: { code, message } };
}

/** An agent event as the seed's message data (snake_case), or undefined for ones not sent. */
function eventData(event: AgentEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case "status":
      return {
        status: event.status,
        ...(event.progress === undefined ? {} : { progress: event.progress }),
        message: event.message,
      };
    case "text_delta":
      return { content: event.delta };
    case "tool_call":
      return { tool_call_id: event.toolCallId, tool_name: event.tool, plugin: event.plugin, arguments: event.args };
    case "tool_complete":
      return {
        tool_call_id: event.toolCallId,
        tool_name: event.tool,
        success: event.success,
        message: event.message,
        duration_ms: event.durationMs,
      };
    case "error":
      return { code: event.error.code, message: event.error.message };
    default:
      return undefined;
  }
}
