/**
 * Scripted LLM servers for tests: real HTTP servers on 127.0.0.1 that speak the OpenAI Chat Completions and
 * Anthropic Messages wire formats and answer from a per-test script. The providers are then tested through
 * their real SDK code (HTTP, server-sent events, retries, aborts) instead of a mocked model object.
 */

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ScriptedToolCall {
  /** Wire id; default `call_<n>` (OpenAI) or `toolu_<n>` (Anthropic), numbered per server. */
  id?: string;
  name: string;
  /** an object (serialised) or a raw string (sent as is, e.g. malformed JSON) */
  arguments: Record<string, unknown> | string;
}

/** One scripted answer: a model turn, an HTTP error, or no answer at all. */
export type ScriptedReply =
  | {
      text?: string;
      toolCalls?: ScriptedToolCall[];
      usage?: { input: number; output: number };
      finishReason?: "stop" | "tool_calls" | "length";
    }
  /** An HTTP error answer (429 with retry-after, 500, 400 ...); the body defaults to the provider's error JSON. */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Accepts the request and never answers (for timeout tests); closed when the server closes. */
  | { hang: true };

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (the raw text when it was not JSON). */
  body: any;
}

export interface ScriptedLlmServer {
  /** base URL to give a provider: `http://127.0.0.1:PORT/v1` */
  readonly url: string;
  /** every request received, in order */
  readonly requests: RecordedRequest[];
  /** queue more replies */
  push(...replies: ScriptedReply[]): void;
  /** replies not yet used */
  readonly pending: number;
  close(): Promise<void>;
}

/** Queued replies are used first; a function answers whatever the queue no longer covers. */
type Script = ScriptedReply[] | ((request: RecordedRequest) => ScriptedReply);
type ModelTurnReply = Exclude<ScriptedReply, { status: number } | { hang: true }>;

/** A model turn with every default filled in, ready to be written in either wire format. */
interface Turn {
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  usage: { input: number; output: number };
  finishReason: "stop" | "tool_calls" | "length";
}

/** What differs between the providers: paths, error bodies, and how a turn goes on the wire. */
interface Dialect {
  toolCallPrefix: string;
  idPrefix: string;
  chatPath: string;
  errorBody(status: number, message: string): unknown;
  json(turn: Turn, body: any, id: string): unknown;
  events(turn: Turn, body: any, id: string): string[];
  /** Other POST routes (embeddings); they do not consume replies. */
  routes?: Record<string, (body: any) => { status: number; body: unknown }>;
}

/** OpenAI Chat Completions (and OpenAI-compatible servers), with `/v1/embeddings`. */
export function startOpenAIServer(script?: Script, options: { embeddingDimensions?: number } = {}): Promise<ScriptedLlmServer> {
  const dimensions = options.embeddingDimensions ?? 8;
  return startScriptedServer(script, {
    toolCallPrefix: "call_",
    idPrefix: "chatcmpl-scripted",
    chatPath: "/v1/chat/completions",
    errorBody: openAIError,
    json: (turn, body, id) => ({
      id,
      object: "chat.completion",
      created: nowSeconds(),
      model: modelOf(body),
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            // The real API sends null content when the turn is only tool calls.
            content: turn.text === "" && turn.toolCalls.length > 0 ? null : turn.text,
            refusal: null,
            annotations: [],
            ...(turn.toolCalls.length === 0
              ? {}
              : {
                  tool_calls: turn.toolCalls.map((call) => ({
                    id: call.id,
                    type: "function",
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }),
          },
          logprobs: null,
          finish_reason: turn.finishReason,
        },
      ],
      usage: openAIUsage(turn),
      service_tier: "default",
      system_fingerprint: null,
    }),
    events: openAIEvents,
    routes: { "/v1/embeddings": (body) => embeddings(body, dimensions) },
  });
}

/** The Anthropic Messages API (`POST /v1/messages`). */
export function startAnthropicServer(script?: Script): Promise<ScriptedLlmServer> {
  return startScriptedServer(script, {
    toolCallPrefix: "toolu_",
    idPrefix: "msg_scripted",
    chatPath: "/v1/messages",
    errorBody: (status, message) => ({ type: "error", error: { type: anthropicErrorType(status), message } }),
    json: (turn, body, id) => ({
      id,
      type: "message",
      role: "assistant",
      model: modelOf(body),
      content: [
        ...(turn.text === "" ? [] : [{ type: "text", text: turn.text }]),
        ...turn.toolCalls.map((call) => ({ type: "tool_use", id: call.id, name: call.name, input: parseOrRaw(call.arguments) })),
      ],
      stop_reason: anthropicStopReason(turn),
      stop_sequence: null,
      usage: {
        input_tokens: turn.usage.input,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: turn.usage.output,
      },
    }),
    events: anthropicEvents,
  });
}

