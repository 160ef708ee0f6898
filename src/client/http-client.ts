import { AstrOSError, type AstrOSErrorOptions } from "../core/errors/astros-error.js";
import { type ErrorCode, errorCodes } from "../core/errors/error-codes.js";

// The wire shapes below are the server's (snake_case, as in the seeds); the client keeps them as they are.

/** `POST /api/v1/auth/login`'s answer. */
/** The server's status as the wire has it (the seed's SystemStatus names). */
export interface ServerStatus {
  status: "starting" | "running" | "stopping" | "stopped" | "error";
  /** Seconds. */
  uptime: number;
  plugins_loaded: number;
  active_sessions: number;
  /** MB. */
  memory_usage: number;
  /** Percent of one core. */
  cpu_usage: number;
  version: string;
  [field: string]: unknown;
}

export interface LoginResult {
  user_id: string;
  session_id: string;
  /** Sent as `Authorization: Bearer <token>`; the client keeps it after login(). */
  token: string;
  /** ISO 8601. */
  expires_at: string;
}

/** What needs a yes before it runs: pass the token to confirm() to run exactly this. */
export interface ConfirmationInfo {
  token: string;
  expires_at: string;
  kind: string;
  tool: string;
  args: Record<string, unknown>;
  reasons: string[];
  risk?: string;
  command?: string;
  steps?: string[];
}

/** The seed's response to a request (`POST /api/v1/process` and `/api/v1/confirm`). */
export interface ProcessResult {
  success: boolean;
  message: string;
  data?: Record<string, unknown>;
  suggestions: string[];
  requires_followup: boolean;
  metadata: Record<string, unknown>;
  /** Present when the request stopped at something that needs a yes. */
  confirmation?: ConfirmationInfo;
}

export interface ProcessRequestOptions {
  /** A conversation of your own within your login (follow-ups refer to it). */
  sessionId?: string;
}

export interface PluginInfo {
  name: string;
  version: string;
  status: string;
  description: string;
}

/** A new API key: `key` is shown this once. */
export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  key: string;
}

/** An agent session (the seed's `/api/sessions`). */
export interface SessionInfo {
  session_id: string;
  /** The seed's; null on AstrOS (sessions are isolated with bubblewrap, not containers). */
  container_id: string | null;
  workdir: string;
  /** ISO 8601. */
  created: string;
  last_task: string | null;
  status: string;
  container_status: string | null;
}

export interface SessionMessage {
  message: string;
}

export interface FileWritten extends SessionMessage {
  /** The journal operation (`astros undo` reverts the write). */
  operation_id?: string;
}

export interface TaskStarted {
  message: string;
  task: string;
}

export interface FileItem {
  name: string;
  type: "file" | "directory" | "symlink" | "other";
  /** Bytes; null for folders. */
  size: number | null;
  modified: string;
}

export interface FileListing {
  path: string;
  items: FileItem[];
}

export interface FileContent {
  path: string;
  content: string;
}

export interface ShellResult {
  command: string;
  output: string;
  /** Null when a signal ended it. */
  exit_code?: number | null;
  timestamp: string;
}

export interface AstrOSClientErrorOptions extends AstrOSErrorOptions {
  /** What was requested (`http://…` or `ws://…`). */
  url: string;
  /** The HTTP status the server answered with; undefined when it answered none (unreachable, a socket). */
  status?: number;
  /** The code exactly as the server sent it (a newer server may send one this client does not know). */
  serverCode?: string;
}

/**
 * A request to an AstrOS server failed: the server's error (its status, code, message and what to
 * do, from the `{success: false, detail, error}` body) or a server that could not be reached.
 */
export class AstrOSClientError extends AstrOSError {
  readonly url: string;
  readonly status: number | undefined;
  readonly serverCode: string | undefined;

  constructor(message: string, options: AstrOSClientErrorOptions) {
    super(message, options);
    this.url = options.url;
    this.status = options.status;
    this.serverCode = options.serverCode;
  }

  override get httpStatus(): number {
    return this.status ?? super.httpStatus;
  }

