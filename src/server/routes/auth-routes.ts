import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AuthenticationManager } from "../../auth/authentication-manager.js";
import { RateLimitError } from "../../core/errors/rate-limit-error.js";
import { RateLimitCounter } from "../../safety/rate-limit/rate-limit-counter.js";
import type { RateLimitStore } from "../../safety/rate-limit/rate-limit-store.js";
import { errorBody, HttpError } from "../api-error.js";
import { principalOf } from "../authenticate.js";

export interface AuthRoutesOptions {
  auth: AuthenticationManager;
  /** Failed sign-ins allowed per minute, per address and per user name. */
  attemptsPerMinute: number;
  /** Where failed attempts count: the agent's rate-limit store, so every server node sharing it shares the limit. */
  store: RateLimitStore;
  authenticated: (request: FastifyRequest) => Promise<void>;
}

const loginData = z.object({
  user_id: z.string(),
  session_id: z.string(),
  token: z.string().describe("Send it as Authorization: Bearer <token>"),
  expires_at: z.string(),
});

const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().optional(),
});

/** Sign-in and sign-out (the seed's /api/v1/auth/login), who am I, and API keys for programs. */
export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const { auth } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Failures only are counted: a person who signs in right is never slowed down.
  const counter = (name: string) =>
    new RateLimitCounter({ store: options.store, name, points: options.attemptsPerMinute, durationSeconds: 60 });
  const byAddress = counter("login-address");
  const byName = counter("login-name");
  const failures = { 400: errorBody, 401: errorBody, 404: errorBody, 429: errorBody };

  api.post(
    "/api/v1/auth/login",
    {
      schema: {
        tags: ["Authentication"],
        summary: "Sign in with a username and password",
        description: "Answers user_id, session_id and a signed token. Failed attempts are limited per address and per user name.",
        body: z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(1024) }).strict(),
        response: { 200: z.object({ success: z.literal(true), data: loginData }), ...failures },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const nameKey = username.toLowerCase();
      for (const [limiter, key] of [
        [byAddress, request.ip],
        [byName, nameKey],
      ] as const) {
        const blockedFor = await limiter.blockedFor(key);
        if (blockedFor !== undefined) throw tooManyAttempts(blockedFor);
      }
      try {
        const result = await auth.login(username, password, {
          ip: request.ip,
          ...(typeof request.headers["user-agent"] === "string"
            ? { userAgent: request.headers["user-agent"].slice(0, 256) }
            : {}),
        });
        return { success: true as const, data: result };
      } catch (error) {
        await Promise.allSettled([byAddress.penalty(request.ip, 1), byName.penalty(nameKey, 1)]);
        throw error;
      }
    },
  );

  api.post(
    "/api/v1/auth/logout",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["Authentication"],
        summary: "Sign out: the token stops working at once",
        security: [{ bearer: [] }],
        response: { 200: z.object({ success: z.literal(true), message: z.string() }), ...failures },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.via !== "token")
        throw new HttpError(400, "REQUEST_INVALID", "An API key has no session to sign out of; revoke the key instead");
      await auth.revokeSession(principal.sessionId);
      return { success: true as const, message: "Signed out" };
    },
  );

  api.get(
    "/api/v1/auth/me",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["Authentication"],
        summary: "Who the token belongs to",
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            success: z.literal(true),
            data: z.object({
              user_id: z.string(),
              username: z.string(),
              role: z.string(),
              session_id: z.string(),
              via: z.string(),
            }),
          }),
          ...failures,
        },
      },
    },
    async (request) => {
      const { user, sessionId, via } = principalOf(request);
      return {
        success: true as const,
        data: { user_id: user.id, username: user.username, role: user.role, session_id: sessionId, via },
      };
    },
  );

  api.post(
    "/api/v1/auth/api-keys",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["Authentication"],
        summary: "Create an API key for a program (shown once)",
        security: [{ bearer: [] }],
        body: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
        response: { 201: z.object({ success: z.literal(true), data: apiKey.extend({ key: z.string() }) }), ...failures },
      },
    },
    async (request, reply) => {
      const created = await auth.createApiKey(principalOf(request).user.id, request.body.name);
      reply.status(201);
      return { success: true as const, data: { ...keyInfo(created.apiKey), key: created.key } };
    },
  );

  api.get(
    "/api/v1/auth/api-keys",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["Authentication"],
        summary: "Your API keys (names and prefixes, never the keys)",
        security: [{ bearer: [] }],
        response: { 200: z.object({ success: z.literal(true), data: z.object({ api_keys: z.array(apiKey) }) }), ...failures },
      },
    },
    async (request) => ({
      success: true as const,
      data: {
        api_keys: (await auth.listApiKeys(principalOf(request).user.id))
          .filter((key) => key.revokedAt === undefined)
          .map(keyInfo),
      },
    }),
  );

  api.delete(
    "/api/v1/auth/api-keys/:id",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["Authentication"],
        summary: "Revoke one of your API keys",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1).max(128) }),
        response: { 200: z.object({ success: z.literal(true), message: z.string() }), ...failures },
      },
    },
    async (request) => {
      if (!(await auth.revokeApiKey(principalOf(request).user.id, request.params.id))) {
        throw new HttpError(404, "NOT_FOUND", `You have no API key ${request.params.id}`);
      }
      return { success: true as const, message: `Revoked ${request.params.id}` };
    },
  );
}

function keyInfo(key: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt?: Date }) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    ...(key.lastUsedAt === undefined ? {} : { last_used_at: key.lastUsedAt.toISOString() }),
  };
}

function tooManyAttempts(msBeforeNext: number): RateLimitError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new RateLimitError(`Too many failed sign-ins; try again in ${seconds} s`, {
    details: { retryAfterSeconds: seconds, limit: "server.login_attempts_per_minute" },
    recovery: "Wait, then check the username and password.",
  });
}