/**
 * The shared server: records each request, then answers it from the script. A chat request with no reply
 * left gets a 500 naming its number, so a test that asks the model more often than planned fails loudly.
 * Numbers count chat requests only (SDK retries included); embedding requests never use replies.
 */
async function startScriptedServer(script: Script | undefined, dialect: Dialect): Promise<ScriptedLlmServer> {
  const queue: ScriptedReply[] = Array.isArray(script) ? [...script] : [];
  const fallback = typeof script === "function" ? script : undefined;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let chatRequests = 0;
  let toolCalls = 0;

  const answerChat = (request: RecordedRequest, raw: string, response: ServerResponse): void => {
    chatRequests += 1;
    let reply: ScriptedReply | undefined;
    try {
      reply = queue.shift() ?? fallback?.(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sendJson(response, 500, dialect.errorBody(500, `scripted server: script failed for request ${chatRequests}: ${message}`));
      return;
    }
    if (reply === undefined) {
      // retry-after: 0 so the SDK's retries (it retries any 5xx) fail at once, not after seconds of backoff.
      const message = `scripted server: no reply left for request ${chatRequests}`;
      sendJson(response, 500, dialect.errorBody(500, message), { "retry-after": "0" });
      return;
    }
    if ("hang" in reply) return; // left open; close() destroys the socket
    if ("status" in reply) {
      const body =
        reply.body ??
        dialect.errorBody(reply.status, `scripted server: HTTP ${reply.status} ${STATUS_CODES[reply.status] ?? ""}`.trim());
      sendJson(response, reply.status, body, reply.headers);
      return;
    }
    const turn = toTurn(reply, raw, () => `${dialect.toolCallPrefix}${++toolCalls}`);
    const id = `${dialect.idPrefix}${chatRequests}`;
    if (request.body.stream !== true) {
      sendJson(response, 200, dialect.json(turn, request.body, id));
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    // One write per event, as a real server flushes them.
    for (const frame of dialect.events(turn, request.body, id)) if (!response.destroyed) response.write(frame);
    response.end();
  };

  const handle = (incoming: IncomingMessage, response: ServerResponse, raw: string): void => {
    let body: unknown = raw;
    let isJsonObject = false;
    try {
      body = JSON.parse(raw);
      isJsonObject = typeof body === "object" && body !== null && !Array.isArray(body);
    } catch {
      // Recorded as the raw text and answered with a 400 below.
    }
    const request: RecordedRequest = { path: incoming.url ?? "/", headers: incoming.headers, body };
    requests.push(request);
    const pathname = new URL(request.path, "http://127.0.0.1").pathname;
    const route = incoming.method === "POST" ? dialect.routes?.[pathname] : undefined;
    if (incoming.method !== "POST" || (pathname !== dialect.chatPath && route === undefined)) {
      sendJson(response, 404, dialect.errorBody(404, `Invalid URL (${incoming.method} ${pathname})`));
    } else if (!isJsonObject) {
      sendJson(response, 400, dialect.errorBody(400, "We could not parse the JSON body of your request."));
    } else if (route !== undefined) {
      const answer = route(body);
      sendJson(response, answer.status, answer.body);
    } else {
      answerChat(request, raw, response);
    }
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => handle(incoming, response, Buffer.concat(chunks).toString("utf8")));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    push: (...replies) => {
      queue.push(...replies);
    },
    get pending() {
      return queue.length;
    },
    close: () => {
      // Hung requests and keep-alive connections would otherwise hold server.close() open.
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** Fills in ids, serialised arguments, usage and finish reason the way a real model turn would have them. */
function toTurn(reply: ModelTurnReply, rawBody: string, nextToolCallId: () => string): Turn {
  const text = reply.text ?? "";
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? nextToolCallId(),
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
  }));
  const outputChars = toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, text.length);
  return {
    text,
    toolCalls,
    usage: reply.usage ?? { input: roughTokens(rawBody.length), output: roughTokens(outputChars) },
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
  };
}

/** About four characters a token, never zero: close enough for budget and accounting tests. */
function roughTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

