import type { ArgumentSchema } from "./argument-schema.js";
import type { HandlerContext } from "./handler-context.js";
import type { HandlerOptions, HandlerResult } from "./handler-definition.js";
import type { PluginServices } from "./plugin-services.js";
import { pluginDefinitionBrand } from "./plugin-symbols.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

type ArgumentsOf<Schema> = Schema extends StandardSchemaV1<unknown, infer Output> ? Output : Record<string, unknown>;

/** A handler in the plain-object form: its arguments are declared with a schema and validated before `run`. */
export interface PlainHandler<Schema extends ArgumentSchema | undefined = ArgumentSchema | undefined>
  extends Omit<HandlerOptions, "args"> {
  /** The intent type (tool name) this handler takes. */
  intent: string;
  args?: Schema;
  run(args: ArgumentsOf<Schema>, context: HandlerContext): Promise<HandlerResult> | HandlerResult;
}

/** The plain-object form of a plugin (no classes, no decorators). */
export interface PluginSpec {
  name: string;
  version: string;
  description?: string;
  author?: string;
  handles?: readonly string[];
  requiresAi?: boolean;
  requiresPermissions?: readonly string[];
  /** Handlers by name (the name callPlugin uses). */
  handlers: Record<string, PlainHandler<any>>;
  initialize?(services: PluginServices): Promise<void> | void;
  shutdown?(): Promise<void> | void;
}

export interface PluginDefinition extends PluginSpec {
  readonly [pluginDefinitionBrand]: true;
}

/** Declare one handler; gives `run` the argument types of its schema. */
export function defineHandler<Schema extends ArgumentSchema | undefined = undefined>(
  handler: PlainHandler<Schema>,
): PlainHandler<Schema> {
  return handler;
}

/**
 * Declare a plugin as a plain object.
 *
 * @example
 *   export default definePlugin({
 *     name: "weather", version: "1.0.0",
 *     handlers: {
 *       forecast: defineHandler({ intent: "weather.forecast", args: z.object({ city: z.string() }),
 *         run: async ({ city }) => ({ success: true, message: `Sunny in ${city}` }) }),
 *     },
 *   });
 */
export function definePlugin(spec: PluginSpec): PluginDefinition {
  return Object.freeze({ ...spec, [pluginDefinitionBrand]: true as const });
}
