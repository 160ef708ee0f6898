import { randomUUID } from "node:crypto";
import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import type { AstrOSConfig } from "../config/config-schema.js";
import { AstrOSError } from "../core/errors/astros-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import type { AgentEvent, AgentEventPayload } from "../core/events/agent-event.js";
import type { EventBus } from "../core/events/event-bus.js";
import type { Logger } from "../core/logging/logger.js";
import { type Intent, UNKNOWN_INTENT } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import { createUserRequest, type UserRequest, type UserRequestInit } from "../core/types/user-request.js";
import type { IntentRecognizer } from "../intent/intent-recognizer.js";
import type { PluginRegistry } from "../plugins/plugin-registry.js";
import type { RequestRateLimiter } from "../safety/rate-limit/request-rate-limiter.js";
import { maximumRequestLength, type ProcessOptions } from "./agent-options.js";
import type { ConversationStore, UsageTotals } from "./conversation-store.js";
import { isDeferring } from "./deferred-confirmation.js";
import { errorResponse } from "./error-response.js";
import type { ExecutionScope } from "./execution-scope.js";
import { confirmationRequired } from "./llm-turn.js";
import type { AIMeter } from "./metered-ai.js";
import { runModelRequest } from "./model-request.js";
import { notUnderstood } from "./not-understood.js";
import type { AuditSink } from "./pipeline-seams.js";
import { planOf } from "./plan-approval.js";
import { runPlannedRequest } from "./planned-request.js";
import type { SessionTracker } from "./session-tracker.js";
import { toolIntent } from "./tool-intent.js";
import type { ToolPipeline } from "./tool-pipeline.js";
import { TurnTaint } from "./turn-taint.js";

/** What a running agent gives the processor of its requests. */
export interface RequestProcessorOptions {
  config: AstrOSConfig;
  pipeline: ToolPipeline;
  registry: PluginRegistry;
  recognizer: IntentRecognizer;
  /** The configured LLM; undefined means the builtin engine answers everything. */
  llm: BaseAIProvider | undefined;
  conversations: ConversationStore;
  meter: (provider: BaseAIProvider) => AIMeter;
  requestLimiter: RequestRateLimiter | undefined;
  audit: AuditSink;
  events: EventBus;
  sessions: SessionTracker;
  logger: Logger;
  now: () => number;
}

/**
 * One request from text to answer: check it, count it against the user's rate, route it (the builtin
 * engine's intent, its plan, or the LLM), run it through the pipeline, and record and audit the answer.
 */
export class RequestProcessor {
  readonly #options: RequestProcessorOptions;

  constructor(options: RequestProcessorOptions) {
    this.#options = options;
  }

