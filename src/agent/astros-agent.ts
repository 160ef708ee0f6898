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
import { ProcessingError } from "../core/errors/processing-error.js";
import { EventBus } from "../core/events/event-bus.js";
import { createLogger, type LogLevel } from "../core/logging/create-logger.js";
import { type Logger, silentLogger } from "../core/logging/logger.js";
import type { Response } from "../core/types/response.js";
import type { AgentState, SystemStatus } from "../core/types/system-status.js";
import { confinedWorkspaceKey, type UserRequest, type UserRequestInit } from "../core/types/user-request.js";
import { FileJournal } from "../exec/journal/file-journal.js";
import { BuiltinRecognizer } from "../intent/builtin-recognizer.js";
import type { IntentRecognizer } from "../intent/intent-recognizer.js";
import { PluginManager } from "../plugins/plugin-manager.js";
import type { PluginHandle, RegisteredPlugin } from "../plugins/plugin-registry.js";
import type { PluginServices } from "../plugins/plugin-services.js";
import { createAstrOSSafetyGuard } from "../safety/astros-safety-guard.js";
import { auditAnchorPath } from "../safety/audit/audit-anchor.js";
import { AuditLogger } from "../safety/audit/audit-logger.js";
import type { LlmRateLimiter } from "../safety/rate-limit/llm-rate-limiter.js";
import type { RateLimitStore } from "../safety/rate-limit/rate-limit-store.js";
import type { RequestRateLimiter } from "../safety/rate-limit/request-rate-limiter.js";
import type { SafetyGuard } from "../safety/safety-guard.js";
import type { DatabaseManager } from "../store/database-manager.js";
import { KeyValueStore } from "../store/key-value-store.js";
import { openDatabase } from "../store/open-database.js";
import { PluginStorage } from "../store/plugin-storage.js";
import { firstPartyTools } from "../tools/first-party-tools.js";
import { createScheduledRunDelivery } from "../tools/schedule/deliver-scheduled-run.js";
import { createSchedulePlugin } from "../tools/schedule/schedule-plugin.js";
import { ScheduleStore } from "../tools/schedule/schedule-store.js";
import { Scheduler } from "../tools/schedule/scheduler.js";
import type { AstrOSAgentOptions, ProcessOptions } from "./agent-options.js";
import { addUsage, ConversationStore, emptyUsage, type UsageTotals } from "./conversation-store.js";
import { createCorePlugin } from "./core-plugin.js";
import { CpuSampler } from "./cpu-sampler.js";
import { errorResponse } from "./error-response.js";
import { type AIMeter, meteredAI } from "./metered-ai.js";
import { openRateLimiters } from "./open-rate-limiters.js";
import { packageRoot, packageVersion } from "./package-info.js";
import type { AuditEntry, AuditSink } from "./pipeline-seams.js";
import { installedNextToAstrOS, isTrustedPlugin } from "./plugin-sources.js";
import { RequestProcessor } from "./request-processor.js";
import { SessionTracker } from "./session-tracker.js";
import { ToolPipeline } from "./tool-pipeline.js";
import { createTrashPlugin } from "./trash-plugin.js";

export { type AstrOSAgentOptions, maximumRequestLength, type ProcessOptions } from "./agent-options.js";

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
  #processor: RequestProcessor | undefined;
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
          anchorFile: auditAnchorPath(xdgPaths.dataDirectory),
          maxFileBytes: config.audit.max_file_bytes,
          maxFiles: config.audit.max_files,
        });
      // The log and its head deleted or rewritten since the last run: the anchor kept beside the database says so.
      if (this.#audit instanceof AuditLogger)
        for (const problem of this.#audit.anchorProblems())
          this.#logger.warn(`the audit log was tampered with: ${problem} (see astros audit verify)`);
      const safety = createAstrOSSafetyGuard({
        config,
        xdgPaths,
        ...(this.#options.journalDirectory === undefined ? {} : { journalDirectory: this.#options.journalDirectory }),
        ...(this.#options.trashDirectory === undefined ? {} : { trashDirectory: this.#options.trashDirectory }),
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
        isTrusted: (entry) => isTrustedPlugin(entry, trusted),
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
      plugins.register(
        createTrashPlugin({
          version: packageVersion(),
          journal,
          trashDirectory: this.#options.trashDirectory ?? path.join(path.dirname(xdgPaths.dataDirectory), "Trash"),
          judge: (effects) => safety.policy.judge(effects),
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
      this.#processor = new RequestProcessor({
        config,
        pipeline: this.#pipeline,
        registry: plugins.registry,
        recognizer: this.#recognizer,
        llm: this.#llm,
        conversations: this.#conversations,
        meter: (provider) => this.#meter(provider),
        requestLimiter: this.#requestLimiter,
        audit: this.#audit,
        events: this.events,
        sessions: this.#sessions,
        logger: this.#logger,
        now: this.#now,
      });
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
    const processor = this.#processor;
    const work =
      processor === undefined || this.#state !== "running"
        ? Promise.resolve(errorResponse(this.#notRunning(), { requestId: randomUUID() }))
        : processor.process(input, options);
    this.#inFlight.add(work);
    try {
      return await work;
    } finally {
      this.#inFlight.delete(work);
    }
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
