import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { z } from "zod";
import { type DeferredQuestion, type DeferringChannel, describeQuestion } from "../../agent/deferred-confirmation.js";
import type { ConfirmationRequest } from "../../agent/pipeline-seams.js";
import { parseSocketMessage } from "../parse-socket-message.js";

/** Messages a client sends on `/ws/{session_id}`. */
const incoming = z.discriminatedUnion("type", [
  z.object({ type: z.literal("confirm"), data: z.object({ id: z.string().max(128), approve: z.boolean() }) }),
  z.object({ type: z.literal("ping"), data: z.unknown().optional() }),
]);

export interface SessionChannelOptions {
  sessionId: string;
  /** Seconds a question waits for an answer before it counts as no (default 300). */
  confirmTimeoutSeconds?: number;
}

/**
 * One session's WebSockets: every message of the session goes to each of them (and to no other
 * session's), and a step that needs a yes is asked on them and waits for the first answer. With no
 * socket open, the question is deferred: the task ends with CONFIRMATION_REQUIRED naming it.
 */
export class SessionChannel {
  readonly #sockets = new Set<WebSocket>();
  readonly #questions = new Map<string, (approve: boolean) => void>();
  readonly #options: SessionChannelOptions;

  constructor(options: SessionChannelOptions) {
    this.#options = options;
  }

  get connections(): number {
    return this.#sockets.size;
  }

  /** Send to every open socket of the session (serialised once); how many got it. */
  send(message: Record<string, unknown>): number {
    const text = JSON.stringify(message);
    let sent = 0;
    for (const socket of this.#sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      socket.send(text);
      sent++;
    }
    return sent;
  }

  /** Subscribe a socket (its user owns the session); it answers questions and pings. */
  attach(socket: WebSocket): void {
    this.#sockets.add(socket);
    const reply = (message: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    socket.on("message", (raw, isBinary) => {
      const message = parseSocketMessage(raw, isBinary, incoming);
      if (!message.ok) return reply(errorMessage(message.problem, "REQUEST_INVALID"));
      if (message.data.type === "ping") return reply({ type: "pong", timestamp: new Date().toISOString() });
      const answer = this.#questions.get(message.data.data.id);
      if (answer === undefined) return reply(errorMessage(`No question ${message.data.data.id} is waiting`, "NOT_FOUND"));
      answer(message.data.data.approve);
    });
    socket.once("close", () => {
      this.#sockets.delete(socket);
      // Nobody left to answer: whatever is waiting is a no.
      if (this.#sockets.size === 0) for (const answer of [...this.#questions.values()]) answer(false);
    });
    reply({ type: "connected", session_id: this.#options.sessionId, timestamp: new Date().toISOString() });
  }

  /**
   * The confirmation channel for one task: asks on the session's sockets (the first answer counts; a
   * timeout or every socket closing is a no); with none open, defers the question to the task's answer.
   */
  confirmation(signal?: AbortSignal): DeferringChannel {
    const deferred: DeferredQuestion[] = [];
    const channel = async (question: ConfirmationRequest) => {
      const described = describeQuestion(question);
      if (signal?.aborted) return { approved: false, via: "the task was cancelled" };
      if (this.#sockets.size === 0) {
        deferred.push(described);
        return { approved: false, via: "deferred: no WebSocket of the session was open" };
      }
      const id = randomUUID();
      const approved = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => settle(false), (this.#options.confirmTimeoutSeconds ?? 300) * 1000);
        const cancelled = () => settle(false);
        const settle = (approve: boolean) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", cancelled);
          this.#questions.delete(id);
          resolve(approve);
        };
        signal?.addEventListener("abort", cancelled, { once: true });
        this.#questions.set(id, settle);
        if (this.send({ type: "confirm", data: { id, ...described } }) === 0) settle(false);
      });
      return { approved, via: "session websocket" };
    };
    return Object.assign(channel, { deferred });
  }

  /** Every question still waiting is a no. */
  declineAll(): void {
    for (const answer of [...this.#questions.values()]) answer(false);
  }

  /** Close every socket (the session is gone); waiting questions are a no. */
  close(code: number, reason: string): void {
    this.declineAll();
    for (const socket of this.#sockets) socket.close(code, reason);
  }
}

/** The seed's `error` message (with AstrOS's error code). */
export function errorMessage(message: string, code?: string): Record<string, unknown> {
  return { type: "error", message, ...(code === undefined ? {} : { code }), timestamp: new Date().toISOString() };
}
