import { randomUUID } from "node:crypto";
import { validateArguments } from "../../plugins/argument-schema.js";
import type { HandlerContext } from "../../plugins/handler-context.js";
import type { PluginManager } from "../../plugins/plugin-manager.js";
import type { HandlerMatch, RegisteredPlugin } from "../../plugins/plugin-registry.js";
import type { PluginServices } from "../../plugins/plugin-services.js";
import { withTimeLimit } from "../../plugins/with-time-limit.js";
import { AstrOSError } from "../errors/astros-error.js";
import { PermissionError } from "../errors/permission-error.js";
import { PluginError } from "../errors/plugin-error.js";
import type { Logger } from "../logging/logger.js";
import type { Intent } from "../types/intent.js";
import { createResponse, type Response } from "../types/response.js";
import { errorResponse } from "./error-response.js";
import { type ExecutionScope, executionScope } from "./execution-scope.js";
import type { AuditEntry, AuditSink, Decision, ToolAuthorizer, ToolCall, ToolGuard } from "./pipeline-seams.js";

const maximumCallDepth = 8;

export interface ToolPipelineOptions {
  plugins: PluginManager;
  authorizer: ToolAuthorizer;
  guard: ToolGuard;
  audit: AuditSink;
  logger: Logger;
  now: () => number;
  servicesFor: (plugin: RegisteredPlugin) => PluginServices;
}

/**
 * The one path by which any handler runs: validate → authorize → guard → confirm → execute → audit.
 * Every step fails closed: an error or a missing confirmation channel means the call does not run.
 */
export class ToolPipeline {
  constructor(private readonly options: ToolPipelineOptions) {}

