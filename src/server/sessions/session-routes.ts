import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../authenticate.js";
import { workspaceShownAs } from "../hide-server-paths.js";
import type { ServerHooks } from "../http-server.js";
import type { AgentSession } from "./agent-session-store.js";
import type { SessionManager } from "./session-manager.js";
import {
  createSessionBody,
  failures,
  messageReply,
  sessionInfo,
  sessionParams,
  taskBody,
  taskStarted,
} from "./session-schemas.js";

/** A session as the seed shows it. */
export function sessionJson(session: AgentSession): z.infer<typeof sessionInfo> {
  return {
    session_id: session.id,
    container_id: null,
    // The workspace is the client's ~: its place on the server is never sent (it tells where the server's home is).
    workdir: workspaceShownAs,
    created: new Date(session.createdAt).toISOString(),
    last_task: session.lastTask,
    status: session.status,
    container_status: null,
  };
}

/** The seed's session routes: list, create, get, delete, and tasks. */
export async function sessionRoutes(app: FastifyInstance, options: { hooks: ServerHooks; sessions: SessionManager }) {
  const { hooks, sessions } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ["Sessions"], security: [{ bearer: [] }] };

  api.get(
    "/api/sessions",
    {
      onRequest: hooks.authenticated,
      schema: { ...common, summary: "Your agent sessions", response: { 200: z.array(sessionInfo), ...failures } },
    },
    async (request) => (await sessions.list(principalOf(request).user.id)).map(sessionJson),
  );

  api.post(
    "/api/sessions",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Create an agent session with a workspace of its own",
        description:
          "With a task, the task starts at once (as POST /api/sessions/{session_id}/tasks does); open /ws/{session_id} to follow it.",
        body: createSessionBody,
        response: { 200: sessionInfo, ...failures },
      },
    },
    async (request) => {
      const task = request.body?.task;
      const session = await sessions.create(principalOf(request).user.id, task);
      if (task !== undefined) await sessions.startTask(session, task);
      return sessionJson(session);
    },
  );

  api.get(
    "/api/sessions/:session_id",
    {
      onRequest: hooks.authenticated,
      schema: { ...common, summary: "One of your sessions", params: sessionParams, response: { 200: sessionInfo, ...failures } },
    },
    async (request) => sessionJson(await sessions.owned(principalOf(request).user.id, request.params.session_id)),
  );

  api.delete(
    "/api/sessions/:session_id",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Delete a session: cancel its tasks, stop its processes, remove its workspace",
        params: sessionParams,
        response: { 200: messageReply, ...failures },
      },
    },
    async (request) => {
      const id = request.params.session_id;
      await sessions.remove(principalOf(request).user.id, id);
      return { message: `Session ${id} deleted successfully` };
    },
  );

  api.post(
    "/api/sessions/:session_id/tasks",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Start a task in a session",
        description:
          "The task runs asynchronously through the agent, confined to the session's workspace. Its progress is streamed on /ws/{session_id}: task_started, text_delta, tool_call, tool_complete, error, task_completed. A step that needs a yes is asked there (a `confirm` message to answer with {type: 'confirm', data: {id, approve}}); with no socket open it is not done, and task_completed says what needs confirming.",
        params: sessionParams,
        body: taskBody,
        response: { 200: taskStarted, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      await sessions.startTask(session, request.body.task);
      return { message: `Task started in session ${session.id}`, task: request.body.task };
    },
  );
}
