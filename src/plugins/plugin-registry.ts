import { PluginError } from "../core/errors/plugin-error.js";
import type { Intent } from "../core/types/intent.js";
import type { HandlerDefinition } from "./handler-definition.js";
import type { PluginRuntime } from "./plugin-runtime.js";

/** Lifecycle of a plugin: registered (not yet initialized), active, or failed to initialize. */
export type PluginState = "registered" | "active" | "failed";

export interface RegisteredPlugin {
  readonly runtime: PluginRuntime;
  state: PluginState;
  /** A disabled plugin stays registered but gets no intents and no calls. */
  enabled: boolean;
  /** Why it failed, when state is "failed". */
  failure?: string;
  /** Registration order, for stable tie-breaking between equal priorities. */
  readonly order: number;
}

export interface HandlerMatch {
  plugin: RegisteredPlugin;
  handler: HandlerDefinition;
}

/** What registration returns: the way to switch a plugin off, on, or out. */
export interface PluginHandle {
  readonly name: string;
  enable(): void;
  disable(): void;
  /** Unregister; resolves after the plugin's shutdown(). */
  remove(): Promise<void>;
}

/** All registered plugins and the index from intent type to handlers. */
export class PluginRegistry {
  readonly #plugins = new Map<string, RegisteredPlugin>();
  #order = 0;

  register(runtime: PluginRuntime, options: { enabled?: boolean } = {}): PluginHandle {
    const name = runtime.metadata.name;
    const existing = this.#plugins.get(name);
    if (existing !== undefined) {
      throw new PluginError(
        `A plugin named "${name}" is already registered (from ${existing.runtime.source}); ${runtime.source} was not loaded`,
        {
          code: "PLUGIN_DUPLICATE",
          details: { plugin: name, first: existing.runtime.source, second: runtime.source },
          recovery: "Remove one of the two copies, or disable one in plugins.disabled_plugins.",
        },
      );
    }
    const entry: RegisteredPlugin = {
      runtime,
      state: "registered",
      enabled: options.enabled !== false,
      order: this.#order++,
    };
    this.#plugins.set(name, entry);
    return {
      name,
      enable: () => {
        entry.enabled = true;
      },
      disable: () => {
        entry.enabled = false;
      },
      remove: async () => {
        if (this.#plugins.get(name) !== entry) return;
        this.#plugins.delete(name);
        if (entry.state === "active") await runtime.shutdown();
      },
    };
  }

  get(name: string): RegisteredPlugin | undefined {
    return this.#plugins.get(name);
  }

  list(): RegisteredPlugin[] {
    return [...this.#plugins.values()].sort((a, b) => a.order - b.order);
  }

  /** Handlers of enabled, working plugins that take this intent: highest priority first, then registration order. */
  findHandlers(intent: Intent): HandlerMatch[] {
    const matches: HandlerMatch[] = [];
    for (const plugin of this.list()) {
      if (!plugin.enabled || plugin.state === "failed") continue;
      const handlers = plugin.runtime.handlers.filter((handler) => handler.intent === intent.type);
      if (handlers.length === 0 || !plugin.runtime.canHandle(intent)) continue;
      for (const handler of handlers) matches.push({ plugin, handler });
    }
    return matches.sort((a, b) => b.handler.priority - a.handler.priority || a.plugin.order - b.plugin.order);
  }

  /** A named handler of a named plugin (for callPlugin); errors say which part is missing. */
  findHandler(pluginName: string, handlerName: string): HandlerMatch {
    const plugin = this.#plugins.get(pluginName);
    if (plugin === undefined || !plugin.enabled) {
      throw new PluginError(`No plugin named "${pluginName}" is ${plugin === undefined ? "registered" : "enabled"}`, {
        code: "PLUGIN_NOT_FOUND",
        details: { plugin: pluginName },
        recovery: "Run `astros plugins` to see the loaded plugins.",
      });
    }
    const handler = plugin.runtime.handlers.find((candidate) => candidate.name === handlerName);
    if (handler === undefined) {
      const known = plugin.runtime.handlers.map((candidate) => candidate.name).join(", ") || "none";
      throw new PluginError(`Plugin "${pluginName}" has no handler "${handlerName}" (it has: ${known})`, {
        code: "PLUGIN_HANDLER_NOT_FOUND",
        details: { plugin: pluginName, handler: handlerName },
      });
    }
    return { plugin, handler };
  }
}
