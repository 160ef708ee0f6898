import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { AIProvider } from "../ai/ai-provider.js";
import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import { BuiltinProvider } from "../ai/builtin-provider.js";
import { providerSettings } from "../ai/provider-settings.js";
import { PermissionAuthorizer } from "../auth/permission-authorizer.js";
import { PermissionManager } from "../auth/permission-manager.js";
import type { AstrOSConfig } from "../config/config-schema.js";
import { loadConfig } from "../config/load-config.js";
import { resolveXdgPaths } from "../config/xdg-paths.js";
import { AstrOSError, toErrorInfo } from "../core/errors/astros-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import type { AgentEvent, AgentEventPayload } from "../core/events/agent-event.js";
import { EventBus } from "../core/events/event-bus.js";
import { createLogger, type LogLevel } from "../core/logging/create-logger.js";
import { type Logger, silentLogger } from "../core/logging/logger.js";
import { type Intent, UNKNOWN_INTENT } from "../core/types/intent.js";
import { createResponse, type Response } from "../core/types/response.js";
import type { AgentState, SystemStatus } from "../core/types/system-status.js";
import { confinedWorkspaceKey, createUserRequest, type UserRequest, type UserRequestInit } from "../core/types/user-request.js";
import { FileJournal } from "../exec/journal/file-journal.js";
import { BuiltinRecognizer } from "../intent/builtin-recognizer.js";
import type { IntentRecognizer } from "../intent/intent-recognizer.js";
import type { PlannedStep } from "../intent/parse-request.js";
import { PluginManager } from "../plugins/plugin-manager.js";
import type { PluginHandle, RegisteredPlugin } from "../plugins/plugin-registry.js";
import type { PluginServices } from "../plugins/plugin-services.js";
import { AuditLogger } from "../safety/audit/audit-logger.js";
import { astrosStatePlaces } from "../safety/effect-policy/astros-state.js";
import type { LlmRateLimiter } from "../safety/rate-limit/llm-rate-limiter.js";
import type { RateLimitStore } from "../safety/rate-limit/rate-limit-store.js";
import type { RequestRateLimiter } from "../safety/rate-limit/request-rate-limiter.js";
import { SafetyGuard } from "../safety/safety-guard.js";
import type { DatabaseManager } from "../store/database-manager.js";
import { KeyValueStore } from "../store/key-value-store.js";
import { openDatabase } from "../store/open-database.js";
import { PluginStorage } from "../store/plugin-storage.js";
import { firstPartyTools } from "../tools/first-party-tools.js";
import { createScheduledRunDelivery } from "../tools/schedule/deliver-scheduled-run.js";
import { createSchedulePlugin } from "../tools/schedule/schedule-plugin.js";
import { ScheduleStore } from "../tools/schedule/schedule-store.js";
import { Scheduler } from "../tools/schedule/scheduler.js";
import { addUsage, ConversationStore, emptyUsage, type UsageTotals } from "./conversation-store.js";
import { createCorePlugin } from "./core-plugin.js";
import { CpuSampler } from "./cpu-sampler.js";
import { createDeferringChannel, isDeferring } from "./deferred-confirmation.js";
import { errorResponse } from "./error-response.js";
import type { ExecutionScope } from "./execution-scope.js";
import { confirmationRequired, runLlmTurn } from "./llm-turn.js";
import { type AIMeter, meteredAI } from "./metered-ai.js";
import { openRateLimiters } from "./open-rate-limiters.js";
import { packageRoot, packageVersion } from "./package-info.js";
import type { AuditEntry, AuditSink, ConfirmationChannel, ToolAuthorizer, ToolGuard } from "./pipeline-seams.js";
import { approvedByPlan, planOf } from "./plan-approval.js";
import { runPlan } from "./run-plan.js";
import { SessionTracker } from "./session-tracker.js";
import { systemPrompt } from "./system-prompt.js";
import { buildToolCatalog } from "./tool-catalog.js";
import { stringsIn, ToolPipeline } from "./tool-pipeline.js";
import { type TaintSource, TurnTaint } from "./turn-taint.js";

/** Longest request text accepted (characters). */
export const maximumRequestLength = 100_000;

