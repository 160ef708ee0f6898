import type { Intent } from "../core/types/intent.js";
import type { Response, ResponseInit } from "../core/types/response.js";
import type { EffectKind } from "../safety/effect-policy/effect.js";
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
  /**
   * What the handler does to the path each argument names (`{ path: "delete" }`, `{ source: "move", destination:
   * "create" }`), or a function of the arguments that says so; the effect policy judges these before the handler runs
   * (deleting the home folder is refused whoever asks). Unnamed path arguments: `read` for a read-only handler, else
   * `modify`.
   */
  pathEffects?: PathEffects;
}

/** A handler's declared effects on its path arguments: fixed, or decided from the arguments. */
export type PathEffects =
  | Readonly<Record<string, EffectKind>>
  | ((args: Record<string, unknown>) => Readonly<Record<string, EffectKind>>);

/** One path a call names, with what the handler does to it. */
export interface PathEffect {
  kind: EffectKind;
  /** The path as the arguments give it (relative, `~`). */
  input: string;
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
  /** What the handler does to each path argument (see HandlerOptions.pathEffects). */
  pathEffects?: PathEffects;
  /** Run with already-validated arguments. */
  invoke(intent: Intent, args: Record<string, unknown>, context: HandlerContext): Promise<HandlerResult>;
}

export const defaultHandlerPriority = 5;

/**
 * The effects a call of `handler` with `args` declares on the paths it names: each path argument (a string or each
 * string of a list) with its declared kind, else `read` for a read-only handler and `modify` for any other.
 */
export function declaredPathEffects(
  handler: Pick<HandlerDefinition, "pathArgs" | "pathEffects" | "readOnly">,
  args: Record<string, unknown>,
): PathEffect[] {
  let declared: Readonly<Record<string, EffectKind>> = {};
  try {
    declared = (typeof handler.pathEffects === "function" ? handler.pathEffects(args) : handler.pathEffects) ?? {};
  } catch {
    // A declaration that fails says nothing: the default below still describes every path.
  }
  const fallback: EffectKind = handler.readOnly ? "read" : "modify";
  const names = [...new Set([...handler.pathArgs, ...Object.keys(declared)])];
  return names.flatMap((name) => {
    const value = args[name];
    const kind = declared[name] ?? fallback;
    const inputs =
      typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
    return inputs.map((input: string) => ({ kind, input }));
  });
}
