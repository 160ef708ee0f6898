import type { FastifyInstance } from "fastify";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { AuthenticationManager } from "../auth/authentication-manager.js";
import { loadOrCreateTokenSecret } from "../auth/token-secret.js";
import { type SandboxStatus, sandboxStatus } from "../exec/sandbox-status.js";
import { createHttpServer, type SessionApi } from "./http-server.js";
import { createSessionApi } from "./sessions/session-api.js";

export interface StartServerOptions {
  /** A started agent (its configuration's `[server]` section applies). */
  agent: AstrOSAgent;
  host?: string;
  port?: number;
  logLevel?: string;
  /** The agent-session API (default: createSessionApi, the seed's /api/sessions). */
  sessions?: (agent: AstrOSAgent) => SessionApi;
}

export interface RunningServer {
  app: FastifyInstance;
  auth: AuthenticationManager;
  /** `http://host:port` */
  url: string;
  /**
   * Whether server users' sandbox proved itself at start; when not, every command of a server user is
   * refused (their files still work), and `reason` says why.
   */
  sandbox: SandboxStatus;
  /** The first administrator's one-time password, when this start created it. */
  initialAdmin?: { username: string; password: string };
  /** Stop taking requests, let those in flight finish, stop sessions' processes. The agent stays up. */
  close(): Promise<void>;
}

/** Start the HTTP and WebSocket server on a started agent. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { agent } = options;
  const config = agent.config.server;
  const secret = await loadOrCreateTokenSecret({ file: config.token_key_file });
  const auth = new AuthenticationManager({ database: agent.database, secret, sessionTtlSeconds: config.session_ttl });
  const app = await createHttpServer({
    agent,
    auth,
    // The address it listens on is one of the names it answers to (the Host header check).
    config: { ...config, host: options.host ?? config.host },
    sessions: (options.sessions ?? createSessionApi)(agent),
    // Request logs follow the configured log level (ASTROS_LOG_LEVEL=info shows every request).
    logLevel: options.logLevel ?? agent.config.log_level,
  });
  await app.listen({ host: options.host ?? config.host, port: options.port ?? config.port });
  // Only once the server is up: a start that fails must not create an administrator nobody saw the password of.
  const initialAdmin = await auth.ensureAdmin();
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? config.port);
  const host = options.host ?? config.host;
  return {
    app,
    auth,
    sandbox: await sandboxStatus(),
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    ...(initialAdmin === undefined ? {} : { initialAdmin }),
    close: () => app.close(),
  };
}
