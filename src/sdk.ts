/**
 * The AstrOS plugin SDK: everything a plugin author needs, and nothing else.
 * Every export here is a promise to plugin authors (named exports only).
 */

export { z } from "zod";
export type {
  AIResponse,
  ChatOptions,
  ChatResponse,
  GenerationOptions,
  Message,
  ProviderCapabilities,
  ProviderConfig,
  ToolCallRequest,
  ToolDefinition,
} from "./ai/ai-types.js";
export type { AIProviderClass } from "./ai/base-ai-provider.js";
export { BaseAIProvider } from "./ai/base-ai-provider.js";
/** Register an AI provider class under a name, so that `ai.provider = "<name>"` selects it. */
export { registerProvider as registerAIProvider } from "./ai/provider-registry.js";
/** The HTTP and WebSocket clients for the AstrOS server. */
export * from "./client/client-api.js";
export { AIError } from "./core/errors/ai-error.js";
export { AstrOSError } from "./core/errors/astros-error.js";
export { AuthenticationError } from "./core/errors/authentication-error.js";
export { PermissionError } from "./core/errors/permission-error.js";
export { PluginError } from "./core/errors/plugin-error.js";
export { ProcessingError } from "./core/errors/processing-error.js";
export type { Logger } from "./core/logging/logger.js";
export type { Intent } from "./core/types/intent.js";
export type { Response, ResponseInit, ResponseMetadata } from "./core/types/response.js";
export { createResponse, ResponseFormat } from "./core/types/response.js";
export type { UserRequest } from "./core/types/user-request.js";
/**
 * The file boundary, for tools that walk or read many files on real paths the path guard resolved: a folder opened
 * from `/` without following any link (names inside it are reached through its handle, never by name again), and
 * a file opened to read without following a link and refused when it has other names (hard links).
 */
export { openForReading } from "./exec/boundary/file-boundary.js";
export type { PinnedFolder } from "./exec/boundary/pinned-folder.js";
export { pinFolder } from "./exec/boundary/pinned-folder.js";
export type { ArgumentSchema } from "./plugins/argument-schema.js";
export { BasePlugin } from "./plugins/base-plugin.js";
export { pluginHandler, requiresPermission } from "./plugins/decorators.js";
export type { PlainHandler, PluginDefinition, PluginSpec } from "./plugins/define-plugin.js";
export { defineHandler, definePlugin } from "./plugins/define-plugin.js";
export type { ExecOptions, ExecResult, FileEntry, GuardedFiles, HandlerAI, HandlerContext } from "./plugins/handler-context.js";
export type { HandlerDefinition, HandlerOptions, HandlerResult } from "./plugins/handler-definition.js";
export type { PluginMetadata } from "./plugins/plugin-metadata.js";
export type { KnownPermission, PluginPermission } from "./plugins/plugin-permission.js";
export { knownPermissions } from "./plugins/plugin-permission.js";
export type { PluginServices } from "./plugins/plugin-services.js";
export type { StandardSchemaV1 } from "./plugins/standard-schema.js";
export type { PluginStorageApi } from "./store/plugin-storage.js";
