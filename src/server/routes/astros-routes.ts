import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { createDeferringChannel, type DeferredQuestion } from "../../agent/deferred-confirmation.js";
import type { AuthenticationManager } from "../../auth/authentication-manager.js";
import type { Response } from "../../core/types/response.js";
import { knownPermissions } from "../../plugins/plugin-permission.js";
import { errorBody, HttpError } from "../api-error.js";
import { type Principal, principalOf } from "../authenticate.js";
import type { ConfirmationTokens } from "../confirmation-tokens.js";
import { conversationOf, type UserHomes } from "../user-homes.js";

export interface AstrOSRoutesOptions {
  agent: AstrOSAgent;
  auth: AuthenticationManager;
  tokens: ConfirmationTokens;
  /** Where users' requests run (their own folder, unless they are administrators). */
  homes: UserHomes;
  /** The hook that sets request.principal (401 otherwise). */
  authenticated: (request: FastifyRequest) => Promise<void>;
  /** The hook that also requires the admin role (403 otherwise). */
  adminOnly: (request: FastifyRequest) => Promise<void>;
}

const context = z.record(z.string(), z.unknown()).describe("Where and how to understand the request (e.g. path)");

const processBody = z
  .object({
    text: z.string().trim().min(1).max(100_000).describe("What to do, in your own words"),
    context: context.optional(),
    session_id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,128}$/)
      .optional()
      .describe("A conversation of your own within your login (follow-ups refer to it); default: the login's"),
  })
  .strict();

const confirmation = z
  .object({
    token: z.string(),
    expires_at: z.string(),
    kind: z.string(),
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
    reasons: z.array(z.string()),
    risk: z.string().optional(),
    command: z.string().optional(),
    steps: z.array(z.string()).optional(),
  })
  .describe("What needs a yes: POST /api/v1/confirm with the token to run exactly this");

