import { randomUUID } from "node:crypto";
import type { RawData, WebSocket } from "ws";
import type { DeferredQuestion } from "../agent/deferred-confirmation.js";
import { AstrOSClientError, type ProcessResult } from "./http-client.js";

/**
 * A message from the server: on a user's socket `status`, `text_delta`, `tool_call`, `tool_complete`,
 * `error`, `confirm`, `reminder`, `response`; on a session's, the seed's `connected`, `task_started`,
 * `text_delta`, … with their fields at the top level.
 */
export interface SocketMessage {
  type: string;
  /** The request it belongs to, when it belongs to one. */
  id?: string;
  data?: unknown;
  [field: string]: unknown;
}

/** Something about to happen that needs a yes (a `confirm` message's data). */
export interface ConfirmQuestion extends DeferredQuestion {
  /** What to answer with answer(id, approve). */
  id: string;
  /** The request it is about (a user's socket); a session's questions have none. */
  request_id?: string;
}

/** A request's final answer over the socket (confirmations were asked live, so there is no token). */
export type SocketResponse = Omit<ProcessResult, "confirmation">;

export interface SocketRequestOptions {
  /** Every message about this request before its response: status, text_delta, tool_call, tool_complete, error. */
  onEvent?: (message: SocketMessage) => void;
  /** Answers what needs a yes; default: decline. A listener that throws declines too. */
  onConfirm?: (question: ConfirmQuestion) => boolean | Promise<boolean>;
  /** A conversation of your own within your login. */
  sessionId?: string;
  /** Cancels the request on the server too; the promise rejects with REQUEST_CANCELLED. */
  signal?: AbortSignal;
}

export interface SocketConnectOptions {
  /** How long to wait for the server to accept the sign-in (default 15 s). */
  timeoutMs?: number;
  /** Listeners by message type (as on()), in place before the first message: none is missed. */
  on?: Record<string, (message: SocketMessage) => void>;
}

/** How the socket ended. `error` says why, unless close() ended it. */
export interface SocketClosed {
  code: number;
  reason: string;
  error?: AstrOSClientError;
}

interface PendingRequest {
  options: SocketRequestOptions;
  resolve: (response: SocketResponse) => void;
  reject: (error: AstrOSClientError) => void;
}

/**
 * The seed's AstrOS WebSocket for programs: `/ws/{user_id}` (or a session id), signed in with the
 * `{type: "auth", data: {token}}` message. request() streams a request's events and answers its
 * confirmations live; on() hears status, reminders and task events.
 */
export class AstrOSWebSocketClient {
  readonly url: string;
  /** Resolves once the socket has closed, saying why. */
  readonly closed: Promise<SocketClosed>;
  readonly #socket: WebSocket;
  readonly #pending = new Map<string, PendingRequest>();
  readonly #listeners = new Map<string, Set<(message: SocketMessage) => void>>();
  #closedBy: AstrOSClientError | undefined;
  #lastError: string | undefined;
  #closing = false;

  private constructor(socket: WebSocket, url: string) {
    this.#socket = socket;
    this.url = url;
    let opened = false;
    let transportError: Error | undefined;
    socket.once("open", () => {
      opened = true;
    });
    // A transport error (refused, reset) is always followed by a close, which says what happened.
    socket.on("error", (cause) => {
      transportError ??= cause;
    });
    socket.on("message", (raw, isBinary) => {
      const message = parse(raw, isBinary);
      if (message === undefined) return;
      if (message.type === "error") this.#lastError = errorText(message);
      this.#dispatch(message);
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, buffer) => {
        const reason = buffer.toString();
        const error = this.#closing
          ? undefined
          : !opened && transportError !== undefined
            ? AstrOSClientError.unreachable(url, transportError)
            : closeError(url, code, reason, this.#lastError);
        this.#closedBy = error ?? new AstrOSClientError("The WebSocket was closed", { url, code: "REQUEST_CANCELLED" });
        for (const pending of this.#pending.values()) pending.reject(this.#closedBy);
        this.#pending.clear();
        resolve({ code, reason, ...(error === undefined ? {} : { error }) });
      });
    });
  }

