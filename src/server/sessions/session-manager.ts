import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { WebSocket } from "ws";
import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { ConfigError } from "../../core/errors/config-error.js";
import { HttpError } from "../api-error.js";
import { type AgentSession, AgentSessionStore } from "./agent-session-store.js";
import { runSessionTask } from "./run-session-task.js";
import { SessionChannel } from "./session-channel.js";
import { SessionProcesses } from "./session-processes.js";
import { sessionIdPattern } from "./session-schemas.js";

export interface SessionManagerOptions {
  agent: AstrOSAgent;
  /** Seconds a question on the session's sockets waits for an answer (default 300). */
  confirmTimeoutSeconds?: number;
  /** Between SIGTERM and SIGKILL when a process is stopped (default 5 s). */
  stopGraceMilliseconds?: number;
  /** How long a shutdown waits for running tasks (default 10 s). */
  shutdownWaitMilliseconds?: number;
}

/** What a session has while this server runs: its sockets, its running tasks, its background processes. */
export interface SessionRuntime {
  channel: SessionChannel;
  processes: SessionProcesses;
  tasks: Set<{ done: Promise<unknown>; controller: AbortController }>;
}

/**
 * The agent sessions of every user: stored in the database, each with a workspace folder of its own
 * (`<server.workspaces>/<user id>/sessions/<session id>`, mode 0700). A user reaches only their
 * own: every lookup names the user, and someone else's session is as unknown as a missing one.
 */