const processResult = z
  .object({
    success: z.boolean(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
    suggestions: z.array(z.string()),
    requires_followup: z.boolean(),
    metadata: z.record(z.string(), z.unknown()),
    confirmation: confirmation.optional(),
  })
  .describe("The seed's response: success, message, data (plus suggestions, metadata and any confirmation needed)");

const plugin = z.object({ name: z.string(), version: z.string(), status: z.string(), description: z.string() });

const user = z.object({
  user_id: z.string(),
  username: z.string(),
  role: z.string(),
  disabled: z.boolean(),
  created_at: z.string(),
  active_sessions: z.number().optional(),
});

const permissionEntry = z.object({ permission: z.string(), resource: z.string(), effect: z.string(), source: z.string() });

/** The AstrOS REST API (the seed's /api/v1): process, confirm, plugins, status, users and permissions for admins. */
export async function astrosRoutes(app: FastifyInstance, options: AstrOSRoutesOptions): Promise<void> {
  const { agent, auth, tokens } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const failures = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 429: errorBody };

  /** Runs a request as the caller: confined to their own folder unless they are an administrator. */
  const run = async (
    principal: Principal,
    init: { text: string; context: Record<string, unknown>; sessionId: string },
    extra: { tool?: { name: string; args: Record<string, unknown> }; approved?: DeferredQuestion } = {},
  ) => {
    const { context, confinement } = await options.homes.scope(principal, init.context);
    const channel = createDeferringChannel({
      ...(extra.approved === undefined ? {} : { approved: extra.approved, via: "API confirmation token" }),
    });
    const response = await agent.processRequest(
      {
        text: init.text,
        userId: principal.user.id,
        sessionId: init.sessionId,
        context,
        metadata: { channel: "api" },
      },
      {
        confirm: channel,
        ...(extra.tool === undefined ? {} : { tool: extra.tool }),
        ...confinement,
      },
    );
    return wire(response, principal, init);
  };

  /** A Response as JSON, with a token for the confirmation it asks for. */
  const wire = (
    response: Response,
    principal: Principal,
    init: { text: string; context: Record<string, unknown>; sessionId: string },
  ) => {
    const question = response.data?.confirmation as DeferredQuestion | undefined;
    const issued =
      response.metadata.error?.code === "CONFIRMATION_REQUIRED" && question !== undefined
        ? tokens.issue({ userId: principal.user.id, sessionId: init.sessionId, text: init.text, context: init.context, question })
        : undefined;
    return {
      success: response.success,
      message: response.message,
      ...(response.data === undefined ? {} : { data: response.data }),
      suggestions: response.suggestions,
      requires_followup: response.requiresFollowup,
      metadata: response.metadata as Record<string, unknown>,
      ...(issued === undefined || question === undefined
        ? {}
        : {
            confirmation: {
              token: issued.token,
              expires_at: issued.expiresAt.toISOString(),
              kind: question.kind,
              tool: question.tool,
              args: question.args,
              reasons: question.reasons,
              ...(question.risk === undefined ? {} : { risk: question.risk }),
              ...(question.command === undefined ? {} : { command: question.command }),
              ...(question.steps === undefined ? {} : { steps: question.steps }),
            },
          }),
    };
  };

  api.post(
    "/api/v1/process",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["AstrOS"],
        summary: "Carry out a request in natural language",
        description:
          "Runs through the same pipeline as every interface. An action that needs a yes answers with `confirmation`: POST its token to /api/v1/confirm.",
        security: [{ bearer: [] }],
        body: processBody,
        response: { 200: processResult, ...failures },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const body = request.body;
      const sessionId = conversationOf(principal, body.session_id);
      return run(principal, { text: body.text, context: body.context ?? {}, sessionId });
    },
  );

  api.post(
    "/api/v1/confirm",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["AstrOS"],
        summary: "Confirm (or decline) the action a confirmation token was issued for",
        description: "The token is bound to your user and to exactly that action; it works once, for five minutes.",
        security: [{ bearer: [] }],
        body: z.object({ token: z.string().min(1).max(200), approve: z.boolean().default(true) }).strict(),
        response: { 200: processResult, ...failures },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const binding = tokens.redeem(request.body.token, principal.user.id);
      if (binding === undefined) {
        throw new HttpError(
          404,
          "NOT_FOUND",
          "That confirmation token is unknown, used, expired, or not yours; send the request again",
        );
      }
      const init = { text: binding.text, context: binding.context, sessionId: binding.sessionId };
      if (!request.body.approve) {
        return {
          success: false,
          message: "Not done: you declined it.",
          suggestions: [],
          requires_followup: false,
          metadata: { declined: binding.question },
        };
      }
      const { question } = binding;
      // A plan runs again as the same request; anything else is the one call it was about.
      return run(principal, init, {
        approved: question,
        ...(question.kind === "plan" ? {} : { tool: { name: question.tool, args: question.args } }),
      });
    },
  );

  api.get(
    "/api/v1/plugins",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["AstrOS"],
        summary: "The plugins loaded, disabled or failed",
        security: [{ bearer: [] }],
        response: { 200: z.object({ success: z.literal(true), data: z.object({ plugins: z.array(plugin) }) }), ...failures },
      },
    },
    async () => {
      const status = await agent.getStatus();
      return {
        success: true as const,
        data: {
          plugins: status.plugins.map((entry) => ({
            name: entry.name,
            version: entry.version,
            status: entry.status,
            description: entry.description,
          })),
        },
      };
    },
  );

  api.get(
    "/api/v1/status",
    {
      onRequest: options.authenticated,
      schema: {
        tags: ["AstrOS"],
        summary: "The agent's status: uptime, plugins, sessions, memory, CPU, AI",
        security: [{ bearer: [] }],
        response: { 200: z.object({ success: z.literal(true), data: z.record(z.string(), z.unknown()) }), ...failures },
      },
    },
    async () => {
      // The seed's SystemStatus names (plugins_loaded, memory_usage, …), like every other field on the wire.
      const status = await agent.getStatus();
      return { success: true as const, data: snakeCaseKeys(status) };
    },
  );

  api.get(
    "/api/v1/users",
    {
      onRequest: options.adminOnly,
      schema: {
        tags: ["Administration"],
        summary: "List users (administrators)",
        security: [{ bearer: [] }],
        response: { 200: z.object({ success: z.literal(true), data: z.object({ users: z.array(user) }) }), ...failures },
      },
    },
    async () => ({
      success: true as const,
      data: {
        users: (await auth.listUsers()).map((entry) => ({
          user_id: entry.id,
          username: entry.username,
          role: entry.role,
          disabled: entry.disabled,
          created_at: entry.createdAt.toISOString(),
          active_sessions: entry.activeSessions,
        })),
      },
    }),
  );

  api.post(
    "/api/v1/users",
    {
      onRequest: options.adminOnly,
      schema: {
        tags: ["Administration"],
        summary: "Create a user (administrators)",
        security: [{ bearer: [] }],
        body: z
          .object({
            username: z.string().min(1).max(64),
            password: z.string().min(1).max(1024),
            role: z.enum(["user", "admin"]).default("user"),
          })
          .strict(),
        response: { 201: z.object({ success: z.literal(true), data: user }), 409: errorBody, ...failures },
      },
    },
    async (request, reply) => {
      const created = await auth.createUser(request.body);
      reply.status(201);
      return {
        success: true as const,
        data: {
          user_id: created.id,
          username: created.username,
          role: created.role,
          disabled: created.disabled,
          created_at: created.createdAt.toISOString(),
        },
      };
    },
  );

  api.delete(
    "/api/v1/users/:username",
    {
      onRequest: options.adminOnly,
      schema: {
        tags: ["Administration"],
        summary: "Remove a user, their sessions and API keys (administrators)",
        security: [{ bearer: [] }],
        params: z.object({ username: z.string().min(1).max(64) }),
        response: { 200: z.object({ success: z.literal(true), message: z.string() }), ...failures },
      },
    },
    async (request) => {
      if (request.params.username.toLowerCase() === principalOf(request).user.username.toLowerCase()) {
        throw new HttpError(400, "REQUEST_INVALID", "You cannot remove yourself; another administrator can");
      }
      await auth.removeUser(request.params.username);
      return { success: true as const, message: `Removed ${request.params.username}` };
    },
  );

  api.get(
    "/api/v1/users/:user_id/permissions",
    {
      onRequest: options.adminOnly,
      schema: {
        tags: ["Administration"],
        summary: "A user's permissions (administrators)",
        security: [{ bearer: [] }],
        params: z.object({ user_id: z.string().min(1).max(128) }),
        response: {
          200: z.object({
            success: z.literal(true),
            data: z.object({ user_id: z.string(), permissions: z.array(permissionEntry) }),
          }),
          ...failures,
        },
      },
    },
    async (request) => {
      const target = await existingUser(auth, request.params.user_id);
      const permissions = await agent.permissions.listPermissions(target);
      return {
        success: true as const,
        data: {
          user_id: target,
          permissions: permissions.map((entry) => ({
            permission: entry.permission,
            resource: entry.resource,
            effect: entry.effect,
            source: entry.source,
          })),
        },
      };
    },
  );

  api.post(
    "/api/v1/users/:user_id/permissions",
    {
      onRequest: options.adminOnly,
      schema: {
        tags: ["Administration"],
        summary: "Grant, revoke or reset a user's permission (administrators)",
        security: [{ bearer: [] }],
        params: z.object({ user_id: z.string().min(1).max(128) }),
        body: z
          .object({
            action: z.enum(["grant", "revoke", "reset"]),
            permission: z.string().min(1).max(64),
            resource: z.string().min(1).max(4096).default("*").describe("A path glob, or * for everything"),
          })
          .strict(),
        response: { 200: z.object({ success: z.literal(true), message: z.string() }), ...failures },
      },
    },
    async (request) => {
      const target = await existingUser(auth, request.params.user_id);
      const { action, permission, resource } = request.body;
      if (!(knownPermissions as readonly string[]).includes(permission) && !permission.includes(".")) {
        throw new HttpError(400, "REQUEST_INVALID", `Unknown permission "${permission}"; known: ${knownPermissions.join(", ")}`);
      }
      if (action === "grant") await agent.permissions.grantPermission(target, permission, resource);
      else if (action === "revoke") await agent.permissions.revokePermission(target, permission, resource);
      else await agent.permissions.resetPermission(target, permission, resource);
      return { success: true as const, message: `${action}: ${permission} on ${resource} for ${target}` };
    },
  );
}

async function existingUser(auth: AuthenticationManager, id: string): Promise<string> {
  const found = (await auth.getUser(id)) ?? (await auth.findUserByName(id));
  if (found === undefined) throw new HttpError(404, "USER_NOT_FOUND", `No user ${id}`);
  return found.id;
}

/** An object's keys (and its nested objects' keys) in snake_case. */
function snakeCaseKeys(value: unknown): Record<string, unknown> {
  const convert = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(convert);
    if (typeof item !== "object" || item === null || item instanceof Date) return item;
    return Object.fromEntries(
      Object.entries(item).map(([key, inner]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), convert(inner)]),
    );
  };
  return convert(value) as Record<string, unknown>;
}