export interface AstrOSAgentOptions {
  /** A configuration file read on top of the usual layers (like ASTROS_CONFIG). */
  configPath?: string;
  /** Configuration values applied last (nested, snake_case as in config.toml). */
  configOverrides?: Record<string, unknown>;
  /** An already-loaded configuration; skips loading files and environment. */
  config?: AstrOSConfig;
  /** Use this database instead of opening the configured one (the agent will not close it). */
  database?: DatabaseManager;
  recognizer?: IntentRecognizer;
  logger?: Logger;
  /** Discover plugins on the configured paths at start (default: config plugins.auto_load). */
  discoverPlugins?: boolean;
  /** Also look in AstrOS's own plugins/ folder (default true). */
  includeBundledPlugins?: boolean;
  /** Register AstrOS's own tools: files, system, processes, shell, notes, schedules (default true). */
  includeTools?: boolean;
  /** Who may do what (default: the PermissionManager on the agent's database, with plugin consent). */
  authorizer?: ToolAuthorizer;
  /** How risky is a call (default: the SafetyGuard built from the `[safety]` configuration). */
  guard?: ToolGuard;
  /** Where audit entries go (default: the hash-chained log `audit.log` in the XDG state folder). */
  audit?: AuditSink;
  /** Where the file journal behind undo lives (default: `journal` in the XDG state folder). */
  journalDirectory?: string;
  /** The trash deleted files go to (default: the freedesktop trash, `$XDG_DATA_HOME/Trash`). */
  trashDirectory?: string;
  /** Requests per user per minute (default: from rate_limits.requests_per_minute, counted in rate_limits.store). */
  requestRateLimiter?: RequestRateLimiter;
  /** LLM calls and tokens per user per minute (default: from rate_limits.llm_*, counted in rate_limits.store). */
  llmRateLimiter?: LlmRateLimiter;
  /** The LLM to use instead of the one `ai.provider` names (routing still follows `ai.routing`). */
  aiProvider?: BaseAIProvider;
  /**
   * Run schedules in this process (default false): start() arms the stored schedules, delivers reminders
   * as `reminder` events and runs scheduled requests; stop() disarms them. The REPL and `astros worker` do.
   */
  runSchedules?: boolean;
  now?: () => number;
}

export interface ProcessOptions {
  signal?: AbortSignal;
  /** Receives this request's events as they happen. */
  onEvent?: (event: AgentEvent) => void;
  /**
   * How to ask the person for confirmation on this request's channel. Without one, what needs confirmation
   * follows safety.non_interactive (`deny` by default).
   */
  confirm?: ConfirmationChannel;
  /** The session's workspace folder, an extra allowed root. Set by the interface, never taken from the request. */
  workspace?: string;
  /**
   * The workspace is the only allowed root, and every command runs in the sandbox with AstrOS's own
   * folders and other workspaces hidden: for users of a server, who must see only their own files.
   */
  confine?: boolean;
  /**
   * Run this tool with these arguments instead of recognizing the text (for interfaces that already
   * know the tool: a CLI subcommand, an MCP or LLM tool call). Same pipeline, checks and audit.
   */
  tool?: { name: string; args: Record<string, unknown> };
}

/**
 * The main orchestrator: every interface (CLI, REPL, API, MCP, dashboard) drives this one
 * pipeline: recognize → find handler → validate → authorize → guard → confirm → execute → audit.
 */