  /** The server answered with an error status: its envelope (or whatever it sent) as an error. */
  static fromResponse(url: string, status: number, body: unknown): AstrOSClientError {
    const envelope = (typeof body === "object" && body !== null ? body : {}) as {
      detail?: unknown;
      error?: { code?: unknown; message?: unknown; recovery?: unknown; details?: unknown };
    };
    const wire = envelope.error ?? {};
    const serverCode = typeof wire.code === "string" ? wire.code : undefined;
    const message =
      typeof wire.message === "string"
        ? wire.message
        : typeof envelope.detail === "string"
          ? envelope.detail
          : `The server answered ${status} to ${url}`;
    return new AstrOSClientError(message, {
      url,
      status,
      code: knownCode(serverCode, status),
      ...(serverCode === undefined ? {} : { serverCode }),
      ...(typeof wire.recovery === "string" ? { recovery: wire.recovery } : {}),
      ...(typeof wire.details === "object" && wire.details !== null ? { details: wire.details as Record<string, unknown> } : {}),
    });
  }

  /** Nothing answered at `url` (refused, DNS, TLS, reset). */
  static unreachable(url: string, cause: unknown): AstrOSClientError {
    const reason = describeCause(cause);
    return new AstrOSClientError(`Could not reach the AstrOS server at ${url}${reason === "" ? "" : `: ${reason}`}`, {
      url,
      code: "AGENT_NOT_RUNNING",
      recovery: "Check that `astros serve` is running at that address and that this machine can reach it.",
      cause,
    });
  }
}

/** The server's code when this client knows it; otherwise the code its HTTP status stands for. */
function knownCode(code: string | undefined, status: number): ErrorCode {
  if (code !== undefined && Object.hasOwn(errorCodes, code)) return code as ErrorCode;
  const byStatus: Record<number, ErrorCode> = {
    401: "AUTHENTICATION_FAILED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    413: "REQUEST_TOO_LARGE",
    429: "RATE_LIMITED",
    503: "AGENT_NOT_RUNNING",
  };
  return byStatus[status] ?? (status >= 400 && status < 500 ? "REQUEST_INVALID" : "INTERNAL_ERROR");
}

/** fetch() fails with "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in its cause. */
function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: unknown } | undefined)?.cause;
  const source = (inner ?? cause) as { code?: unknown; message?: unknown } | undefined;
  if (typeof source?.code === "string" && typeof source.message === "string" && !source.message.includes(source.code)) {
    return `${source.code} ${source.message}`;
  }
  return typeof source?.message === "string" ? source.message : String(cause ?? "");
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
}

/**
 * A client for programs that talk to an AstrOS server over HTTP (the seed's `HTTPClient`): sign in,
 * send requests, confirm what needs a yes, and drive agent sessions. Every failure is an
 * AstrOSClientError; a request that the agent refused or that needs a yes is a result, not an error.
 */
export class HTTPClient {
  readonly baseUrl: string;
  #token: string | undefined;

  /** `baseUrl` like `http://127.0.0.1:8000`; `token` a login token or an API key (`astros_…`). */
  constructor(baseUrl: string, token?: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#token = token;
  }

  /** The credential sent with each request (set by login(), cleared by logout()). */
  get token(): string | undefined {
    return this.#token;
  }

  /** Sign in; the client keeps the token for the calls that follow. */
  async login(username: string, password: string): Promise<LoginResult> {
    const result = await this.#data<LoginResult>("POST", "/api/v1/auth/login", { body: { username, password } });
    this.#token = result.token;
    return result;
  }

  /** Sign out: the token stops working on the server at once. */
  async logout(): Promise<void> {
    await this.#call("POST", "/api/v1/auth/logout");
    this.#token = undefined;
  }

  /** An API key for a program, signed in as you; the key is in the answer this once. */
  createApiKey(name: string): Promise<CreatedApiKey> {
    return this.#data<CreatedApiKey>("POST", "/api/v1/auth/api-keys", { body: { name } });
  }

