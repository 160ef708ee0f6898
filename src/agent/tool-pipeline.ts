import { randomUUID } from "node:crypto";
import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import { AstrOSError } from "../core/errors/astros-error.js";
import type { ErrorCode } from "../core/errors/error-codes.js";
import { fileSystemFailure } from "../core/errors/file-system-failure.js";
import { PermissionError } from "../core/errors/permission-error.js";
import { PluginError } from "../core/errors/plugin-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import type { Logger } from "../core/logging/logger.js";
import type { Intent } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import type { UserRequest } from "../core/types/user-request.js";
import type { FileJournal } from "../exec/journal/file-journal.js";
import { validateArguments } from "../plugins/argument-schema.js";
import type { HandlerContext } from "../plugins/handler-context.js";
import { declaredPathEffects } from "../plugins/handler-definition.js";
import type { PluginManager } from "../plugins/plugin-manager.js";
import type { HandlerMatch, RegisteredPlugin } from "../plugins/plugin-registry.js";
import type { PluginServices } from "../plugins/plugin-services.js";
import { type TimeLimitControl, withTimeLimit } from "../plugins/with-time-limit.js";
import type { SafetyGuard } from "../safety/safety-guard.js";
import { stringsIn } from "./argument-strings.js";
import { errorResponse } from "./error-response.js";
import { type ExecutionScope, executionScope } from "./execution-scope.js";
import { normalizeResult, riskSummary } from "./handler-response.js";
import type { MeteredAI } from "./metered-ai.js";
import { PipelineConfirmations, untrustedSources } from "./pipeline-confirmations.js";
import {
  type AuditEntry,
  type AuditSink,
  type Decision,
  notConfirmed,
  type ToolAuthorizer,
  type ToolCall,
  type ToolGuard,
} from "./pipeline-seams.js";
import { createToolServices, type RiskNotice } from "./tool-services.js";
import { taintReason, untrustedRefusal } from "./turn-taint.js";

const maximumCallDepth = 8;

export interface ToolPipelineOptions {
  plugins: PluginManager;
  authorizer: ToolAuthorizer;
  guard: ToolGuard;
  /** The command and path guards and the safety settings behind every handler's exec, files and bulk confirmations. */
  safety: SafetyGuard;
  /** Plugins that need no first-use consent (AstrOS's own, those registered in code, permissions.trusted_plugins). */
  isTrusted: (plugin: RegisteredPlugin) => boolean;
  /** The journal behind undo, and the trash deletes go to. */
  journal: FileJournal;
  trashDirectory: string;
  audit: AuditSink;
  logger: Logger;
  now: () => number;
  servicesFor: (plugin: RegisteredPlugin) => PluginServices;
  /** The AI provider, metered for a plugin's calls in a request. */
  aiFor: (scope: ExecutionScope, plugin: string) => { provider: BaseAIProvider; metered: MeteredAI };
}

/**
 * The one path by which any handler runs: validate → authorize → guard → confirm → execute → audit.
 * Every step fails closed: an error or a missing confirmation channel means the call does not run.
 */
export class ToolPipeline {
  readonly #confirmations: PipelineConfirmations;

