import type { Intent } from "../core/types/intent.js";
import type { Response, ResponseInit } from "../core/types/response.js";
import type { ArgumentSchema } from "./argument-schema.js";
import type { HandlerContext } from "./handler-context.js";

/** Options shared by `@pluginHandler` and `defineHandler`. */
export interface HandlerOptions {
  /** 1..10, higher wins when several handlers take the same intent. Default 5. */
  priority?: number;
  /** Permissions this handler needs on top of the plugin's. */
  requiresPermissions?: readonly string[];
  /** One sentence on what the handler does (shown in help and offered to an LLM). */
  description?: string;
  /** Example phrasings that should reach this handler; the builtin recognizer learns them. */
  examples?: readonly string[];
  /** Schema of the handler's arguments (the intent's entities), validated before the handler runs. */
  args?: ArgumentSchema;
  /** True when the handler only reads (the policy treats it as lower risk). Default false. */
  readOnly?: boolean;
  /** Names of arguments that hold a shell command line: the guard judges them before the handler runs. */
  commandArgs?: readonly string[];
  /** Names of arguments that hold a file path (or a list of paths): the path guard checks them before the handler runs. */
  pathArgs?: readonly string[];
}

/** What a handler may return: a full Response or just its required fields. */
export type HandlerResult = Response | ResponseInit;

/** The host's uniform view of a handler, whichever way the plugin declared it. */
export interface HandlerDefinition {
  /** The handler's name within its plugin (the method or key name), used by callPlugin. */
  name: string;
  /** The intent type (tool name) it handles. */
  intent: string;
  priority: number;
  requiresPermissions: readonly string[];
  description: string;
  examples: readonly string[];
  args: ArgumentSchema | undefined;
  readOnly: boolean;
  commandArgs: readonly string[];
  pathArgs: readonly string[];
  /** Run with already-validated arguments. */
  invoke(intent: Intent, args: Record<string, unknown>, context: HandlerContext): Promise<HandlerResult>;
}

export const defaultHandlerPriority = 5;
