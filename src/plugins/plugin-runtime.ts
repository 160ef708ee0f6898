import semver from "semver";
import { PluginError } from "../core/errors/plugin-error.js";
import type { Intent } from "../core/types/intent.js";
import type { BasePlugin } from "./base-plugin.js";
import type { PluginDefinition } from "./define-plugin.js";
import { defaultHandlerPriority, type HandlerDefinition } from "./handler-definition.js";
import { intentTypePattern, type PluginMetadata, pluginNamePattern } from "./plugin-metadata.js";
import { permissionNamePattern } from "./plugin-permission.js";
import type { PluginServices } from "./plugin-services.js";
import { attachServicesKey, pluginBrand, pluginDefinitionBrand } from "./plugin-symbols.js";

/** The host's uniform view of a plugin, whichever form (class or plain object) it was written in. */
export interface PluginRuntime {
  readonly metadata: PluginMetadata;
  /** Where it came from: a directory, an npm package, or "code" for registerPlugin(). */
  readonly source: string;
  /** Highest priority first. */
  readonly handlers: readonly HandlerDefinition[];
  canHandle(intent: Intent): boolean;
  attach(services: PluginServices): void;
  initialize(services: PluginServices): Promise<void>;
  shutdown(): Promise<void>;
}

/** What a plugin module may export: a BasePlugin subclass, an instance of one, or a definePlugin() object. */
export function createPluginRuntime(exported: unknown, options: { source: string }): PluginRuntime {
  const { source } = options;
  if (isPluginClass(exported)) {
    let instance: unknown;
    try {
      instance = new (exported as new () => BasePlugin)();
    } catch (error) {
      throw new PluginError(`${source}: the plugin's constructor threw: ${(error as Error).message}`, {
        code: "PLUGIN_LOAD_FAILED",
        cause: error,
      });
    }
    return fromInstance(instance as BasePlugin, source);
  }
  if (isPluginInstance(exported)) return fromInstance(exported, source);
  if (isPluginDefinition(exported)) return fromDefinition(exported, source);
  throw new PluginError(
    `${source}: the module does not export a plugin (expected a default export made with definePlugin(), or a class extending BasePlugin)`,
    { code: "PLUGIN_INVALID", recovery: "Export your plugin as the module's default export." },
  );
}

function isPluginClass(value: unknown): boolean {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[pluginBrand] === "class";
}

function isPluginInstance(value: unknown): value is BasePlugin {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[pluginBrand] === "instance";
}

function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[pluginDefinitionBrand] === true;
}

function fromInstance(plugin: BasePlugin, source: string): PluginRuntime {
  const metadata = checkMetadata(
    {
      name: plugin.name,
      version: plugin.version,
      description: plugin.description,
      author: plugin.author,
      handles: plugin.handles,
      requiresAi: plugin.requiresAi,
      requiresPermissions: plugin.requiresPermissions,
    },
    source,
  );
  const handlers = checkHandlers(plugin.listHandlers(), metadata.name);
  return {
    metadata,
    source,
    handlers,
    canHandle: (intent) => plugin.canHandle(intent),
    attach: (services) => plugin[attachServicesKey](services),
    async initialize(services) {
      plugin[attachServicesKey](services);
      await plugin.initialize();
    },
    shutdown: () => plugin.shutdown(),
  };
}

function fromDefinition(definition: PluginDefinition, source: string): PluginRuntime {
  const metadata = checkMetadata(
    {
      name: definition.name,
      version: definition.version,
      description: definition.description ?? "",
      author: definition.author ?? "",
      handles: definition.handles ?? [],
      requiresAi: definition.requiresAi ?? false,
      requiresPermissions: definition.requiresPermissions ?? [],
    },
    source,
  );
  if (typeof definition.handlers !== "object" || definition.handlers === null) {
    throw invalid(source, "handlers must be an object of named handlers");
  }
  const handlers = checkHandlers(
    Object.entries(definition.handlers).map(([name, handler]): HandlerDefinition => {
      if (typeof handler?.run !== "function") throw invalid(source, `handler "${name}" has no run() function`);
      return {
        name,
        intent: handler.intent,
        priority: handler.priority ?? defaultHandlerPriority,
        requiresPermissions: handler.requiresPermissions ?? [],
        description: handler.description ?? "",
        examples: handler.examples ?? [],
        args: handler.args,
        readOnly: handler.readOnly ?? false,
        commandArgs: handler.commandArgs ?? [],
        pathArgs: handler.pathArgs ?? [],
        ...(handler.pathEffects === undefined ? {} : { pathEffects: handler.pathEffects }),
        invoke: async (_intent, args, context) => handler.run(args, context),
      };
    }),
    metadata.name,
  );
  return {
    metadata,
    source,
    handlers,
    canHandle: (intent) => handlers.some((handler) => handler.intent === intent.type),
    attach() {},
    async initialize(services) {
      await definition.initialize?.(services);
    },
    async shutdown() {
      await definition.shutdown?.();
    },
  };
}

function invalid(source: string, message: string): PluginError {
  return new PluginError(`${source}: ${message}`, { code: "PLUGIN_INVALID" });
}

function checkMetadata(metadata: PluginMetadata, source: string): PluginMetadata {
  if (typeof metadata.name !== "string" || !pluginNamePattern.test(metadata.name)) {
    throw invalid(source, `name "${String(metadata.name)}" is not a valid plugin name (lower-case, digits, . _ -)`);
  }
  if (typeof metadata.version !== "string" || semver.valid(metadata.version) === null) {
    throw invalid(source, `plugin ${metadata.name}: version "${String(metadata.version)}" is not a semantic version like 1.0.0`);
  }
  for (const permission of metadata.requiresPermissions) {
    if (!permissionNamePattern.test(permission)) {
      throw invalid(source, `plugin ${metadata.name}: "${permission}" is not a valid permission name`);
    }
  }
  return Object.freeze({ ...metadata, handles: [...metadata.handles], requiresPermissions: [...metadata.requiresPermissions] });
}

function checkHandlers(handlers: HandlerDefinition[], pluginName: string): HandlerDefinition[] {
  const names = new Set<string>();
  for (const handler of handlers) {
    if (names.has(handler.name)) throw invalid(pluginName, `two handlers are named "${handler.name}"`);
    names.add(handler.name);
    if (typeof handler.intent !== "string" || !intentTypePattern.test(handler.intent)) {
      throw invalid(pluginName, `handler "${handler.name}": "${String(handler.intent)}" is not a valid intent type`);
    }
    if (!Number.isInteger(handler.priority) || handler.priority < 1 || handler.priority > 10) {
      throw invalid(pluginName, `handler "${handler.name}": priority must be an integer from 1 to 10`);
    }
  }
  return [...handlers].sort((a, b) => b.priority - a.priority);
}