export class AstrOSAgent {
  readonly events = new EventBus();
  #state: AgentState = "stopped";
  #startedAt = 0;
  #options: AstrOSAgentOptions;
  #config: AstrOSConfig | undefined;
  #logger: Logger;
  #database: DatabaseManager | undefined;
  #ownsDatabase = false;
  #keyValue: KeyValueStore | undefined;
  #plugins: PluginManager | undefined;
  #pipeline: ToolPipeline | undefined;
  #permissions: PermissionManager | undefined;
  #safety: SafetyGuard | undefined;
  #journal: FileJournal | undefined;
  #requestLimiter: RequestRateLimiter | undefined;
  #llmLimiter: LlmRateLimiter | undefined;
  #closeRateLimitStore: (() => Promise<void>) | undefined;
  #rateLimitStore: RateLimitStore | undefined;
  #scheduler: Scheduler | undefined;
  #recognizer: IntentRecognizer;
  /** The LLM, when one is configured; undefined means the builtin engine answers everything. */
  #llm: BaseAIProvider | undefined;
  #conversations: ConversationStore | undefined;
  #aiUsage: UsageTotals = emptyUsage();
  readonly #builtin = new BuiltinProvider();
  #audit: AuditSink = { record: async () => {} };
  readonly #pending: unknown[] = [];
  readonly #services = new Map<string, PluginServices>();
  readonly #sessions: SessionTracker;
  readonly #cpu = new CpuSampler();
  readonly #now: () => number;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: AstrOSAgentOptions | string = {}) {
    this.#options = typeof options === "string" ? { configPath: options } : options;
    this.#now = this.#options.now ?? Date.now;
    this.#logger = this.#options.logger ?? silentLogger;
    this.#recognizer = this.#options.recognizer ?? new BuiltinRecognizer();
    this.#sessions = new SessionTracker(this.#now);
  }

  get state(): AgentState {
    return this.#state;
  }

  /** The effective configuration (after start()). */
  get config(): AstrOSConfig {
    if (this.#config === undefined) throw this.#notRunning();
    return this.#config;
  }

  get recognizer(): IntentRecognizer {
    return this.#recognizer;
  }

  get database(): DatabaseManager {
    if (this.#database === undefined) throw this.#notRunning();
    return this.#database;
  }

  /** Users' permissions and plugins' remembered consents (after start()). */
  get permissions(): PermissionManager {
    if (this.#permissions === undefined) throw this.#notRunning();
    return this.#permissions;
  }

  /** LLM calls and tokens per user per minute: AI providers acquire before each call and settle after (after start()). */
  get llmRateLimiter(): LlmRateLimiter {
    if (this.#llmLimiter === undefined) throw this.#notRunning();
    return this.#llmLimiter;
  }

  /** Where per-user rate limits count (`rate_limits.store`), shared by every process using it (after start()). */
  get rateLimitStore(): RateLimitStore {
    if (this.#rateLimitStore === undefined) throw this.#notRunning();
    return this.#rateLimitStore;
  }

  /** Add an entry to the audit log (for interfaces that act outside a request: a session's background process). */
  async recordAudit(entry: Omit<AuditEntry, "time"> & { time?: number }): Promise<void> {
    await this.#audit.record({ ...entry, time: entry.time ?? this.#now() });
  }

  /** The AI provider requests go to when the builtin engine is not sure: the configured LLM, else the builtin engine (after start()). */
  get ai(): BaseAIProvider {
    return this.#llm ?? this.#builtin;
  }

  /** What a session has spent on the LLM so far: calls, tokens and estimated cost (after start()). */
  async sessionUsage(userId: string, sessionId: string): Promise<UsageTotals> {
    if (this.#conversations === undefined) throw this.#notRunning();
    return (await this.#conversations.load(userId, sessionId)).usage;
  }

  /** The file journal: what tools changed, `undo` and `history` (after start()). */
  get journal(): FileJournal {
    if (this.#journal === undefined) throw this.#notRunning();
    return this.#journal;
  }

  /** The command and path guards with the safety settings in force (after start()). */
  get safety(): SafetyGuard {
    if (this.#safety === undefined) throw this.#notRunning();
    return this.#safety;
  }

  /** Load configuration, open storage, load and initialize plugins. */
  async start(): Promise<void> {
    if (this.#state === "running" || this.#state === "starting") return;
    this.#state = "starting";
    try {
      const config = this.#options.config ?? (await this.#loadConfig());
      this.#config = config;
      if (this.#options.logger === undefined)
        this.#logger = createLogger({ level: config.log_level as LogLevel, format: config.log_format });
      this.#database =
        this.#options.database ?? (await openDatabase({ url: config.database.url, poolSize: config.database.pool_size }));
      this.#ownsDatabase = this.#options.database === undefined;
      this.#keyValue = new KeyValueStore({ database: this.#database, now: this.#now });
      const xdgPaths = resolveXdgPaths({ env: process.env, homeDirectory: os.homedir() });
      const userPluginDirectory = path.join(xdgPaths.dataDirectory, "plugins");
      const plugins = new PluginManager({
        hostVersion: packageVersion(),
        pluginPaths: [
          ...(this.#options.includeBundledPlugins === false ? [] : [path.join(packageRoot, "plugins")]),
          userPluginDirectory,
          ...config.plugins.plugin_paths,
        ],
        nodeModulesPaths: [...installedNextToAstrOS(), ...config.plugins.node_modules_paths],
        enabledPlugins: config.plugins.enabled_plugins,
        disabledPlugins: config.plugins.disabled_plugins,
        timeoutSeconds: config.plugins.plugin_timeout,
        settings: config.plugins.settings as Record<string, Record<string, unknown>>,
        logger: this.#logger.child({ component: "plugins" }),
      });
      this.#plugins = plugins;
      this.#audit =
        this.#options.audit ??
        new AuditLogger({
          file: path.join(xdgPaths.stateDirectory, "audit.log"),
          maxFileBytes: config.audit.max_file_bytes,
          maxFiles: config.audit.max_files,
        });
      const safety = new SafetyGuard({
        config: config.safety,
        ownDirectories: [xdgPaths.configDirectory, xdgPaths.dataDirectory, xdgPaths.stateDirectory],
        hiddenFromConfined: [config.server.workspaces],
        state: astrosStatePlaces({
          xdgPaths,
          config,
          ...(this.#options.journalDirectory === undefined ? {} : { journalDirectory: this.#options.journalDirectory }),
          ...(this.#options.trashDirectory === undefined ? {} : { trashDirectory: this.#options.trashDirectory }),
        }),
      });
      this.#safety = safety;
      this.#permissions = new PermissionManager({
        database: this.#database,
        defaults: config.permissions.defaults,
        now: this.#now,
      });
      const rateLimiters = await openRateLimiters({
        config: config.rate_limits,
        database: this.#database,
        requestRateLimiter: this.#options.requestRateLimiter,
        llmRateLimiter: this.#options.llmRateLimiter,
        logger: this.#logger.child({ component: "rate-limits" }),
      });
      this.#closeRateLimitStore = rateLimiters.close;
      this.#rateLimitStore = rateLimiters.store;
      this.#requestLimiter = rateLimiters.request;
      this.#llmLimiter = rateLimiters.llm;
      const journal = new FileJournal(this.#options.journalDirectory ?? path.join(xdgPaths.stateDirectory, "journal"));
      this.#journal = journal;
      for (const recovered of await journal.recover()) {
        this.#logger.warn(`rolled back file changes interrupted by a crash (${recovered.id}): ${recovered.reverted} steps`, {
          problems: recovered.problems,
        });
      }
      const trusted = new Set(config.permissions.trusted_plugins);
      this.#pipeline = new ToolPipeline({
        plugins,
        authorizer: this.#options.authorizer ?? new PermissionAuthorizer(this.#permissions),
        guard: this.#options.guard ?? safety,
        safety,
        isTrusted: (entry) =>
          trusted.has(entry.runtime.metadata.name) ||
          entry.runtime.source === "builtin" ||
          entry.runtime.source === "code" ||
          (isInside(entry.runtime.source, path.join(packageRoot, "plugins")) && !entry.runtime.source.includes("node_modules")),
        journal,
        trashDirectory: this.#options.trashDirectory ?? path.join(path.dirname(xdgPaths.dataDirectory), "Trash"),
        audit: this.#audit,
        logger: this.#logger,
        now: this.#now,
        servicesFor: (plugin) => this.#servicesFor(plugin),
        aiFor: (scope, plugin) => {
          const provider = this.ai;
          return {
            provider,
            metered: meteredAI(this.#meter(provider), {
              requestId: scope.requestId,
              userId: scope.request.userId,
              sessionId: scope.request.sessionId,
              plugin,
            }),
          };
        },
      });
      plugins.register(
        createCorePlugin({
          version: packageVersion(),
          journal,
          listCapabilities: () =>
            plugins.registry
              .list()
              .filter((entry) => entry.enabled && entry.state !== "failed")
              .flatMap((entry) => entry.runtime.handlers.map((handler) => ({ plugin: entry.runtime.metadata.name, handler }))),
        }),
        { source: "builtin" },
      );
      const schedules = new ScheduleStore({ database: this.#database, now: this.#now });
      const scheduler = new Scheduler({
        store: schedules,
        now: this.#now,
        logger: this.#logger.child({ component: "scheduler" }),
        run: createScheduledRunDelivery({
          events: this.events,
          audit: this.#audit,
          // A confined user's scheduled request runs confined to their workspace, as when it was asked.
          processRequest: (request) => {
            const workspace = request.context?.[confinedWorkspaceKey];
            return this.processRequest(request, typeof workspace === "string" ? { workspace, confine: true } : {});
          },
          logger: this.#logger,
          now: this.#now,
        }),
      });
      this.#scheduler = scheduler;
      if (this.#options.includeTools !== false) {
        plugins.register(
          createSchedulePlugin({
            version: packageVersion(),
            store: schedules,
            scheduler,
            nonInteractivePolicy: config.safety.non_interactive,
            now: this.#now,
          }),
          { source: "builtin" },
        );
        for (const tool of firstPartyTools()) plugins.register(tool, { source: "builtin" });
      }
      for (const plugin of this.#pending.splice(0)) plugins.register(plugin);
      if (this.#options.discoverPlugins ?? config.plugins.auto_load) await plugins.discoverAndLoad();
      for (const entry of plugins.registry.list()) {
        this.#teachRecognizer(entry);
        await plugins.ensureReady(entry, this.#servicesFor(entry));
      }
      // After the plugins, which may register providers of their own.
      this.#llm =
        this.#options.aiProvider ??
        (config.ai.provider.toLowerCase() === "builtin"
          ? undefined
          : AIProvider.create(config.ai.provider, await providerSettings(config, this.#logger)));
      this.#conversations = new ConversationStore(this.#keyValue, config.ai.context_tokens);
      this.#startedAt = this.#now();
      this.#state = "running";
      if (this.#options.runSchedules === true) await scheduler.start();
    } catch (error) {
      this.#state = "error";
      await this.#scheduler?.stop();
      await this.#closeStorage();
      throw error;
    }
  }

  /** Stop gracefully: wait for requests in flight, shut plugins down, close storage. */
  async stop(): Promise<void> {
    if (this.#state === "stopped" || this.#state === "stopping") return;
    this.#state = "stopping";
    // No new scheduled runs; a run in progress finishes like any request in flight.
    await this.#scheduler?.stop();
    await Promise.allSettled([...this.#inFlight]);
    await this.#plugins?.shutdownAll();
    await this.#closeStorage();
    this.#services.clear();
    this.#state = "stopped";
  }

  /**
   * Register a plugin: a BasePlugin subclass or instance, or a definePlugin() object. Before start()
   * it is queued; after, it is registered and initialized before its first use.
   * Returns a handle to disable, enable or remove it.
   */
  registerPlugin(plugin: unknown): PluginHandle | undefined {
    if (this.#plugins === undefined) {
      this.#pending.push(plugin);
      return undefined;
    }
    const handle = this.#plugins.register(plugin);
    const entry = this.#plugins.registry.get(handle.name);
    if (entry !== undefined) this.#teachRecognizer(entry);
    return handle;
  }

  /** Understand a request and carry it out. Never throws for a bad request or a failing plugin: the Response says what went wrong. */
  async processRequest(input: UserRequest | UserRequestInit, options: ProcessOptions = {}): Promise<Response> {
    const work = this.#process(input, options);
    this.#inFlight.add(work);
    try {
      return await work;
    } finally {
      this.#inFlight.delete(work);
    }
  }

  async #process(input: UserRequest | UserRequestInit, options: ProcessOptions): Promise<Response> {
    const started = this.#now();
    const requestId = randomUUID();
    if (this.#state !== "running" || this.#pipeline === undefined || this.#plugins === undefined) {
      return errorResponse(this.#notRunning(), { requestId });
    }
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
      await this.#requestLimiter?.consume(request.userId);
    } catch (error) {
      const refusal = AstrOSError.isInstance(error)
        ? error
        : new ProcessingError(`Could not check the request rate: ${(error as Error)?.message}`, { cause: error });
      await this.#audit
        .record({
          type: "request-refused",
          requestId,
          userId: request.userId,
          sessionId: request.sessionId,
          time: this.#now(),
          detail: { text: request.text, code: refusal.code, ...refusal.details },
          outcome: "rate-limited",
        })
        .catch((auditError: unknown) =>
          this.#logger.error("could not write the audit log", { error: (auditError as Error).message }),
        );
      return errorResponse(refusal, { requestId });
    }
    const emit = (payload: AgentEventPayload) => {
      const event = {
        ...payload,
        requestId,
        userId: request.userId,
        sessionId: request.sessionId,
        time: this.#now(),
      } as AgentEvent;
      try {
        options.onEvent?.(event);
      } catch (error) {
        this.#logger.warn("an event listener threw", { error: (error as Error).message });
      }
      this.events.emit(event);
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
    this.#sessions.begin(request.sessionId);
    emit({ type: "task_started", text: request.text });
    const audit = (type: "request-received" | "request-completed", detail: Record<string, unknown>, outcome?: string) =>
      this.#audit.record({
        type,
        requestId,
        userId: request.userId,
        sessionId: request.sessionId,
        time: this.#now(),
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
        response = await this.#llmTurn(scope);
      } else if (plan !== undefined) {
        response = await this.#runPlan(plan, intent, scope);
        response.metadata = { ...response.metadata, ...meta, plan: true };
      } else if (intent.type === UNKNOWN_INTENT) {
        response = this.#unknown(request.text, meta);
      } else {
        const match = this.#plugins.registry.findHandlers(intent)[0];
        if (match === undefined) {
          const error = new ProcessingError(`I understood "${intent.type}", but no enabled plugin handles it`, {
            code: "NO_HANDLER",
            recovery: "Install or enable a plugin that handles it; `astros plugins` lists what is loaded.",
          });
          response = errorResponse(error, meta);
        } else {
          emit({ type: "status", status: "processing", progress: 0, message: `Working on ${intent.type}` });
          response = await this.#pipeline.run(match, intent, scope);
          response.metadata = { ...response.metadata, ...meta };
        }
      }
    } catch (error) {
      // A typed failure (the model timed out, a rate limit) is an answer the person is given, not a fault to trace.
      if (AstrOSError.isInstance(error) && error.category !== "internal") {
        this.#logger.info("request failed", { requestId, code: error.code, error: error.message });
      } else {
        this.#logger.error("request failed", { requestId, error: (error as Error)?.message, stack: (error as Error)?.stack });
      }
      const wrapped = AstrOSError.isInstance(error)
        ? error
        : new ProcessingError(`Something went wrong while processing the request: ${(error as Error)?.message ?? error}`, {
            cause: error,
          });
      response = errorResponse(wrapped, {});
    } finally {
      this.#sessions.end(request.sessionId);
    }
    const deferred = isDeferring(options.confirm) ? options.confirm.deferred[0] : undefined;
    if (deferred !== undefined && !response.success && response.metadata.error?.code !== "CONFIRMATION_REQUIRED") {
      response = confirmationRequired(deferred, response);
    }
    this.#recognizer.observeResult?.(request, response);
    if (this.#llm !== undefined && options.tool === undefined) {
      // Both engines' answers go into the conversation, so the LLM can follow up on either.
      await this.#conversations
        ?.record(request.userId, request.sessionId, {
          request: request.text,
          answer: response.message,
          ...(response.metadata.usage === undefined ? {} : { usage: response.metadata.usage as UsageTotals }),
          // The answer may carry text that did not come from the person: later turns inherit the taint.
          ...(scope.taint?.sources[0] === undefined ? {} : { taint: scope.taint.sources[0] }),
        })
        .catch((error: unknown) => this.#logger.warn("could not save the conversation", { error: (error as Error).message }));
    }
    if (!response.success && response.metadata.error !== undefined) emit({ type: "error", error: response.metadata.error });
    response.metadata = { ...response.metadata, requestId, durationMs: this.#now() - started };
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
      this.#logger.error("could not write the audit log", { error: (error as Error).message });
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
    const routing = this.config.ai.routing;
    if (this.#llm === undefined || routing === "builtin") return this.#recognizer.recognize(request);
    if (routing === "llm") return undefined;
    const intent = await this.#recognizer.recognize(request);
    return intent.type !== UNKNOWN_INTENT && intent.confidence >= this.config.ai.hybrid_threshold ? intent : undefined;
  }

  /** The request goes to the LLM: the tool-calling loop, every call through the pipeline, metered. */
  async #llmTurn(scope: ExecutionScope): Promise<Response> {
    const llm = this.#llm;
    const registry = this.#plugins?.registry;
    const pipeline = this.#pipeline;
    const conversations = this.#conversations;
    if (llm === undefined || registry === undefined || pipeline === undefined || conversations === undefined) {
      throw this.#notRunning();
    }
    const { request } = scope;
    const config = this.config;
    const conversation = await conversations.load(request.userId, request.sessionId);
    let usage = emptyUsage();
    const ai = meteredAI(
      this.#meter(llm),
      { requestId: scope.requestId, userId: request.userId, sessionId: request.sessionId },
      (call) => {
        usage = addUsage(usage, call);
      },
    );
    // A channel that cannot ask now (an API call, or nobody to ask under the `deny` policy) defers:
    // the question ends the turn and goes back to the caller as a confirmation request.
    const confirm = scope.confirm ?? (config.safety.non_interactive === "deny" ? createDeferringChannel() : undefined);
    // A change the model proposes after taint that nobody can confirm now goes back to the caller the same way.
    const untrustedFallback = isDeferring(confirm) ? confirm : createDeferringChannel();
    const taint = scope.taint ?? new TurnTaint();
    // Earlier turns of this conversation that carried outside text still do: the model reads them again.
    if (conversation.taint !== undefined) taint.mark(conversation.taint);
    const runTool = async (tool: string, args: Record<string, unknown>) => {
      const askedBefore = untrustedFallback.deferred.length;
      const intent = toolIntent(request, tool, args);
      const match = registry.findHandlers(intent)[0];
      if (match === undefined) {
        const error = new ProcessingError(`No enabled plugin handles "${tool}"`, { code: "NO_HANDLER" });
        return { response: errorResponse(error, { intent: tool }) };
      }
      const confirmBecause =
        config.ai.confirm_changes && !match.handler.readOnly ? "the AI model proposed this change" : undefined;
      const callScope: ExecutionScope = { ...scope, confirm, taint, modelProposed: true, untrustedFallback };
      const response = await pipeline.run(match, intent, callScope, undefined, confirmBecause);
      // Whatever the tool answered goes back to the model: from now on the turn is tainted.
      taint.mark(taintSource(tool, args, match.handler));
      const deferred = untrustedFallback.deferred[askedBefore];
      return { response, ...(deferred === undefined ? {} : { confirmation: { ...deferred, tool, args } }) };
    };
    let turn: { response: Response; steps: number };
    try {
      turn = await runLlmTurn({
        chat: (messages, chatOptions) => ai.chat(messages, chatOptions),
        catalog: buildToolCatalog(registry),
        system: systemPrompt(request, conversation.summary),
        history: conversation.turns,
        text: request.text,
        maxSteps: config.ai.max_steps,
        signal: scope.signal,
        emit: scope.emit,
        runTool,
      });
    } catch (error) {
      // A typed failure (timeout, rate limit, cancel) is the answer; what the turn spent still counts.
      if (!AstrOSError.isInstance(error)) throw error;
      this.#logger.info("request failed", { requestId: scope.requestId, code: error.code, error: error.message });
      turn = { response: errorResponse(error, {}), steps: usage.requests };
    }
    const { response, steps } = turn;
    const tools = (response.data?.toolCalls ?? []) as { tool: string }[];
    response.metadata = {
      ...response.metadata,
      intent: tools[0]?.tool ?? "chat",
      route: "llm",
      provider: llm.name,
      model: llm.model,
      steps,
      usage,
      tokensUsed: usage.inputTokens + usage.outputTokens,
      ...(usage.costUnknown === true ? {} : { costUsd: usage.costUsd }),
      sessionUsage: addUsage(conversation.usage, usage),
    };
    return response;
  }

  /** How AI calls are counted: the user's LLM rate limits, the pricing, the audit log, this process's totals. */
  #meter(provider: BaseAIProvider): AIMeter {
    const config = this.config;
    return {
      provider,
      limiter: this.llmRateLimiter,
      audit: this.#audit,
      logger: this.#logger,
      pricing: config.ai.pricing,
      maxTokens: config.ai.max_tokens,
      temperature: config.ai.temperature,
      now: this.#now,
      onUsage: (usage) => {
        this.#aiUsage = addUsage(this.#aiUsage, usage);
      },
    };
  }

  /** A chained request: shown whole and approved once, then each step through the pipeline. */
  async #runPlan(steps: PlannedStep[], intent: Intent, scope: ExecutionScope): Promise<Response> {
    const pipeline = this.#pipeline;
    const registry = this.#plugins?.registry;
    if (pipeline === undefined || registry === undefined) throw this.#notRunning();
    const stepIntent = (step: PlannedStep, args: Record<string, unknown>): Intent => ({
      ...intent,
      type: step.intent,
      confidence: step.confidence,
      entities: args,
      context: { ...intent.context, plan: undefined },
    });
    const handlerFor = (step: PlannedStep) => registry.findHandlers(stepIntent(step, step.slots))[0];
    let approved = false;
    const stepScope: ExecutionScope = { ...scope, confirm: approvedByPlan(scope.confirm, () => approved) };
    const used = new Set(steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses])));
    return runPlan({
      steps,
      isReadOnly: (step) => handlerFor(step)?.handler.readOnly,
      approve: async (lines) => {
        const paths = steps.flatMap((step) => stringsIn(step.slots, handlerFor(step)?.handler.pathArgs ?? []));
        const answer = await pipeline.confirmPlan(scope, lines, paths);
        approved = answer.approved;
        return answer;
      },
      runStep: async (step, args) => {
        const match = handlerFor(step);
        if (match === undefined) throw new ProcessingError(`No enabled plugin handles "${step.intent}"`, { code: "NO_HANDLER" });
        const index = steps.indexOf(step);
        const widened =
          used.has(index) && step.intent === "files.search" && args.limit === undefined ? { ...args, limit: 10_000 } : args;
        let streamed = false;
        const emit: ExecutionScope["emit"] = (event) => {
          if (event.type === "text_delta") streamed = true;
          stepScope.emit(event);
        };
        const response = await pipeline.run(match, stepIntent(step, widened), { ...stepScope, emit });
        if (!streamed) stepScope.emit({ type: "text_delta", delta: `${index + 1}. ${response.message}\n` });
        return response;
      },
    });
  }

  #unknown(text: string, meta: Record<string, unknown>): Response {
    const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
    const shared = (example: string) =>
      (example.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((word) => words.has(word)).length;
    const examples = (this.#plugins?.registry.list() ?? [])
      .filter((entry) => entry.enabled && entry.state !== "failed")
      .flatMap((entry) =>
        entry.runtime.handlers.flatMap((handler) => handler.examples.filter((example) => !example.includes("{"))),
      )
      .map((example, index) => ({ example, score: shared(example) * 100 - index }))
      .sort((a, b) => b.score - a.score)
      .map((entry) => entry.example);
    const noLlm = this.#config?.ai.provider === "builtin";
    return createResponse({
      success: false,
      message: [
        `I'm not sure what you mean by "${text.length > 80 ? `${text.slice(0, 77)}...` : text}".`,
        'Say "help" to see what I can do.',
        ...(noLlm
          ? [
              "I'm running offline with my builtin engine. To understand any phrasing, add an LLM: set ai.provider (openai, anthropic or local) in config.toml, or e.g. ASTROS_AI_PROVIDER=local ASTROS_AI_BASE_URL=http://127.0.0.1:11434/v1 for Ollama; `astros ai` shows what is configured.",
            ]
          : []),
      ].join(" "),
      suggestions: [...new Set(["help", ...examples])].slice(0, 4),
      requiresFollowup: true,
      metadata: { ...meta, error: toErrorInfo(new ProcessingError("Request not understood", { code: "INTENT_UNKNOWN" })) },
    });
  }

  /** A snapshot of the agent: state, uptime, plugins, sessions, memory and CPU. */
  async getStatus(): Promise<SystemStatus> {
    const running = this.#state === "running";
    const plugins = this.#plugins?.status() ?? [];
    return {
      status: this.#state,
      uptime: running ? Math.floor((this.#now() - this.#startedAt) / 1000) : 0,
      pluginsLoaded: plugins.filter((plugin) => plugin.status === "active").length,
      activeSessions: this.#sessions.activeCount(),
      memoryUsage: Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10,
      cpuUsage: this.#cpu.sample(),
      version: packageVersion(),
      storage: this.#database?.location ?? "closed",
      plugins,
      pluginErrors: (this.#plugins?.problems ?? []).map((problem) => ({
        source: problem.source,
        message: problem.error.message,
      })),
      ai: {
        provider: this.#llm?.name ?? "builtin",
        model: this.#llm?.model ?? "builtin",
        routing: this.#llm === undefined ? "builtin" : (this.#config?.ai.routing ?? "hybrid"),
        requests: this.#aiUsage.requests,
        inputTokens: this.#aiUsage.inputTokens,
        outputTokens: this.#aiUsage.outputTokens,
        costUsd: this.#aiUsage.costUsd,
      },
    };
  }

  #servicesFor(entry: RegisteredPlugin): PluginServices {
    const name = entry.runtime.metadata.name;
    let services = this.#services.get(name);
    if (services === undefined) {
      if (this.#keyValue === undefined || this.#pipeline === undefined || this.#plugins === undefined) throw this.#notRunning();
      const pipeline = this.#pipeline;
      services = {
        logger: this.#logger.child({ plugin: name }),
        storage: new PluginStorage({ store: this.#keyValue, pluginName: name }),
        settings: Object.freeze(this.#plugins.settingsFor(name)),
        callPlugin: (pluginName, handlerName, data) => pipeline.callPlugin(name, pluginName, handlerName, data),
      };
      this.#services.set(name, services);
      entry.runtime.attach(services);
    }
    return services;
  }

  #teachRecognizer(entry: RegisteredPlugin): void {
    for (const handler of entry.runtime.handlers)
      this.#recognizer.learnExamples(handler.intent, handler.examples, { readOnly: handler.readOnly });
  }

  async #loadConfig(): Promise<AstrOSConfig> {
    const loaded = await loadConfig({
      ...(this.#options.configPath === undefined ? {} : { env: { ...process.env, ASTROS_CONFIG: this.#options.configPath } }),
      ...(this.#options.configOverrides === undefined ? {} : { overrides: this.#options.configOverrides }),
    });
    return loaded.config;
  }

  async #closeStorage(): Promise<void> {
    await this.#closeRateLimitStore?.();
    this.#closeRateLimitStore = undefined;
    if (this.#ownsDatabase) await this.#database?.close();
    this.#database = undefined;
    this.#keyValue = undefined;
  }

  #notRunning(): ProcessingError {
    return new ProcessingError(`AstrOS is not running (state: ${this.#state})`, {
      code: "AGENT_NOT_RUNNING",
      recovery: "Call start() first.",
    });
  }
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** When AstrOS is installed as an npm package, plugin packages installed beside it. */
function installedNextToAstrOS(): string[] {
  const parent = path.dirname(packageRoot);
  if (path.basename(parent) === "node_modules") return [parent];
  if (path.basename(path.dirname(parent)) === "node_modules") return [path.dirname(parent)];
  return [];
}

/** Where a tool's result came from, for the taint it brings: the tool, and the path or command it was given. */
function taintSource(
  tool: string,
  args: Record<string, unknown>,
  handler: { pathArgs: readonly string[]; commandArgs: readonly string[] },
): TaintSource {
  const [path] = stringsIn(args, handler.pathArgs);
  const [command] = stringsIn(args, handler.commandArgs);
  return { source: tool, ...(path === undefined ? {} : { path }), ...(command === undefined ? {} : { command }) };
}

/** The intent that runs one named tool with these arguments (an interface or a model named it). */
function toolIntent(request: UserRequest, tool: string, args: Record<string, unknown>): Intent {
  return {
    type: tool,
    confidence: 1,
    entities: args,
    context: { ...request.context },
    timestamp: request.timestamp,
    originalRequest: request,
  };
}
