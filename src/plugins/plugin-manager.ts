import semver from "semver";
import { PluginError } from "../core/errors/plugin-error.js";
import type { Logger } from "../core/logging/logger.js";
import type { PluginStatus } from "../core/types/system-status.js";
import { discoverPlugins, type PluginCandidate, type PluginProblem } from "./discover-plugins.js";
import { loadPluginModule } from "./load-plugin-module.js";
import { type PluginHandle, PluginRegistry, type RegisteredPlugin } from "./plugin-registry.js";
import { createPluginRuntime } from "./plugin-runtime.js";
import type { PluginServices } from "./plugin-services.js";
import { withTimeLimit } from "./with-time-limit.js";

export interface PluginManagerOptions {
  hostVersion: string;
  pluginPaths: readonly string[];
  nodeModulesPaths: readonly string[];
  /** Empty: every discovered plugin. */
  enabledPlugins: readonly string[];
  disabledPlugins: readonly string[];
  /** Seconds allowed for initialize, shutdown and each handler call. */
  timeoutSeconds: number;
  /** `[plugins.settings.<name>]` from configuration. */
  settings: Readonly<Record<string, Record<string, unknown>>>;
  logger: Logger;
}

/** Discovery, loading, enable/disable lists, lifecycle and status of plugins. */
export class PluginManager {
  readonly registry = new PluginRegistry();
  readonly #options: PluginManagerOptions;
  readonly #problems: PluginProblem[] = [];
  readonly #defaultSettings = new Map<string, Record<string, unknown>>();
  readonly #ready = new Map<string, Promise<void>>();

  constructor(options: PluginManagerOptions) {
    this.#options = options;
  }

  get timeoutMilliseconds(): number {
    return this.#options.timeoutSeconds * 1000;
  }

  /** Plugins that could not be loaded or started, with the reason. */
  get problems(): readonly PluginProblem[] {
    return this.#problems;
  }

  /** Find and import every plugin on the configured paths. Broken plugins are recorded, never fatal. */
  async discoverAndLoad(): Promise<void> {
    const { candidates, problems } = await discoverPlugins(this.#options);
    this.#problems.push(...problems);
    for (const problem of problems) this.#options.logger.warn(problem.error.message, { source: problem.source });
    for (const candidate of candidates) {
      try {
        await this.#loadCandidate(candidate);
      } catch (error) {
        const pluginError = PluginError.isInstance(error)
          ? (error as PluginError)
          : new PluginError(`${candidate.source}: ${(error as Error).message}`, { code: "PLUGIN_LOAD_FAILED", cause: error });
        this.#problems.push({ source: candidate.directory, error: pluginError });
        this.#options.logger.warn(pluginError.message, { source: candidate.source });
      }
    }
  }

  async #loadCandidate(candidate: PluginCandidate): Promise<void> {
    const { manifest, source } = candidate;
    const name = manifest.metadata.name;
    const required = manifest.dependencies.astros;
    if (required !== undefined && !semver.satisfies(this.#options.hostVersion, required, { includePrerelease: true })) {
      throw new PluginError(`${source}: plugin ${name} needs AstrOS ${required}, this is ${this.#options.hostVersion}`, {
        code: "PLUGIN_INCOMPATIBLE",
        details: { file: source, field: "dependencies.astros" },
        recovery: `Install a version of ${name} made for AstrOS ${this.#options.hostVersion}.`,
      });
    }
    const requiredNode = manifest.dependencies.node;
    if (requiredNode !== undefined && !semver.satisfies(process.versions.node, requiredNode)) {
      throw new PluginError(`${source}: plugin ${name} needs Node.js ${requiredNode}, this is ${process.versions.node}`, {
        code: "PLUGIN_INCOMPATIBLE",
        details: { file: source, field: "dependencies.node" },
      });
    }
    if (!this.#isEnabled(name)) {
      this.#defaultSettings.set(name, manifest.configuration.settings);
      this.registry.register(
        {
          metadata: {
            name,
            version: manifest.metadata.version,
            description: manifest.metadata.description,
            author: manifest.metadata.author,
            handles: manifest.capabilities.handles,
            requiresAi: manifest.capabilities.requires_ai,
            requiresPermissions: manifest.capabilities.requires_permissions,
          },
          source,
          handlers: [],
          canHandle: () => false,
          attach() {},
          async initialize() {},
          async shutdown() {},
        },
        { enabled: false },
      );
      return;
    }
    const exported = await loadPluginModule(candidate.entryPath, { source });
    const runtime = createPluginRuntime(exported, { source });
    if (runtime.metadata.name !== name) {
      throw new PluginError(`${source}: metadata.name is "${name}" but the module's plugin is named "${runtime.metadata.name}"`, {
        code: "PLUGIN_MANIFEST_INVALID",
        details: { file: source, field: "metadata.name" },
      });
    }
    if (runtime.metadata.version !== manifest.metadata.version) {
      throw new PluginError(
        `${source}: metadata.version is ${manifest.metadata.version} but the module's plugin says ${runtime.metadata.version}`,
        { code: "PLUGIN_MANIFEST_INVALID", details: { file: source, field: "metadata.version" } },
      );
    }
    for (const permission of runtime.metadata.requiresPermissions) {
      if (!manifest.capabilities.requires_permissions.includes(permission)) {
        throw new PluginError(
          `${source}: the plugin requires permission "${permission}" but capabilities.requires_permissions does not declare it`,
          { code: "PLUGIN_MANIFEST_INVALID", details: { file: source, field: "capabilities.requires_permissions" } },
        );
      }
    }
    this.#defaultSettings.set(name, manifest.configuration.settings);
    this.registry.register(runtime);
  }

  #isEnabled(name: string): boolean {
    const { enabledPlugins, disabledPlugins } = this.#options;
    if (disabledPlugins.includes(name)) return false;
    return enabledPlugins.length === 0 || enabledPlugins.includes(name);
  }

