import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { WebSocket } from "ws";
import { z } from "zod";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { packageVersion } from "../agent/package-info.js";
import type { AuthenticationManager } from "../auth/authentication-manager.js";
import type { ServerConfig } from "../config/config-schema.js";
import { PermissionError } from "../core/errors/permission-error.js";
import { sandboxStatus } from "../exec/sandbox-status.js";
import { AllowedHosts } from "./allowed-hosts.js";
import { errorBody, errorPayload, handleError, sharedErrorStatuses } from "./api-error.js";
import { authenticate, bearer, type Principal } from "./authenticate.js";
import { ConfirmationTokens } from "./confirmation-tokens.js";
import { rewriteSocketText, ServerPaths } from "./hide-server-paths.js";
import { astrosRoutes } from "./routes/astros-routes.js";
import { authRoutes } from "./routes/auth-routes.js";
import { SocketHub } from "./socket-hub.js";
import { UserHomes } from "./user-homes.js";
import { serveUserSocket, error as socketError } from "./user-socket.js";

/** What the agent-session API adds to the server (its routes and its sockets). */
export interface SessionApi {
  routes(app: FastifyInstance, hooks: ServerHooks): Promise<void>;
  /** Serve `/ws/{id}` when id is one of this user's sessions; false when it is not a session of theirs. */
  serveSocket(socket: WebSocket, principal: Principal, id: string): Promise<boolean>;
  /** How many sessions are active (for /api/health). */
  activeCount(): number;
  /** Stop every session's processes (graceful shutdown). */
  close(): Promise<void>;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The signed-in users' WebSockets. */
    sockets: SocketHub;
  }
}

export interface ServerHooks {
  authenticated: (request: FastifyRequest) => Promise<void>;
  adminOnly: (request: FastifyRequest) => Promise<void>;
}

export interface HttpServerOptions {
  agent: AstrOSAgent;
  auth: AuthenticationManager;
  config: ServerConfig;
  sessions?: SessionApi;
  /** Structured request logs (pino); default: warnings and errors only. */
  logLevel?: string;
}

/** Seconds a new WebSocket has to sign in with an `auth` message (or an Authorization header). */
const authTimeoutSeconds = 10;