  /**
   * Open `/ws/{id}` (your user id, or one of your agent sessions) and sign in with `token`.
   * Resolves once the server has accepted it (its first message that is not an error); rejects with
   * AUTHENTICATION_FAILED (4401: not signed in) or PERMISSION_DENIED (4403: not yours), or when the
   * server cannot be reached.
   */
  static async connect(
    baseUrl: string,
    idOrUserId: string,
    token: string,
    options: SocketConnectOptions = {},
  ): Promise<AstrOSWebSocketClient> {
    // Loaded on first use: programs and plugins that never open a socket do not pay for it.
    const { WebSocket: Socket } = await import("ws");
    const url = `${baseUrl.replace(/\/+$/, "").replace(/^http/i, "ws")}/ws/${encodeURIComponent(idOrUserId)}`;
    const socket = new Socket(url);
    const client = new AstrOSWebSocketClient(socket, url);
    for (const [type, listener] of Object.entries(options.on ?? {})) client.on(type, listener);
    const timeoutMs = options.timeoutMs ?? 15_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new AstrOSClientError(`The AstrOS server at ${url} did not accept the sign-in within ${timeoutMs} ms`, {
            url,
            code: "AGENT_NOT_RUNNING",
          }),
        );
        socket.terminate();
      }, timeoutMs);
      socket.once("open", () => socket.send(JSON.stringify({ type: "auth", data: { token } })));
      const accepted = client.on("*", (message) => {
        if (message.type === "error") return;
        accepted();
        clearTimeout(timer);
        resolve();
      });
      void client.closed.then((closed) => {
        clearTimeout(timer);
        reject(closed.error ?? closeError(url, closed.code, closed.reason, undefined));
      });
    });
    return client;
  }

  /** Send a request; resolves with its `response` message's data. */
  request(text: string, context?: Record<string, unknown>, options: SocketRequestOptions = {}): Promise<SocketResponse> {
    if (this.#closedBy !== undefined || this.#socket.readyState !== this.#socket.OPEN) {
      return Promise.reject(
        this.#closedBy ?? new AstrOSClientError("The WebSocket is not open", { url: this.url, code: "REQUEST_CANCELLED" }),
      );
    }
    const id = randomUUID();
    const { signal } = options;
    return new Promise<SocketResponse>((resolve, reject) => {
      const onAbort = () => {
        this.#pending.delete(id);
        this.#send({ type: "cancel", data: { id } });
        reject(new AstrOSClientError("Cancelled", { url: this.url, code: "REQUEST_CANCELLED", cause: signal?.reason }));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      this.#pending.set(id, {
        options,
        resolve: (response) => {
          done();
          resolve(response);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      this.#send({
        type: "request",
        id,
        data: {
          text,
          ...(context === undefined ? {} : { context }),
          ...(options.sessionId === undefined ? {} : { session_id: options.sessionId }),
        },
      });
    });
  }

  /**
   * Hear every message of one type (`status`, `reminder`, `error`, a session's `task_started`, …;
   * `*` for all), including those about requests. Returns what removes the listener.
   */
  on(type: string, listener: (message: SocketMessage) => void): () => void {
    let listeners = this.#listeners.get(type);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(type, listeners);
    }
    listeners.add(listener);
    return () => {
      this.#listeners.get(type)?.delete(listener);
    };
  }

  /** Close the socket; requests still waiting reject. Resolves once it is closed. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#socket.readyState !== this.#socket.CLOSED) this.#socket.close(1000, "client closed");
    await this.closed;
  }

  #send(message: Record<string, unknown>): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  /** A round trip to the server (its `pong` to a `ping`), in milliseconds. */
  ping(): Promise<number> {
    const sent = performance.now();
    return new Promise<number>((resolve, reject) => {
      if (this.#closedBy !== undefined) return reject(this.#closedBy);
      const stop = this.on("pong", () => {
        stop();
        resolve(performance.now() - sent);
      });
      void this.closed.then((closed) => reject(closed.error ?? this.#closedBy));
      this.#send({ type: "ping" });
    });
  }

  /**
   * Answer a question yourself (a `confirm` message heard with on("confirm") that is not about one of
   * this client's requests, such as a session task's). The first answer the server gets counts.
   */
  answer(questionId: string, approve: boolean): void {
    this.#send({ type: "confirm", data: { id: questionId, approve } });
  }

  #dispatch(message: SocketMessage): void {
    for (const listener of this.#listeners.get(message.type) ?? []) listener(message);
    for (const listener of this.#listeners.get("*") ?? []) listener(message);
    if (message.type === "confirm") {
      const question = message.data as ConfirmQuestion | undefined;
      const pending = question?.request_id === undefined ? undefined : this.#pending.get(question.request_id);
      // A question about one of this client's requests is its onConfirm's to answer; others are left to on("confirm").
      if (question !== undefined && pending !== undefined) void this.#ask(question, pending.options.onConfirm);
      return;
    }
    const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
    if (pending === undefined || message.id === undefined) return;
    if (message.type === "response") {
      this.#pending.delete(message.id);
      pending.resolve(message.data as SocketResponse);
    } else {
      pending.options.onEvent?.(message);
    }
  }

  /** Asks the request's onConfirm; none, a throw or anything but true is a no. */
  async #ask(question: ConfirmQuestion, onConfirm: SocketRequestOptions["onConfirm"]): Promise<void> {
    let approve = false;
    try {
      approve = onConfirm === undefined ? false : (await onConfirm(question)) === true;
    } catch {
      approve = false;
    }
    this.answer(question.id, approve);
  }
}

function parse(raw: RawData, isBinary: boolean): SocketMessage | undefined {
  if (isBinary) return undefined;
  try {
    const message = JSON.parse(raw.toString()) as SocketMessage;
    return typeof message === "object" && message !== null && typeof message.type === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}

function errorText(message: SocketMessage): string | undefined {
  const text = (message.data as { message?: unknown } | undefined)?.message;
  return typeof text === "string" ? text : undefined;
}

/** Why the server closed the socket, as an error a person can act on. */
function closeError(url: string, code: number, reason: string, serverMessage: string | undefined): AstrOSClientError {
  const said = serverMessage ?? reason;
  const details = { closeCode: code, ...(reason === "" ? {} : { reason }) };
  if (code === 4401) {
    return new AstrOSClientError(`Not signed in: the server at ${url} closed the WebSocket (${said || "no valid token"})`, {
      url,
      code: "AUTHENTICATION_FAILED",
      recovery: "Sign in again (HTTPClient.login) and connect with the token it returns, or use a valid API key.",
      details,
    });
  }
  if (code === 4403) {
    return new AstrOSClientError(`Not yours: the server at ${url} closed the WebSocket (${said || "not yours"})`, {
      url,
      code: "PERMISSION_DENIED",
      recovery: "Connect to your own user id (login's user_id) or to one of your agent sessions.",
      details,
    });
  }
  if (code === 4408) {
    return new AstrOSClientError(`The server at ${url} closed the WebSocket: idle for too long`, {
      url,
      code: "REQUEST_CANCELLED",
      details,
    });
  }
  return new AstrOSClientError(`The WebSocket to ${url} closed (code ${code}${said ? `: ${said}` : ""})`, {
    url,
    code: "AGENT_NOT_RUNNING",
    details,
  });
}