  /** Run the handler a match names for an intent, inside the current request's scope. */
  async run(match: HandlerMatch, intent: Intent, scope: ExecutionScope, caller?: string): Promise<Response> {
    const { plugin, handler } = match;
    const pluginName = plugin.runtime.metadata.name;
    const call: ToolCall = {
      id: randomUUID(),
      tool: handler.intent,
      plugin: pluginName,
      handler: handler.name,
      args: intent.entities,
      readOnly: handler.readOnly,
      requiresPermissions: [...new Set([...plugin.runtime.metadata.requiresPermissions, ...handler.requiresPermissions])],
      request: scope.request,
      ...(caller === undefined ? {} : { caller }),
    };
    const meta = { plugin: pluginName, handler: handler.name, intent: handler.intent };

    const validation = await validateArguments(handler.args, intent.entities);
    if (!validation.ok) {
      const problems = validation.issues.map((issue) => `${issue.path || "(arguments)"}: ${issue.message}`);
      const error = new PluginError(`Invalid arguments for ${pluginName}.${handler.name}: ${problems.join("; ")}`, {
        code: "PLUGIN_ARGUMENTS_INVALID",
        details: { plugin: pluginName, handler: handler.name, problems },
      });
      return errorResponse(error, meta);
    }
    call.args = validation.value;

    const decision = await this.#decide(call, scope);
    if (decision.verdict !== "allow") {
      const error = new PermissionError(`Not done: ${decision.reason}`, {
        code: decision.risk === undefined ? "PERMISSION_DENIED" : "GUARD_BLOCKED",
        details: { plugin: pluginName, handler: handler.name, tool: call.tool },
      });
      return errorResponse(error, meta);
    }

    await this.options.plugins.ensureReady(plugin, this.options.servicesFor(plugin));
    if (plugin.state !== "active") {
      const error = new PluginError(`The ${pluginName} plugin is not available: ${plugin.failure ?? plugin.state}`, {
        code: "PLUGIN_LOAD_FAILED",
        details: { plugin: pluginName },
      });
      return errorResponse(error, meta);
    }

    const started = this.options.now();
    scope.emit({ type: "tool_call", toolCallId: call.id, tool: call.tool, plugin: pluginName, args: call.args });
    await this.#audit(scope, "tool-call-started", {
      tool: call.tool,
      plugin: pluginName,
      handler: handler.name,
      args: call.args,
    });
    let response: Response;
    try {
      const result = await withTimeLimit({
        milliseconds: this.options.plugins.timeoutMilliseconds,
        signal: scope.signal,
        onTimeout: () =>
          new PluginError(`The ${pluginName} plugin did not answer within ${this.options.plugins.timeoutMilliseconds / 1000} s`, {
            code: "PLUGIN_TIMEOUT",
            details: { plugin: pluginName, handler: handler.name },
            recovery: "Try again, or raise plugins.plugin_timeout in the configuration.",
          }),
        work: (signal) => {
          const context = this.#context(plugin, intent, scope, signal, validation.value);
          return executionScope.run({ ...scope, signal }, () =>
            handler.invoke({ ...intent, entities: validation.value }, validation.value, context),
          );
        },
      });
      response = normalizeResult(result, pluginName, handler.name);
    } catch (error) {
      const wrapped = AstrOSError.isInstance(error)
        ? error
        : new PluginError(
            `The ${pluginName} plugin failed while handling ${handler.intent}: ${(error as Error)?.message ?? String(error)}`,
            {
              code: "PLUGIN_HANDLER_FAILED",
              details: { plugin: pluginName, handler: handler.name },
              recovery: "This is a fault in the plugin; its author can see the details in the log.",
              cause: error,
            },
          );
      this.options.logger.error(wrapped.message, { plugin: pluginName, handler: handler.name, stack: (error as Error)?.stack });
      response = errorResponse(wrapped, meta);
    }
    const durationMs = this.options.now() - started;
    scope.emit({
      type: "tool_complete",
      toolCallId: call.id,
      tool: call.tool,
      plugin: pluginName,
      success: response.success,
      message: response.message,
      durationMs,
    });
    await this.#audit(
      scope,
      "tool-call-completed",
      { tool: call.tool, plugin: pluginName, handler: handler.name, durationMs },
      response.success ? "success" : "failure",
    );
    response.metadata = { ...response.metadata, ...meta };
    return response;
  }

  /** A handler named by plugin and handler name, called from plugin code with data as its arguments. */
  async callPlugin(caller: string, pluginName: string, handlerName: string, data: Record<string, unknown>): Promise<Response> {
    const scope = executionScope.getStore();
    if (scope === undefined) {
      throw new PluginError(`${caller}: callPlugin can only be used while handling a request`, { code: "PLUGIN_INVALID" });
    }
    if (scope.depth >= maximumCallDepth) {
      throw new PluginError(`${caller}: callPlugin nested deeper than ${maximumCallDepth} calls (a loop between plugins?)`, {
        code: "PLUGIN_INVALID",
      });
    }
    const match = this.options.plugins.registry.findHandler(pluginName, handlerName);
    const intent: Intent = {
      type: match.handler.intent,
      confidence: 1,
      entities: data,
      context: { ...scope.request.context },
      timestamp: new Date(this.options.now()),
      originalRequest: scope.request,
    };
    return this.run(match, intent, { ...scope, depth: scope.depth + 1 }, caller);
  }

  async #decide(call: ToolCall, scope: ExecutionScope): Promise<Decision> {
    const decisions: Decision[] = [];
    for (const [name, step] of [
      ["authorizer", () => this.options.authorizer.authorize(call)],
      ["guard", () => this.options.guard.assess(call)],
    ] as const) {
      let decision: Decision;
      try {
        decision = await step();
      } catch (error) {
        decision = { verdict: "deny", reason: `the ${name} failed (${(error as Error).message}), so the action was refused` };
      }
      await this.#audit(
        scope,
        "decision-made",
        { step: name, tool: call.tool, plugin: call.plugin, ...decision },
        decision.verdict,
      );
      if (decision.verdict === "deny") return decision;
      decisions.push(decision);
    }
    const asks = decisions.filter((decision) => decision.verdict === "ask");
    if (asks.length === 0) return { verdict: "allow", reason: "allowed" };
    const reasons = asks.map((decision) => decision.reason);
    let confirmed = false;
    let why = "no way to ask for confirmation on this channel";
    if (scope.confirm !== undefined) {
      try {
        confirmed = await scope.confirm({ call, reasons });
        why = confirmed ? "confirmed" : "not confirmed";
      } catch (error) {
        why = `confirmation failed (${(error as Error).message})`;
      }
    }
    await this.#audit(scope, "confirmation-answered", { tool: call.tool, plugin: call.plugin, reasons }, why);
    const risk = asks.find((decision) => decision.risk !== undefined)?.risk;
    return confirmed
      ? { verdict: "allow", reason: "confirmed" }
      : { verdict: "deny", reason: `${reasons.join("; ")} (${why})`, ...(risk === undefined ? {} : { risk }) };
  }

  #context(
    plugin: RegisteredPlugin,
    intent: Intent,
    scope: ExecutionScope,
    signal: AbortSignal,
    args: Record<string, unknown>,
  ): HandlerContext {
    const services = this.options.servicesFor(plugin);
    return {
      intent: { ...intent, entities: args },
      requestId: scope.requestId,
      userId: scope.request.userId,
      sessionId: scope.request.sessionId,
      signal,
      logger: services.logger.child({ requestId: scope.requestId }),
      storage: services.storage,
      settings: services.settings,
      progress: (percent, message) =>
        scope.emit({
          type: "status",
          status: "processing",
          message,
          ...(percent === undefined ? {} : { progress: Math.max(0, Math.min(100, percent)) }),
        }),
      text: (delta) => scope.emit({ type: "text_delta", delta }),
      callPlugin: (pluginName, handlerName, data = {}) => services.callPlugin(pluginName, handlerName, data),
    };
  }

  async #audit(
    scope: ExecutionScope,
    type: AuditEntry["type"],
    detail: Record<string, unknown>,
    outcome?: string,
  ): Promise<void> {
    const entry: AuditEntry = {
      type,
      requestId: scope.requestId,
      userId: scope.request.userId,
      sessionId: scope.request.sessionId,
      time: this.options.now(),
      detail,
      ...(outcome === undefined ? {} : { outcome }),
    };
    await this.options.audit.record(entry);
  }
}

/** Accept a full Response or a partial one from a handler; anything else is the plugin's fault. */
function normalizeResult(result: unknown, pluginName: string, handlerName: string): Response {
  if (typeof result !== "object" || result === null || typeof (result as Response).success !== "boolean") {
    throw new PluginError(
      `The ${pluginName} plugin's ${handlerName} handler returned no response (expected {success, message})`,
      {
        code: "PLUGIN_HANDLER_FAILED",
        details: { plugin: pluginName, handler: handlerName },
      },
    );
  }
  const value = result as Partial<Response> & { success: boolean };
  return createResponse({
    success: value.success,
    message: typeof value.message === "string" ? value.message : "",
    ...(value.data === undefined || value.data === null ? {} : { data: value.data }),
    suggestions: Array.isArray(value.suggestions) ? value.suggestions.map(String) : [],
    requiresFollowup: value.requiresFollowup === true,
    metadata: typeof value.metadata === "object" && value.metadata !== null ? value.metadata : {},
  });
}
