import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { HttpError } from "../api-error.js";
import { principalOf } from "../authenticate.js";
import type { ServerHooks } from "../http-server.js";
import type { SessionManager } from "./session-manager.js";
import type { BackgroundProcess } from "./session-processes.js";
import {
  failures,
  logsQuery,
  logsReply,
  messageReply,
  processInfo,
  processParams,
  sessionParams,
  shellBody,
  shellReply,
} from "./session-schemas.js";
import { runSessionTool, toolFailure } from "./session-tools.js";
import { startBackgroundProcess } from "./start-background-process.js";

function processJson(entry: BackgroundProcess): z.infer<typeof processInfo> {
  return {
    pid: entry.pid,
    cmd: entry.command,
    status: entry.status,
    log: entry.log,
    started: entry.started.toISOString(),
    exit_code: entry.exitCode,
    ended: entry.ended === undefined ? null : entry.ended.toISOString(),
  };
}

/**
 * The seed's process and shell routes. A shell command goes through the agent's `shell.run` (the
 * guard judges it, FORBIDDEN never runs, it runs in the sandbox in the workspace); a background one
 * is judged the same way and started in the sandbox, tracked per session, its output in a log.
 */
export async function processRoutes(
  app: FastifyInstance,
  options: { hooks: ServerHooks; sessions: SessionManager; agent: AstrOSAgent },
) {
  const { hooks, sessions, agent } = options;
  /** The caller's session and one of its processes, or a 404 (another user's session is unknown too). */
  const ownedProcess = async (request: FastifyRequest, params: { session_id: string; pid: number }) => {
    const session = await sessions.owned(principalOf(request).user.id, params.session_id);
    const { pid } = params;
    const processes = sessions.runtime(session).processes;
    const entry = processes.get(pid);
    if (entry === undefined) throw new HttpError(404, "NOT_FOUND", `No process ${pid} in session ${session.id}`);
    return { session, pid, processes, entry };
  };
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ["Sessions"], security: [{ bearer: [] }] };

  api.get(
    "/api/sessions/:session_id/processes",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "The session's background processes (running, and the latest finished ones)",
        params: sessionParams,
        response: { 200: z.array(processInfo), ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      return sessions.runtime(session).processes.list().map(processJson);
    },
  );

  api.post(
    "/api/sessions/:session_id/processes/:pid/stop",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Stop a background process (SIGTERM to its process group, SIGKILL 5 s later)",
        params: processParams,
        response: { 200: messageReply, ...failures },
      },
    },
    async (request) => {
      const { session, pid, processes, entry } = await ownedProcess(request, request.params);
      if (!processes.stop(pid)) {
        throw new HttpError(409, "PROCESS_NOT_RUNNING", `Process ${pid} is not running (${entry.status})`);
      }
      request.log.info({ session: session.id, user: session.userId, pid, command: entry.command }, "session process stopped");
      await agent.recordAudit({
        type: "process-stopped",
        requestId: request.id,
        userId: session.userId,
        sessionId: `session-${session.id}`,
        detail: { pid, command: entry.command, signal: "SIGTERM" },
      });
      return { message: `Sent SIGTERM to process ${pid}` };
    },
  );

  api.get(
    "/api/sessions/:session_id/processes/:pid/logs",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "The last lines of a background process's output",
        params: processParams,
        querystring: logsQuery,
        response: { 200: logsReply, ...failures },
      },
    },
    async (request) => {
      const { pid, processes, entry } = await ownedProcess(request, request.params);
      const logs = await processes.readLog(pid, request.query.lines);
      if (logs === undefined) throw new HttpError(404, "FILE_NOT_FOUND", `The log of process ${pid} (${entry.log}) is gone`);
      return { logs, pid };
    },
  );

  api.post(
    "/api/sessions/:session_id/shell",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Run a shell command in the session's workspace (in the sandbox)",
        description:
          "The command guard judges it first: FORBIDDEN never runs; DANGEROUS needs a yes nobody can give on this call (428 CONFIRMATION_REQUIRED: run it as a task with the session's WebSocket open). With `background: true` it starts as a tracked process (SAFE and MODERATE commands only) and the answer names its pid and log.",
        params: sessionParams,
        body: shellBody,
        response: { 200: shellReply, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      const { cmd, background } = request.body;
      if (background === true) {
        const started = await startBackgroundProcess({
          agent,
          session,
          processes: sessions.runtime(session).processes,
          command: cmd,
        });
        request.log.info(
          { session: session.id, user: session.userId, pid: started.pid, command: cmd },
          "session process started",
        );
        await agent.recordAudit({
          type: "process-started",
          requestId: request.id,
          userId: session.userId,
          sessionId: `session-${session.id}`,
          detail: { pid: started.pid, command: cmd, log: started.log, isolated: true },
        });
        return { command: cmd, pid: started.pid, log: started.log, timestamp: started.started.toISOString() };
      }
      const response = await runSessionTool(agent, session, { name: "shell.run", args: { command: cmd } }, cmd);
      const result = response.data as { stdout?: unknown; stderr?: unknown; exitCode?: unknown } | undefined;
      // A command that ran and failed (exit code not 0) is an answer with its output; a refusal is an error.
      if (response.metadata.error !== undefined || typeof result?.stdout !== "string") throw toolFailure(response);
      const stderr = typeof result.stderr === "string" ? result.stderr : "";
      return {
        command: cmd,
        output: `${result.stdout}${result.stdout !== "" && stderr !== "" && !result.stdout.endsWith("\n") ? "\n" : ""}${stderr}`,
        exit_code: typeof result.exitCode === "number" ? result.exitCode : null,
        timestamp: new Date().toISOString(),
      };
    },
  );
}