  /** Understand a request and carry it out; the Response says what went wrong, if anything. */
  async process(input: UserRequest | UserRequestInit, options: ProcessOptions): Promise<Response> {
    const started = this.#options.now();
    const requestId = randomUUID();
    if (typeof input?.text !== "string" || input.text.trim() === "" || input.text.length > maximumRequestLength) {
      const error = new ProcessingError(
        typeof input?.text !== "string" || input.text.trim() === ""
          ? "The request is empty: say what you want done"
          : `The request is too long (${input.text.length} characters; the limit is ${maximumRequestLength})`,
        { code: "REQUEST_INVALID" },
      );
      return errorResponse(error, { requestId });
    }
    const request = createUserRequest(input);
    try {
      await this.#options.requestLimiter?.consume(request.userId);
    } catch (error) {
      const refusal = AstrOSError.isInstance(error)
        ? error
        : new ProcessingError(`Could not check the request rate: ${(error as Error)?.message}`, { cause: error });
      await this.#options.audit
        .record({
          type: "request-refused",
          requestId,
          userId: request.userId,
          sessionId: request.sessionId,
          time: this.#options.now(),
          detail: { text: request.text, code: refusal.code, ...refusal.details },
          outcome: "rate-limited",
        })
        .catch((auditError: unknown) =>
          this.#options.logger.error("could not write the audit log", { error: (auditError as Error).message }),
        );
      return errorResponse(refusal, { requestId });
    }
    const emit = (payload: AgentEventPayload) => {
      const event = {
        ...payload,
        requestId,
        userId: request.userId,
        sessionId: request.sessionId,
        time: this.#options.now(),
      } as AgentEvent;
      try {
        options.onEvent?.(event);
      } catch (error) {
        this.#options.logger.warn("an event listener threw", { error: (error as Error).message });
      }
      this.#options.events.emit(event);
    };
    const signal = options.signal ?? new AbortController().signal;
    const scope: ExecutionScope = {
      request,
      requestId,
      emit,
      signal,
      confirm: options.confirm,
      ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
      ...(options.confine === true ? { confined: true } : {}),
      depth: 0,
      taint: new TurnTaint(),
    };
    this.#options.sessions.begin(request.sessionId);
    emit({ type: "task_started", text: request.text });
    const audit = (type: "request-received" | "request-completed", detail: Record<string, unknown>, outcome?: string) =>
      this.#options.audit.record({
        type,
        requestId,
        userId: request.userId,
        sessionId: request.sessionId,
        time: this.#options.now(),
        detail,
        ...(outcome === undefined ? {} : { outcome }),
      });
    let response: Response;
    try {
      await audit("request-received", {
        text: request.text,
        channel: request.metadata.channel ?? "api",
        ...(options.confirm?.inAdvance === undefined ? {} : { confirmedInAdvance: options.confirm.inAdvance }),
      });
      const intent: Intent | undefined =
        options.tool === undefined ? await this.#route(request) : toolIntent(request, options.tool.name, options.tool.args);
      const meta = intent === undefined ? {} : { intent: intent.type, confidence: intent.confidence };
      const plan = intent === undefined ? undefined : planOf(intent);
      if (intent === undefined) {
        response = await this.#modelRequest(scope);
      } else if (plan !== undefined) {
        response = await runPlannedRequest({
          steps: plan,
          intent,
          scope,
          pipeline: this.#options.pipeline,
          registry: this.#options.registry,
        });
        response.metadata = { ...response.metadata, ...meta, plan: true };
      } else if (intent.type === UNKNOWN_INTENT) {
        response = notUnderstood({
          text: request.text,
          meta,
          entities: intent.entities,
          registry: this.#options.registry,
          offline: this.#options.config.ai.provider === "builtin",
        });
      } else {
        const match = this.#options.registry.findHandlers(intent)[0];
        if (match === undefined) {
          const error = new ProcessingError(`I understood "${intent.type}", but no enabled plugin handles it`, {
            code: "NO_HANDLER",
            recovery: "Install or enable a plugin that handles it; `astros plugins` lists what is loaded.",
          });
          response = errorResponse(error, meta);
        } else {
          emit({ type: "status", status: "processing", progress: 0, message: `Working on ${intent.type}` });
          response = await this.#options.pipeline.run(match, intent, scope);
          response.metadata = { ...response.metadata, ...meta };
        }
      }
    } catch (error) {
      // A typed failure (the model timed out, a rate limit) is an answer the person is given, not a fault to trace.
      if (AstrOSError.isInstance(error) && error.category !== "internal") {
        this.#options.logger.info("request failed", { requestId, code: error.code, error: error.message });
      } else {
        this.#options.logger.error("request failed", {
          requestId,
          error: (error as Error)?.message,
          stack: (error as Error)?.stack,
        });
      }
      const wrapped = AstrOSError.isInstance(error)
        ? error
        : new ProcessingError(`Something went wrong while processing the request: ${(error as Error)?.message ?? error}`, {
            cause: error,
          });
      response = errorResponse(wrapped, {});
    } finally {
      this.#options.sessions.end(request.sessionId);
    }
    const deferred = isDeferring(options.confirm) ? options.confirm.deferred[0] : undefined;
    if (deferred !== undefined && !response.success && response.metadata.error?.code !== "CONFIRMATION_REQUIRED") {
      response = confirmationRequired(deferred, response);
    }
    this.#options.recognizer.observeResult?.(request, response);
    if (this.#options.llm !== undefined && options.tool === undefined) {
      // Both engines' answers go into the conversation, so the LLM can follow up on either.
      await this.#options.conversations
        ?.record(request.userId, request.sessionId, {
          request: request.text,
          answer: response.message,
          ...(response.metadata.usage === undefined ? {} : { usage: response.metadata.usage as UsageTotals }),
          // The answer may carry text that did not come from the person: later turns inherit the taint.
          ...(scope.taint?.sources[0] === undefined ? {} : { taint: scope.taint.sources[0] }),
        })
        .catch((error: unknown) =>
          this.#options.logger.warn("could not save the conversation", { error: (error as Error).message }),
        );
    }
    if (!response.success && response.metadata.error !== undefined) emit({ type: "error", error: response.metadata.error });
    response.metadata = { ...response.metadata, requestId, durationMs: this.#options.now() - started };
    try {
      await audit(
        "request-completed",
        {
          intent: response.metadata.intent,
          message: response.message,
          error: response.metadata.error?.code,
          ...(response.metadata.route === undefined ? {} : { route: response.metadata.route }),
          ...(response.metadata.usage === undefined ? {} : { usage: response.metadata.usage }),
        },
        response.success ? "success" : "failure",
      );
    } catch (error) {
      this.#options.logger.error("could not write the audit log", { error: (error as Error).message });
    }
    emit({ type: "status", status: "done", progress: 100, message: response.success ? "Done" : "Failed" });
    emit({ type: "task_completed", response });
    return response;
  }

  /**
   * Which engine takes a request: the builtin engine's intent, or undefined for the LLM. Without an
   * LLM (or with routing `builtin`) the builtin engine takes everything; with routing `llm` the LLM
   * does; hybrid keeps what the builtin engine is sure of (at least ai.hybrid_threshold) offline.
   */
  async #route(request: UserRequest): Promise<Intent | undefined> {
    const routing = this.#options.config.ai.routing;
    if (this.#options.llm === undefined || routing === "builtin") return this.#options.recognizer.recognize(request);
    if (routing === "llm") return undefined;
    const intent = await this.#options.recognizer.recognize(request);
    return intent.type !== UNKNOWN_INTENT && intent.confidence >= this.#options.config.ai.hybrid_threshold ? intent : undefined;
  }

  /** The request goes to the LLM (see runModelRequest). */
  async #modelRequest(scope: ExecutionScope): Promise<Response> {
    const { llm, registry, pipeline, conversations, config, logger } = this.#options;
    if (llm === undefined) throw new ProcessingError("No LLM is configured", { code: "AGENT_NOT_RUNNING" });
    return runModelRequest({ scope, llm, registry, pipeline, conversations, config, meter: this.#options.meter(llm), logger });
  }
}