export class SessionManager {
  readonly #options: SessionManagerOptions;
  readonly #runtimes = new Map<string, SessionRuntime>();
  #store: AgentSessionStore | undefined;
  #active = 0;
  #log: FastifyBaseLogger | undefined;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
  }

  /** Open the store and count the sessions (when the server starts). */
  async open(log?: FastifyBaseLogger): Promise<void> {
    const root = this.#options.agent.config.server.workspaces;
    if (root === "" || !path.isAbsolute(root)) {
      throw new ConfigError(`server.workspaces must be an absolute folder for agent sessions (it is "${root}")`, {
        recovery: "Set server.workspaces in config.toml, or leave it empty in a configuration that AstrOS finalizes.",
      });
    }
    this.#log = log;
    this.#store = new AgentSessionStore({ database: this.#options.agent.database });
    this.#active = await this.#store.countActive();
  }

  get activeCount(): number {
    return this.#active;
  }

  async create(userId: string, task?: string): Promise<AgentSession> {
    const store = this.#requireStore();
    // User ids are generated (UUIDs); anything that could walk out of the workspaces folder is a bug.
    if (!/^[A-Za-z0-9_-]+$/.test(userId)) throw new Error(`Unexpected user id ${JSON.stringify(userId)}`);
    const parent = path.join(this.#options.agent.config.server.workspaces, userId, "sessions");
    await mkdir(parent, { recursive: true, mode: 0o700 });
    for (let attempt = 0; ; attempt++) {
      const id = randomBytes(9).toString("base64url");
      const workdir = path.join(parent, id);
      try {
        // Not recursive: an existing folder is an id already taken.
        await mkdir(workdir, { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST" && attempt < 3) continue;
        throw error;
      }
      let session: AgentSession;
      try {
        session = await store.create({ id, userId, workdir, ...(task === undefined ? {} : { lastTask: task }) });
      } catch (error) {
        await rm(workdir, { recursive: true, force: true });
        throw error;
      }
      this.#active++;
      return session;
    }
  }

  list(userId: string): Promise<AgentSession[]> {
    return this.#requireStore().list(userId);
  }

  /** The user's session, or a 404 that reads the same whether it is missing or someone else's. */
  async owned(userId: string, id: string): Promise<AgentSession> {
    const session = sessionIdPattern.test(id) ? await this.#requireStore().get(userId, id) : undefined;
    if (session === undefined) throw new HttpError(404, "NOT_FOUND", `Session ${id} not found`);
    return session;
  }

  /** Delete a session: cancel its tasks, stop its processes, close its sockets, remove its workspace. */
  async remove(userId: string, id: string): Promise<void> {
    const session = await this.owned(userId, id);
    if (!(await this.#requireStore().delete(userId, id))) throw new HttpError(404, "NOT_FOUND", `Session ${id} not found`);
    this.#active = Math.max(0, this.#active - 1);
    const runtime = this.#runtimes.get(id);
    this.#runtimes.delete(id);
    if (runtime !== undefined) {
      for (const task of runtime.tasks) task.controller.abort(new Error("the session was deleted"));
      runtime.channel.declineAll();
      await Promise.allSettled([...runtime.tasks].map((task) => task.done));
      await runtime.processes.stopAll();
      runtime.channel.close(4404, "session deleted");
    }
    await rm(session.workdir, { recursive: true, force: true });
  }

  /** What the session has while this server runs (made on first use). */
  runtime(session: AgentSession): SessionRuntime {
    let runtime = this.#runtimes.get(session.id);
    if (runtime === undefined) {
      runtime = {
        channel: new SessionChannel({
          sessionId: session.id,
          ...(this.#options.confirmTimeoutSeconds === undefined
            ? {}
            : { confirmTimeoutSeconds: this.#options.confirmTimeoutSeconds }),
        }),
        processes: new SessionProcesses({
          workspace: session.workdir,
          ...(this.#options.agent.config.safety.confined_network ? { network: true } : {}),
          ...(this.#options.stopGraceMilliseconds === undefined
            ? {}
            : { gracePeriodMilliseconds: this.#options.stopGraceMilliseconds }),
        }),
        tasks: new Set(),
      };
      this.#runtimes.set(session.id, runtime);
    }
    return runtime;
  }

  /** Start a task; it runs on after this returns, its progress on the session's sockets. */
  async startTask(session: AgentSession, task: string): Promise<void> {
    await this.#requireStore().setLastTask(session.userId, session.id, task);
    const runtime = this.runtime(session);
    const controller = new AbortController();
    const entry = { controller, done: Promise.resolve() as Promise<unknown> };
    entry.done = runSessionTask({
      agent: this.#options.agent,
      session,
      channel: runtime.channel,
      task,
      signal: controller.signal,
    })
      .catch((error: unknown) => this.#log?.error({ err: error, session: session.id }, "a session task failed"))
      .finally(() => runtime.tasks.delete(entry));
    runtime.tasks.add(entry);
  }

  /** Subscribe a socket to one of the user's sessions; false when it is not theirs (or does not exist). */
  async serveSocket(socket: WebSocket, userId: string, id: string): Promise<boolean> {
    if (!sessionIdPattern.test(id)) return false;
    const session = await this.#requireStore().get(userId, id);
    if (session === undefined) return false;
    this.runtime(session).channel.attach(socket);
    return true;
  }

  /** Graceful shutdown: running tasks get up to 10 s to finish (then are cancelled), then every process is stopped. */
  async close(): Promise<void> {
    const runtimes = [...this.#runtimes.values()];
    const tasks = runtimes.flatMap((runtime) => [...runtime.tasks]);
    if (tasks.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise((resolve) => {
        timer = setTimeout(resolve, this.#options.shutdownWaitMilliseconds ?? 10_000);
      });
      await Promise.race([Promise.allSettled(tasks.map((task) => task.done)), waited]);
      clearTimeout(timer);
      for (const task of tasks) task.controller.abort(new Error("the server is shutting down"));
      await Promise.allSettled(tasks.map((task) => task.done));
    }
    await Promise.allSettled(runtimes.map((runtime) => runtime.processes.stopAll()));
  }

  #requireStore(): AgentSessionStore {
    if (this.#store === undefined) throw new Error("The session API is not open yet (routes() opens it)");
    return this.#store;
  }
}