function openAIEvents(turn: Turn, body: any, id: string): string[] {
  // With include_usage the real API adds `usage: null` to every chunk and a final chunk with no choices.
  const includeUsage = body.stream_options?.include_usage === true;
  const base = { id, object: "chat.completion.chunk", created: nowSeconds(), model: modelOf(body), system_fingerprint: null };
  const chunk = (delta: object, finishReason: string | null = null) =>
    sse({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const frames: string[] = [];
  if (turn.text !== "" || turn.toolCalls.length === 0) {
    frames.push(chunk({ role: "assistant", content: "", refusal: null }));
    for (const word of words(turn.text)) frames.push(chunk({ content: word }));
  }
  turn.toolCalls.forEach((call, index) => {
    const start = { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
    frames.push(chunk(frames.length === 0 ? { role: "assistant", content: null, tool_calls: [start] } : { tool_calls: [start] }));
    for (const piece of pieces(call.arguments)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  frames.push(chunk({}, turn.finishReason));
  if (includeUsage) frames.push(sse({ ...base, choices: [], usage: openAIUsage(turn) }));
  frames.push("data: [DONE]\n\n");
  return frames;
}

function anthropicEvents(turn: Turn, body: any, id: string): string[] {
  const event = (type: string, data: object = {}) => sse({ type, ...data }, type);
  const frames = [
    event("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model: modelOf(body),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: turn.usage.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
      },
    }),
    event("ping"),
  ];
  let index = 0;
  if (turn.text !== "") {
    frames.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
    for (const word of words(turn.text))
      frames.push(event("content_block_delta", { index, delta: { type: "text_delta", text: word } }));
    frames.push(event("content_block_stop", { index }));
    index += 1;
  }
  for (const call of turn.toolCalls) {
    frames.push(
      event("content_block_start", { index, content_block: { type: "tool_use", id: call.id, name: call.name, input: {} } }),
    );
    for (const piece of ["", ...pieces(call.arguments)]) {
      frames.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: piece } }));
    }
    frames.push(event("content_block_stop", { index }));
    index += 1;
  }
  frames.push(
    event("message_delta", {
      delta: { stop_reason: anthropicStopReason(turn), stop_sequence: null },
      usage: { output_tokens: turn.usage.output },
    }),
    event("message_stop"),
  );
  return frames;
}

/** A server-sent event; Anthropic names each event, OpenAI sends bare `data:` lines. */
function sse(data: unknown, event?: string): string {
  return `${event === undefined ? "" : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/** Text in word-sized pieces, so a client sees several deltas as it would from a real model. */
function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text]);
}

/** Tool arguments in at least three small pieces (whole characters), as the APIs stream them. */
function pieces(value: string): string[] {
  const characters = Array.from(value);
  const size = Math.max(1, Math.min(8, Math.ceil(characters.length / 3)));
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += size) result.push(characters.slice(start, start + size).join(""));
  return result;
}

function openAIUsage(turn: Turn) {
  return {
    prompt_tokens: turn.usage.input,
    completion_tokens: turn.usage.output,
    total_tokens: turn.usage.input + turn.usage.output,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function openAIError(status: number, message: string) {
  const [type, code] =
    status === 429
      ? ["requests", "rate_limit_exceeded"]
      : status >= 500
        ? ["server_error", null]
        : status === 401
          ? ["invalid_request_error", "invalid_api_key"]
          : ["invalid_request_error", null];
  return { error: { message, type, param: null, code } };
}

function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return types[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

function anthropicStopReason(turn: Turn): string {
  return { stop: "end_turn", tool_calls: "tool_use", length: "max_tokens" }[turn.finishReason];
}

/** The real Messages API always sends an object; a malformed scripted string goes through as a string. */
function parseOrRaw(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Deterministic unit vectors seeded by each input's hash, so equal texts embed equally across runs. */
function embeddings(body: any, defaultDimensions: number): { status: number; body: unknown } {
  const inputs: unknown[] = typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? body.input : [];
  if (inputs.length === 0) return { status: 400, body: openAIError(400, "'input' is required and must not be empty.") };
  const dimensions = Number.isInteger(body.dimensions) && body.dimensions > 0 ? (body.dimensions as number) : defaultDimensions;
  const keys = inputs.map((input) => (typeof input === "string" ? input : JSON.stringify(input)));
  const tokens = keys.reduce((sum, key) => sum + roughTokens(key.length), 0);
  return {
    status: 200,
    body: {
      object: "list",
      data: keys.map((key, index) => {
        const vector = vectorFor(key, dimensions);
        const embedding =
          body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return { object: "embedding", index, embedding };
      }),
      model: modelOf(body),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

function vectorFor(text: string, dimensions: number): number[] {
  let state = createHash("sha256").update(text).digest().readUInt32LE(0);
  // mulberry32: a tiny seeded generator, enough for stable test vectors.
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const values = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const length = Math.hypot(...values) || 1;
  return values.map((value) => value / length);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(text);
}

function modelOf(body: any): string {
  return typeof body.model === "string" ? body.model : "scripted-model";
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