  /** Carry out a request in natural language. One that needs a yes answers with `confirmation`. */
  processRequest(text: string, context?: Record<string, unknown>, options: ProcessRequestOptions = {}): Promise<ProcessResult> {
    return this.#call<ProcessResult>("POST", "/api/v1/process", {
      body: {
        text,
        ...(context === undefined ? {} : { context }),
        ...(options.sessionId === undefined ? {} : { session_id: options.sessionId }),
      },
    });
  }

  /** Run (or, with approve false, decline) exactly the action a confirmation token was issued for; once. */
  confirm(token: string, approve = true): Promise<ProcessResult> {
    return this.#call<ProcessResult>("POST", "/api/v1/confirm", { body: { token, approve } });
  }

  async getPlugins(): Promise<PluginInfo[]> {
    return (await this.#data<{ plugins: PluginInfo[] }>("GET", "/api/v1/plugins")).plugins;
  }

  /** The agent's status (this one answer is in the agent's own camelCase names). */
  getSystemStatus(): Promise<ServerStatus> {
    return this.#data<ServerStatus>("GET", "/api/v1/status");
  }

  // The agent-session API (the seed's /api/sessions): answers are its bare objects, not an envelope.

  createSession(task?: string): Promise<SessionInfo> {
    return this.#session<SessionInfo>("POST", "/api/sessions", { body: task === undefined ? {} : { task } });
  }

  listSessions(): Promise<SessionInfo[]> {
    return this.#session<SessionInfo[]>("GET", "/api/sessions");
  }

  getSession(id: string): Promise<SessionInfo> {
    return this.#session<SessionInfo>("GET", sessionPath(id));
  }

  /** Stop the session's processes and remove it. */
  deleteSession(id: string): Promise<SessionMessage> {
    return this.#session<SessionMessage>("DELETE", sessionPath(id));
  }

  /** Start a task in the session; it runs on, streaming over the session's WebSocket. */
  runTask(id: string, task: string): Promise<TaskStarted> {
    return this.#session<TaskStarted>("POST", sessionPath(id, "/tasks"), { body: { task } });
  }

  listFiles(id: string, path?: string): Promise<FileListing> {
    return this.#session<FileListing>("GET", sessionPath(id, "/files"), { query: { path } });
  }

  readFile(id: string, path: string): Promise<FileContent> {
    return this.#session<FileContent>("GET", sessionPath(id, "/files/content"), { query: { path } });
  }

  writeFile(id: string, path: string, content: string): Promise<FileWritten> {
    return this.#session<FileWritten>("POST", sessionPath(id, "/files/content"), { body: { path, content } });
  }

  /** Run a shell command in the session's workspace. */
  shell(id: string, cmd: string): Promise<ShellResult> {
    return this.#session<ShellResult>("POST", sessionPath(id, "/shell"), { body: { cmd } });
  }

  /** An AstrOS API answer `{success: true, data}`: its data. */
  async #data<T>(method: string, route: string, options: CallOptions = {}): Promise<T> {
    return (await this.#call<{ data: T }>(method, route, options)).data;
  }

  /** A session API answer: the seed's bare object (an AstrOS envelope, should the server send one, is opened). */
  async #session<T>(method: string, route: string, options: CallOptions = {}): Promise<T> {
    const body = await this.#call<unknown>(method, route, options);
    const envelope = body as { success?: unknown; data?: unknown } | null;
    return (envelope !== null && envelope.success === true && "data" in envelope ? envelope.data : body) as T;
  }

  async #call<T>(method: string, route: string, options: CallOptions = {}): Promise<T> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) query.set(name, value);
    const search = query.toString();
    const url = `${this.baseUrl}${route}${search === "" ? "" : `?${search}`}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      status = response.status;
      text = await response.text();
    } catch (failure) {
      throw AstrOSClientError.unreachable(url, failure);
    }
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      if (status >= 400) throw AstrOSClientError.fromResponse(url, status, { detail: text.slice(0, 500) });
      throw new AstrOSClientError(`The server at ${url} answered with something that is not JSON`, {
        url,
        status,
        code: "INTERNAL_ERROR",
        details: { body: text.slice(0, 200) },
      });
    }
    if (status >= 400) throw AstrOSClientError.fromResponse(url, status, body);
    return body as T;
  }
}

function sessionPath(id: string, rest = ""): string {
  return `/api/sessions/${encodeURIComponent(id)}${rest}`;
}
