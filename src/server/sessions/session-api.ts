import type { AstrOSAgent } from "../../agent/astros-agent.js";
import type { SessionApi } from "../http-server.js";
import { processRoutes } from "./process-routes.js";
import { SessionManager } from "./session-manager.js";
import { sessionRoutes } from "./session-routes.js";
import { workspaceRoutes } from "./workspace-routes.js";

export interface SessionApiOptions {
  /** Seconds a question on a session's WebSockets waits for an answer before it counts as no (default 300). */
  confirmTimeoutSeconds?: number;
  /** Between SIGTERM and SIGKILL when a background process is stopped (default 5000). */
  stopGraceMilliseconds?: number;
  /** How long a shutdown waits for running tasks before cancelling them (default 10000). */
  shutdownWaitMilliseconds?: number;
}

/**
 * The agent-session API (the seed's Crogia API, with sign-in): sessions that belong to their user,
 * each with a workspace; tasks run by the agent confined to it and streamed on `/ws/{session_id}`;
 * files, search, shell and background processes through the same guard, journal and sandbox.
 */
export function createSessionApi(agent: AstrOSAgent, options: SessionApiOptions = {}): SessionApi {
  const sessions = new SessionManager({ agent, ...options });
  return {
    async routes(app, hooks) {
      await sessions.open(app.log);
      await sessionRoutes(app, { hooks, sessions });
      await workspaceRoutes(app, { hooks, sessions, agent });
      await processRoutes(app, { hooks, sessions, agent });
    },
    serveSocket: (socket, principal, id) => sessions.serveSocket(socket, principal.user.id, id),
    activeCount: () => sessions.activeCount,
    close: () => sessions.close(),
  };
}
