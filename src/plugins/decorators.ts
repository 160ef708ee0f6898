import type { Intent } from "../core/types/intent.js";
import type { HandlerContext } from "./handler-context.js";
import { defaultHandlerPriority, type HandlerOptions, type HandlerResult } from "./handler-definition.js";
import { intentTypePattern } from "./plugin-metadata.js";
import { permissionNamePattern } from "./plugin-permission.js";
import { handlerMetadataKey } from "./plugin-symbols.js";

/** What the decorators record on a handler method. */
export interface HandlerMetadata extends Omit<HandlerOptions, "requiresPermissions"> {
  intent?: string;
  methodName: string;
  requiresPermissions: string[];
}

type HandlerMethod<This> = (this: This, intent: Intent, context: HandlerContext) => Promise<HandlerResult> | HandlerResult;

function metadataOf(method: object, methodName: string): HandlerMetadata {
  const tagged = method as { [handlerMetadataKey]?: HandlerMetadata };
  tagged[handlerMetadataKey] ??= { methodName, requiresPermissions: [] };
  return tagged[handlerMetadataKey];
}

function checkPermissions(permissions: readonly string[], where: string): void {
  for (const permission of permissions) {
    if (!permissionNamePattern.test(permission)) {
      throw new TypeError(`${where}: "${permission}" is not a valid permission name (lower-case letters, digits, _ . : -)`);
    }
  }
}

/**
 * Mark a method as the handler of an intent type.
 *
 * @example
 *   @pluginHandler("greeting", { priority: 8, examples: ["hello"] })
 *   async sayHello(intent: Intent): Promise<HandlerResult> { ... }
 */
export function pluginHandler(intentType: string, options: HandlerOptions = {}) {
  if (typeof intentType !== "string" || !intentTypePattern.test(intentType)) {
    throw new TypeError(`@pluginHandler: "${String(intentType)}" is not a valid intent type (e.g. "greeting", "files.organize")`);
  }
  const priority = options.priority ?? defaultHandlerPriority;
  if (!Number.isInteger(priority) || priority < 1 || priority > 10) {
    throw new TypeError(`@pluginHandler("${intentType}"): priority must be an integer from 1 to 10 (got ${priority})`);
  }
  checkPermissions(options.requiresPermissions ?? [], `@pluginHandler("${intentType}")`);
  return <This, Method extends HandlerMethod<This>>(method: Method, context: ClassMethodDecoratorContext<This, Method>) => {
    if (context.static || context.private) {
      throw new TypeError(`@pluginHandler("${intentType}") must decorate a public instance method`);
    }
    const metadata = metadataOf(method, String(context.name));
    if (metadata.intent !== undefined) {
      throw new TypeError(`${String(context.name)}: @pluginHandler used twice on one method`);
    }
    const { requiresPermissions = [], ...rest } = options;
    Object.assign(metadata, rest, { intent: intentType, priority });
    metadata.requiresPermissions.push(...requiresPermissions);
  };
}

/**
 * Declare permissions a handler needs, in addition to the plugin's own.
 *
 * @example
 *   @requiresPermission("file_system", "network")
 *   @pluginHandler("backup_files")
 *   async backupFiles(intent: Intent) { ... }
 */
export function requiresPermission(...permissions: string[]) {
  checkPermissions(permissions, "@requiresPermission");
  return <This, Method extends HandlerMethod<This>>(method: Method, context: ClassMethodDecoratorContext<This, Method>) => {
    metadataOf(method, String(context.name)).requiresPermissions.push(...permissions);
  };
}