  constructor(private readonly options: ToolPipelineOptions) {
    this.#confirmations = new PipelineConfirmations({
      nonInteractive: () => options.safety.config.non_interactive,
      audit: (scope, type, detail, outcome) => this.#audit(scope, type, detail, outcome),
    });
  }

  /**
   * Run the handler a match names for an intent, inside the current request's scope. `confirmBecause`
   * asks for a yes even where the guard would allow the call (an AI model proposed a change).
   */
  async run(
    match: HandlerMatch,
    intent: Intent,
    scope: ExecutionScope,
    caller?: string,
    confirmBecause?: string,
  ): Promise<Response> {
    const { plugin, handler } = match;
    const pluginName = plugin.runtime.metadata.name;
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
    const call: ToolCall = {
      id: randomUUID(),
      tool: handler.intent,
      plugin: pluginName,
      handler: handler.name,
      args: validation.value,
      readOnly: handler.readOnly,
      requiresPermissions: [...new Set([...plugin.runtime.metadata.requiresPermissions, ...handler.requiresPermissions])],
      request: scope.request,
      ...(caller === undefined ? {} : { caller }),
      commands: stringsIn(validation.value, handler.commandArgs),
      paths: stringsIn(validation.value, handler.pathArgs),
      effects: declaredPathEffects(handler, validation.value),
      ...(scope.workspace === undefined ? {} : { workspace: scope.workspace }),
      ...(scope.confined === true ? { confined: true } : {}),
      trustedPlugin: this.options.isTrusted(plugin),
    };

    const decision = await this.#decide(call, scope, confirmBecause);
    if (decision.verdict !== "allow") {
      const code = (decision.code ?? (decision.risk === undefined ? "PERMISSION_DENIED" : "GUARD_BLOCKED")) as ErrorCode;
      const error = new PermissionError(`Not done: ${decision.reason}`, {
        code,
        details: {
          plugin: pluginName,
          handler: handler.name,
          tool: call.tool,
          ...(decision.risk === undefined ? {} : { risk: decision.risk, reasons: decision.reasons ?? [decision.reason] }),
          ...decision.details,
        },
        ...(code === "PERMISSION_DENIED" && decision.details?.permission !== undefined && decision.details.plugin === undefined
          ? { recovery: `An administrator can grant it: astros permissions grant ${String(decision.details.permission)}` }
          : {}),
        ...(code === "PERMISSION_DENIED" && decision.details?.plugin !== undefined
          ? { recovery: `To be asked again: astros permissions forget ${String(decision.details.plugin)}` }
          : {}),
      });
      return errorResponse(error, meta);
    }
    const notices: RiskNotice[] =
      decision.risk === "MODERATE" || decision.risk === "DANGEROUS"
        ? [{ level: decision.risk, reasons: [...(decision.reasons ?? [decision.reason])] }]
        : [];
    const preApproved = new Set(decision.risk === "DANGEROUS" ? call.commands : []);
    const timeLimit: { control?: TimeLimitControl } = {};
    const authorizeResource = this.options.authorizer.authorizeResource?.bind(this.options.authorizer);
    const tools = createToolServices({
      call,
      safety: this.options.safety,
      signal: scope.signal,
      ask: (question) => this.#confirmations.ask(scope, call, question),
      audit: (type, detail, outcome) => this.#audit(scope, type, detail, outcome),
      preApproved,
      notices,
      journal: this.options.journal,
      trashDirectory: this.options.trashDirectory,
      describe: () => (caller === undefined ? scope.request.text : `${scope.request.text} (${call.tool} via ${caller})`),
      timeLimit,
      ai: () => this.options.aiFor(scope, pluginName),
      ...(authorizeResource === undefined
        ? {}
        : { authorizeResource: (permission, file) => authorizeResource(call, permission, file) }),
    });

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
    const taint = scope.taint?.audit();
    await this.#audit(scope, "tool-call-started", {
      tool: call.tool,
      plugin: pluginName,
      handler: handler.name,
      args: call.args,
      ...(taint === undefined ? {} : { taint }),
      ...(scope.modelProposed === true ? { proposedBy: "model" } : {}),
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
        work: (signal, control) => {
          timeLimit.control = control;
          // The handler gets its own frozen copy of the request: what it does to it cannot change who
          // the pipeline authorizes, audits or asks in this call or in its callPlugin calls.
          const handlerIntent: Intent = {
            ...intent,
            entities: validation.value,
            context: { ...intent.context },
            originalRequest: detachedRequest(intent.originalRequest),
          };
          const context = this.#context(plugin, handlerIntent, { ...scope, signal }, call, tools.services, control);
          return executionScope.run({ ...scope, signal }, () => handler.invoke(handlerIntent, validation.value, context));
        },
      });
      response = normalizeResult(result, pluginName, handler.name);
      // What the handler answered is text that did not come from the person (a callPlugin result is marked by callPlugin, with its caller).
      if (caller === undefined) {
        scope.taint?.mark({
          source: call.tool,
          ...(call.paths[0] === undefined ? {} : { path: call.paths[0] }),
          ...(call.commands[0] === undefined ? {} : { command: call.commands[0] }),
        });
      }
    } catch (thrown) {
      // Ctrl-C, a closed WebSocket or a cancelled API call: the person stopped it; nothing failed.
      const error = scope.signal?.aborted === true ? cancelledError() : (fileSystemFailure(thrown) ?? thrown);
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
      if (AstrOSError.isInstance(error)) {
        // A refusal by the guard or the permissions, or a failure the plugin typed and explained
        // ("Nothing to undo"): an answer, audited, not a fault.
        this.options.logger.info(wrapped.message, { plugin: pluginName, handler: handler.name, code: error.code });
      } else {
        this.options.logger.error(wrapped.message, { plugin: pluginName, handler: handler.name, stack: (error as Error)?.stack });
      }
      response = errorResponse(wrapped, meta);
    }
    let changed: { operationId: string; changes: number } | undefined;
    try {
      changed = await tools.finish();
    } catch (error) {
      this.options.logger.error("could not close the file journal operation", { error: (error as Error).message });
    }
    if (response.metadata.error?.code === "REQUEST_CANCELLED") response.message = cancelledMessage(changed?.changes ?? 0);
    if (changed !== undefined) {
      await this.#audit(scope, "files-changed", { tool: call.tool, plugin: pluginName, ...changed }, "journaled");
      response.metadata = { ...response.metadata, operationId: changed.operationId, changes: changed.changes };
      if (response.success) response.suggestions = [...new Set([...response.suggestions, "undo"])];
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
      {
        tool: call.tool,
        plugin: pluginName,
        handler: handler.name,
        durationMs,
        // What the call answered: the audit log keeps its size and sha256, never the text (see summarizeAuditEntry).
        message: response.message,
        ...(response.metadata.error === undefined ? {} : { error: response.metadata.error.code }),
      },
      response.success ? "success" : "failure",
    );
    response.metadata = { ...response.metadata, ...meta, ...riskSummary(notices) };
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
    try {
      return await this.run(match, intent, { ...scope, depth: scope.depth + 1 }, caller);
    } finally {
      // What another plugin hands back is data that did not come from the person: it taints the turn.
      const paths = stringsIn(data, match.handler.pathArgs);
      const commands = stringsIn(data, match.handler.commandArgs);
      scope.taint?.mark({
        source: match.handler.intent,
        caller,
        ...(paths[0] === undefined ? {} : { path: paths[0] }),
        ...(commands[0] === undefined ? {} : { command: commands[0] }),
      });
    }
  }

  /** Authorize, then guard; ask where either says "ask"; every step and answer is audited. */
  async #decide(call: ToolCall, scope: ExecutionScope, confirmBecause?: string): Promise<Decision> {
    const authorization = await this.#step("authorizer", call, scope, () => this.options.authorizer.authorize(call));
    if (authorization.verdict === "deny") return authorization;
    if (authorization.verdict === "ask") {
      const consent = authorization.consent ?? [];
      if (consent.length === 0) {
        const answer = await this.#confirmations.ask(scope, call, { kind: "action", reasons: [authorization.reason] });
        if (!answer.approved)
          return { ...authorization, verdict: "deny", reason: `${authorization.reason} ${notConfirmed(answer.via)}` };
      }
      for (const permission of consent) {
        const { answer, remember } = await this.#confirmations.askConsent(scope, call, permission);
        if (remember) await this.options.authorizer.recordConsent?.(call, permission, answer);
        if (answer === "deny") {
          return {
            verdict: "deny",
            reason: `the ${call.plugin} plugin was not allowed to use ${permission}`,
            code: "PERMISSION_DENIED",
            details: { plugin: call.plugin, permission },
          };
        }
      }
    }
    const assessment = await this.#step("guard", call, scope, () => this.options.guard.assess(call));
    // After taint, every change the model proposes asks, whatever the guard's level: a SAFE-looking
    // command or a plain file write may be what the text it read told it to do.
    const taint = untrustedSources(scope);
    const changing = !call.readOnly || call.commands.length > 0;
    const untrusted = taint !== undefined && changing ? taint : undefined;
    // Before taint, a command the guard judged SAFE needs no extra yes, whoever proposed it.
    const extra =
      untrusted !== undefined
        ? [confirmBecause ?? "the AI model proposed this change", taintReason(untrusted)]
        : confirmBecause !== undefined && !(call.commands.length > 0 && assessment.risk === "SAFE")
          ? [confirmBecause]
          : [];
    if (assessment.verdict === "deny" || (assessment.verdict === "allow" && extra.length === 0)) return assessment;
    const answer = await this.#confirmations.ask(scope, call, {
      kind: "action",
      reasons: [...extra, ...(assessment.verdict === "ask" ? (assessment.reasons ?? [assessment.reason]) : [])],
      ...(assessment.risk === undefined || assessment.verdict !== "ask" ? {} : { risk: assessment.risk }),
      ...(call.commands.length === 1 ? { command: call.commands[0] } : {}),
      // "run `rm -rf node_modules` in ~/projects/webapp": the question says where it runs.
      ...(call.commands.length === 1 && typeof call.args.cwd === "string" ? { summary: `runs in ${call.args.cwd}` } : {}),
    });
    if (answer.approved) return { ...assessment, verdict: "allow" };
    if (untrusted !== undefined) {
      const what = call.commands.length === 1 ? `\`${call.commands[0]}\`` : `${call.tool} ${JSON.stringify(call.args)}`;
      return {
        ...assessment,
        verdict: "deny",
        reason: untrustedRefusal(what, untrusted, answer.via),
        code: "GUARD_BLOCKED",
        risk: assessment.risk === undefined || assessment.risk === "SAFE" ? "MODERATE" : assessment.risk,
        details: { ...assessment.details, taint: untrusted },
      };
    }
    const reason = assessment.verdict === "ask" ? assessment.reason : `${call.tool} ${JSON.stringify(call.args)}`;
    // A change nobody confirmed is refused like a risky one: the guard's code, so callers treat it alike.
    return {
      ...assessment,
      verdict: "deny",
      reason: `${reason} ${notConfirmed(answer.via)}`,
      ...(assessment.verdict === "allow" && assessment.risk === undefined ? { risk: "MODERATE" } : {}),
    };
  }

  async #step(name: string, call: ToolCall, scope: ExecutionScope, work: () => Promise<Decision>): Promise<Decision> {
    let decision: Decision;
    try {
      decision = await work();
    } catch (error) {
      decision = { verdict: "deny", reason: `the ${name} failed (${(error as Error).message}), so the action was refused` };
    }
    await this.#audit(
      scope,
      "decision-made",
      {
        step: name,
        tool: call.tool,
        plugin: call.plugin,
        verdict: decision.verdict,
        reason: decision.reason,
        ...(decision.risk === undefined ? {} : { risk: decision.risk }),
        ...(call.commands.length === 0 ? {} : { commands: call.commands }),
        ...(call.paths.length === 0 ? {} : { paths: call.paths }),
      },
      decision.verdict,
    );
    return decision;
  }

  /**
   * Asks once for a whole plan (the steps, one line each) on the request's channel, under the same
   * policy as any confirmation (no channel: `safety.non_interactive`), and audits the answer.
   */
  confirmPlan(
    scope: ExecutionScope,
    steps: readonly string[],
    paths: readonly string[],
  ): Promise<{ approved: boolean; via: string }> {
    return this.#confirmations.confirmPlan(scope, steps, paths);
  }

  #context(
    plugin: RegisteredPlugin,
    intent: Intent,
    scope: ExecutionScope,
    call: ToolCall,
    tools: ReturnType<typeof createToolServices>["services"],
    timeLimit: TimeLimitControl,
  ): HandlerContext {
    const services = this.options.servicesFor(plugin);
    return {
      intent: { ...intent, entities: call.args },
      requestId: scope.requestId,
      userId: scope.request.userId,
      sessionId: scope.request.sessionId,
      signal: scope.signal,
      logger: services.logger.child({ requestId: scope.requestId }),
      storage: services.storage,
      settings: services.settings,
      progress: (percent, message) => {
        // Progress shows the handler is alive: the time limit counts silence, not total time.
        timeLimit.touch();
        scope.emit({
          type: "status",
          status: "processing",
          message,
          ...(percent === undefined ? {} : { progress: Math.max(0, Math.min(100, percent)) }),
        });
      },
      text: (delta) => {
        timeLimit.touch();
        scope.emit({ type: "text_delta", delta });
      },
      callPlugin: (pluginName, handlerName, data = {}) => services.callPlugin(pluginName, handlerName, data),
      ...tools,
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

/** A frozen copy of a request for plugin code: the pipeline keeps the original. */
function detachedRequest(request: UserRequest): UserRequest {
  return Object.freeze({
    ...request,
    timestamp: new Date(request.timestamp),
    context: Object.freeze({ ...request.context }),
    metadata: Object.freeze({ ...request.metadata }),
  });
}

function cancelledError(): ProcessingError {
  return new ProcessingError("Cancelled; nothing was changed.", { code: "REQUEST_CANCELLED" });
}

/** What a cancelled call says: nothing changed, or what did and how to put it back (the journal kept it). */
function cancelledMessage(changes: number): string {
  if (changes === 0) return "Cancelled; nothing was changed.";
  return `Cancelled after ${changes} change${changes === 1 ? "" : "s"}; say "undo" to put ${changes === 1 ? "it" : "them"} back.`;
}