/**
 * The AstrOS server: the REST API (/api/v1), the agent-session API (/api/sessions), WebSockets
 * (/ws/{user_id or session_id}), health, Prometheus metrics, and the OpenAPI document with
 * interactive docs at /docs. Everything but health and docs needs a signed-in user; every request
 * body, parameter and message is validated against the schemas the OpenAPI document is made from.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { agent, auth, config } = options;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? "warn",
      redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" },
    },
    bodyLimit: config.body_limit,
    trustProxy: config.trust_proxy,
    return503OnClosing: true,
  });
  // Before anything else, a request (a WebSocket upgrade among them) must be addressed to this server by
  // one of its names: a rebound DNS name (a page on another site pointed at 127.0.0.1) gets 421.
  const hosts = new AllowedHosts({ bindAddress: config.host, configured: config.allowed_hosts });
  app.addHook("onRequest", async (request, reply) => {
    if (hosts.allows(request.headers.host)) return;
    // The connection ends with the answer (a refused WebSocket upgrade would otherwise hold its socket open).
    reply.raw.once("finish", () => request.raw.socket.destroy());
    return reply
      .status(421)
      .header("connection", "close")
      .send(
        errorPayload({
          code: "REQUEST_INVALID",
          message: `This server does not answer to the name ${JSON.stringify(request.headers.host ?? "")}`,
          recovery: "Use the server's own address, or add the name to server.allowed_hosts.",
        }),
      );
  });
  // Every status the API can answer is in the OpenAPI document: each route's schema gets the shared error answers.
  app.addHook("onRoute", (route) => {
    const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
    if (schema === undefined || schema.hide === true) return;
    const response: Record<string, unknown> = { ...schema.response };
    for (const status of sharedErrorStatuses) response[status] ??= errorBody;
    route.schema = { ...schema, response };
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(errorPayload({ code: "NOT_FOUND", message: `There is no ${request.method} ${request.url.split("?")[0]}` }));
  });

  // The server's own paths (workspaces, AstrOS's folders, the operator's home) never reach a client:
  // a workspace is shown as ~, anything else of the server's as <server> (for anyone but an administrator).
  const serverPaths = new ServerPaths({ workspaces: config.workspaces, serverFolders: agent.safety.hiddenFromConfined });
  const hidePathsFor = (principal: Principal) =>
    serverPaths.forUser(principal.user.id, { confined: principal.user.role !== "admin" });
  app.addHook("onSend", async (request, _reply, payload) => {
    if (request.principal === undefined || typeof payload !== "string") return payload;
    return hidePathsFor(request.principal)(payload);
  });

  const metrics = serverMetrics();
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unknown";
    metrics.requests.labels(request.method, route, String(reply.statusCode)).inc();
    metrics.duration.labels(request.method, route).observe(reply.elapsedTime / 1000);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "AstrOS API",
        version: packageVersion(),
        description:
          "Say what you want done; AstrOS does it safely through its agent pipeline. Sign in with POST /api/v1/auth/login and send the token as `Authorization: Bearer <token>` (or an API key).",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A login token or an API key" } } },
      tags: [
        { name: "Authentication" },
        { name: "AstrOS", description: "The seed's AstrOS REST API" },
        { name: "Sessions", description: "Agent sessions with workspaces (the seed's agent-session API)" },
        { name: "Administration" },
        { name: "Server" },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  // The seed also names /redoc: the same interactive documentation answers there.
  app.get("/redoc", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/docs/", 302));
  const hub = new SocketHub();
  await app.register(fastifyWebsocket, {
    options: { maxPayload: config.max_message_bytes },
    // A graceful stop: requests being answered on sockets finish (up to 30 s), then every socket is told why it closes.
    preClose: async function closeSockets(this: FastifyInstance) {
      await hub.drain(30_000);
      for (const client of this.websocketServer.clients) client.close(1001, "the server is stopping");
      await new Promise<void>((resolve) => this.websocketServer.close(() => resolve()));
    },
  });

  const hooks: ServerHooks = {
    authenticated: async (request) => {
      request.principal = await authenticate(auth, bearer(request));
    },
    adminOnly: async (request) => {
      request.principal = await authenticate(auth, bearer(request));
      if (request.principal.user.role !== "admin") {
        throw new PermissionError("Only an administrator may do this", { code: "PERMISSION_DENIED" });
      }
    },
  };

  const api = app.withTypeProvider<ZodTypeProvider>();
  const sandbox = await sandboxStatus();
  api.get(
    "/api/health",
    {
      schema: {
        tags: ["Server"],
        summary: "Is the server up (no sign-in needed)",
        response: {
          200: z.object({
            status: z.literal("healthy"),
            timestamp: z.string(),
            active_sessions: z.number(),
            docker_available: z.boolean().describe("Always false: sessions are isolated with bubblewrap, not containers"),
            sandbox_available: z.boolean(),
            version: z.string(),
          }),
        },
      },
    },
    async () => ({
      status: "healthy" as const,
      timestamp: new Date().toISOString(),
      active_sessions: options.sessions?.activeCount() ?? 0,
      docker_available: false,
      sandbox_available: sandbox.available,
      version: packageVersion(),
    }),
  );

  api.get(
    "/metrics",
    {
      onRequest: hooks.adminOnly,
      schema: {
        tags: ["Server"],
        summary: "Prometheus metrics (administrators; an API key suits a scraper)",
        security: [{ bearer: [] }],
        response: { 200: z.string().describe("Prometheus text format"), 401: errorBody, 403: errorBody },
      },
    },
    async (_request, reply) => {
      metrics.sessions.set(options.sessions?.activeCount() ?? 0);
      reply.header("content-type", metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );

  const tokens = new ConfirmationTokens();
  app.decorate("sockets", hub);
  api.post(
    "/api/v1/broadcast",
    {
      onRequest: hooks.adminOnly,
      schema: {
        tags: ["Administration"],
        summary: "Send a status message to every connected WebSocket (administrators)",
        security: [{ bearer: [] }],
        body: z.object({ message: z.string().min(1).max(4096), progress: z.number().min(0).max(100).optional() }).strict(),
        response: {
          200: z.object({ success: z.literal(true), data: z.object({ delivered: z.number() }) }),
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (request) => {
      const delivered = hub.broadcastMessage({
        type: "status",
        data: {
          status: "broadcast",
          message: request.body.message,
          ...(request.body.progress === undefined ? {} : { progress: request.body.progress }),
          timestamp: new Date().toISOString(),
        },
      });
      return { success: true as const, data: { delivered } };
    },
  );
  await authRoutes(app, {
    auth,
    attemptsPerMinute: config.login_attempts_per_minute,
    store: agent.rateLimitStore,
    authenticated: hooks.authenticated,
  });
  const homes = new UserHomes(config.workspaces);
  // Reminders go to their user's sockets through the hub: one listener, not one per socket on every event.
  const stopReminders = agent.events.subscribe((event) => {
    if (event.type !== "reminder") return;
    hub.sendMessage(event.userId, {
      type: "reminder",
      data: { schedule_id: event.scheduleId, text: event.text, due_at: new Date(event.dueAt).toISOString(), late: event.late },
    });
  });
  await astrosRoutes(app, { agent, auth, tokens, homes, ...hooks });
  await options.sessions?.routes(app, hooks);

  app.get(
    "/ws/:id",
    {
      websocket: true,
      // A page on another site must not open a socket with the user's credentials (cross-site WebSocket hijacking).
      preValidation: async (request, reply) => {
        if (!originAllowed(request, config.allowed_origins)) {
          reply
            .status(403)
            .send(errorPayload({ code: "PERMISSION_DENIED", message: "WebSockets from this origin are not allowed" }));
        }
      },
      schema: { hide: true },
    },
    (socket, request) => {
      metrics.sockets.inc();
      socket.on("close", () => metrics.sockets.dec());
      keepAlive(socket, config.idle_timeout);
      const id = String((request.params as { id?: unknown }).id ?? "");
      let signedIn = false;
      const start = async (credential: string | undefined) => {
        signedIn = true;
        let principal: Principal;
        try {
          principal = await authenticate(auth, credential);
        } catch (failure) {
          socket.send(JSON.stringify(socketError("AUTHENTICATION_FAILED", (failure as Error).message)));
          socket.close(4401, "not signed in");
          return;
        }
        rewriteSocketText(socket, hidePathsFor(principal));
        if (id === principal.user.id) {
          serveUserSocket(socket, { agent, principal, homes, hub });
          return;
        }
        if (options.sessions !== undefined && (await options.sessions.serveSocket(socket, principal, id))) return;
        socket.send(JSON.stringify(socketError("PERMISSION_DENIED", `${id} is neither you nor one of your sessions`)));
        socket.close(4403, "not yours");
      };
      const header = bearer(request);
      if (header !== undefined) {
        void start(header);
        return;
      }
      // The seed's way (browsers cannot set headers): the first message is {type: "auth", data: {token}}.
      const timer = setTimeout(() => {
        if (!signedIn) socket.close(4401, "sign in with an auth message first");
      }, authTimeoutSeconds * 1000);
      socket.once("message", (raw: Buffer) => {
        clearTimeout(timer);
        let token: unknown;
        try {
          const message = JSON.parse(raw.toString()) as { type?: unknown; data?: { token?: unknown } };
          token = message.type === "auth" ? message.data?.token : undefined;
        } catch {
          token = undefined;
        }
        void start(typeof token === "string" ? token : undefined);
      });
    },
  );

  app.addHook("onClose", async () => {
    stopReminders();
    await options.sessions?.close();
  });
  return app;
}

/** Same-origin pages, the configured origins, and programs (which send no Origin) may connect. */
function originAllowed(request: FastifyRequest, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin) || allowed.includes("*")) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Pings the client; one that neither answers nor sends anything for `idleSeconds` is closed. */
function keepAlive(socket: WebSocket, idleSeconds: number): void {
  let lastHeard = Date.now();
  const heard = () => {
    lastHeard = Date.now();
  };
  socket.on("pong", heard);
  socket.on("message", heard);
  const interval = Math.max(1_000, Math.min(30_000, (idleSeconds * 1000) / 3));
  const timer = setInterval(() => {
    if (Date.now() - lastHeard > idleSeconds * 1000) socket.close(4408, "idle for too long");
    else if (socket.readyState === socket.OPEN) socket.ping();
  }, interval);
  socket.on("close", () => clearInterval(timer));
}

function serverMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "astros_" });
  return {
    registry,
    requests: new Counter({
      name: "astros_http_requests_total",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "astros_http_request_duration_seconds",
      help: "HTTP request duration by method and route",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    sockets: new Gauge({ name: "astros_websockets_open", help: "Open WebSocket connections", registers: [registry] }),
    sessions: new Gauge({ name: "astros_agent_sessions_active", help: "Active agent sessions", registers: [registry] }),
  };
}