  /** Register a plugin given in code (a BasePlugin subclass or instance, or a definePlugin object). */
  register(plugin: unknown, options: { source?: string } = {}): PluginHandle {
    const runtime = createPluginRuntime(plugin, { source: options.source ?? "code" });
    return this.registry.register(runtime, { enabled: this.#isEnabled(runtime.metadata.name) });
  }

  /** Effective settings of a plugin: manifest defaults overlaid by configuration. */
  settingsFor(name: string): Record<string, unknown> {
    return { ...(this.#defaultSettings.get(name) ?? {}), ...(this.#options.settings[name] ?? {}) };
  }

  /** Initialize a plugin once (memoized); a failure marks it failed and is recorded, never thrown. */
  ensureReady(entry: RegisteredPlugin, services: PluginServices): Promise<void> {
    const name = entry.runtime.metadata.name;
    let ready = this.#ready.get(name);
    if (ready === undefined) {
      ready = this.#initialize(entry, services);
      this.#ready.set(name, ready);
    }
    return ready;
  }

  async #initialize(entry: RegisteredPlugin, services: PluginServices): Promise<void> {
    if (entry.state !== "registered" || !entry.enabled) return;
    const name = entry.runtime.metadata.name;
    try {
      await withTimeLimit({
        milliseconds: this.timeoutMilliseconds,
        onTimeout: () =>
          new PluginError(`Plugin ${name} did not finish initialize() within ${this.#options.timeoutSeconds} s`, {
            code: "PLUGIN_TIMEOUT",
          }),
        work: () => entry.runtime.initialize(services),
      });
      entry.state = "active";
    } catch (error) {
      entry.state = "failed";
      entry.failure = `initialize() failed: ${(error as Error).message}`;
      const pluginError = new PluginError(`Plugin ${name} failed to start: ${(error as Error).message}`, {
        code: "PLUGIN_LOAD_FAILED",
        details: { plugin: name },
        cause: error,
      });
      this.#problems.push({ source: entry.runtime.source, error: pluginError });
      this.#options.logger.error(pluginError.message, { plugin: name });
    }
  }

  /** Shut every active plugin down, each within the time limit; failures are logged, never thrown. */
  async shutdownAll(): Promise<void> {
    for (const entry of this.registry.list().reverse()) {
      if (entry.state !== "active") continue;
      const name = entry.runtime.metadata.name;
      try {
        await withTimeLimit({
          milliseconds: this.timeoutMilliseconds,
          onTimeout: () => new PluginError(`Plugin ${name} did not shut down in time`, { code: "PLUGIN_TIMEOUT" }),
          work: () => entry.runtime.shutdown(),
        });
      } catch (error) {
        this.#options.logger.error(`Plugin ${name} failed to shut down: ${(error as Error).message}`, { plugin: name });
      }
      entry.state = "registered";
    }
    this.#ready.clear();
  }

  status(): PluginStatus[] {
    return this.registry.list().map((entry) => ({
      name: entry.runtime.metadata.name,
      version: entry.runtime.metadata.version,
      status: !entry.enabled ? "disabled" : entry.state === "failed" ? "failed" : "active",
      description: entry.runtime.metadata.description,
      source: entry.runtime.source,
    }));
  }
}
