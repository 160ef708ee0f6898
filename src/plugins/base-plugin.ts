import { PluginError } from "../core/errors/plugin-error.js";
import { type Logger, silentLogger } from "../core/logging/logger.js";
import type { Intent } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import type { PluginStorageApi } from "../store/plugin-storage.js";
import type { HandlerMetadata } from "./decorators.js";
import { defaultHandlerPriority, type HandlerDefinition } from "./handler-definition.js";
import type { PluginMetadata } from "./plugin-metadata.js";
import type { PluginServices } from "./plugin-services.js";
import { attachServicesKey, handlerMetadataKey, pluginBrand } from "./plugin-symbols.js";

/**
 * Base class of class-style plugins. Declare metadata as fields and handlers with
 * `@pluginHandler`; AstrOS sets `logger`, `storage` and `settings` when it registers the plugin.
 *
 * @example
 *   export default class HelloWorldPlugin extends BasePlugin {
 *     readonly name = "hello-world";
 *     readonly version = "1.0.0";
 *     readonly description = "Responds to greetings";
 *     readonly author = "You";
 *     @pluginHandler("greeting") async sayHello(intent: Intent) { return { success: true, message: "Hello!" }; }
 *   }
 */
export abstract class BasePlugin implements PluginMetadata {
  static readonly [pluginBrand] = "class";
  readonly [pluginBrand] = "instance";

  abstract readonly name: string;
  abstract readonly version: string;
  abstract readonly description: string;
  abstract readonly author: string;
  readonly handles: readonly string[] = [];
  readonly requiresAi: boolean = false;
  readonly requiresPermissions: readonly string[] = [];

  #services: PluginServices | undefined;

  /** Called once when the plugin is loaded, before any handler runs. */
  async initialize(): Promise<void> {}

  /** Called once when AstrOS stops or the plugin is removed: release what initialize() took. */
  async shutdown(): Promise<void> {}

  get logger(): Logger {
    return this.#services?.logger ?? silentLogger;
  }

  /** This plugin's persistent key-value storage (available once registered). */
  get storage(): PluginStorageApi {
    if (this.#services === undefined) throw this.#notRegistered("storage");
    return this.#services.storage;
  }

  /** This plugin's settings from `[plugins.settings.<name>]` in the configuration. */
  get settings(): Readonly<Record<string, unknown>> {
    return this.#services?.settings ?? {};
  }

  /** True if one of this plugin's handlers takes the intent. Override to decline case by case. */
  canHandle(intent: Intent): boolean {
    return this.getHandlers(intent).length > 0;
  }

  /** The handlers for an intent, highest priority first. */
  getHandlers(intent: Intent): HandlerDefinition[] {
    return this.listHandlers().filter((handler) => handler.intent === intent.type);
  }

  /** Every handler this plugin declares, highest priority first. */
  listHandlers(): HandlerDefinition[] {
    const found = new Map<string, HandlerDefinition>();
    for (let prototype = Object.getPrototypeOf(this); prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
      for (const key of Object.getOwnPropertyNames(prototype)) {
        if (key === "constructor" || found.has(key)) continue;
        const value = Object.getOwnPropertyDescriptor(prototype, key)?.value;
        const metadata = typeof value === "function" ? (value[handlerMetadataKey] as HandlerMetadata | undefined) : undefined;
        if (metadata?.intent === undefined) continue;
        found.set(key, this.#toDefinition(metadata, metadata.intent));
      }
    }
    return [...found.values()].sort((a, b) => b.priority - a.priority);
  }

  /** Call another plugin's handler through AstrOS's pipeline (permissions, guard and audit apply). */
  async callPlugin(pluginName: string, handlerName: string, data: Record<string, unknown> = {}): Promise<Response> {
    if (this.#services === undefined) throw this.#notRegistered("callPlugin");
    return this.#services.callPlugin(pluginName, handlerName, data);
  }

  /** Host-only: AstrOS gives the plugin its scoped services here. */
  [attachServicesKey](services: PluginServices): void {
    this.#services = services;
  }

  #toDefinition(metadata: HandlerMetadata, intent: string): HandlerDefinition {
    const methodName = metadata.methodName;
    return {
      name: methodName,
      intent,
      priority: metadata.priority ?? defaultHandlerPriority,
      requiresPermissions: [...metadata.requiresPermissions],
      description: metadata.description ?? "",
      examples: metadata.examples ?? [],
      args: metadata.args,
      readOnly: metadata.readOnly ?? false,
      commandArgs: metadata.commandArgs ?? [],
      pathArgs: metadata.pathArgs ?? [],
      ...(metadata.pathEffects === undefined ? {} : { pathEffects: metadata.pathEffects }),
      invoke: async (currentIntent, args, context) => {
        const method = (this as unknown as Record<string, Function>)[methodName];
        if (typeof method !== "function") throw new PluginError(`${this.name}: handler ${methodName} is gone`);
        const intentWithArguments = { ...currentIntent, entities: args };
        return method.call(this, intentWithArguments, { ...context, intent: intentWithArguments });
      },
    };
  }

  #notRegistered(what: string): PluginError {
    return new PluginError(`${this.name}: ${what} is available only once the plugin is registered with AstrOS`, {
      code: "PLUGIN_INVALID",
      recovery: "Register the plugin with agent.registerPlugin() or load it through the plugin manager.",
    });
  }
}
