/**
 * The AstrOS plugin SDK: everything a plugin author needs, and nothing else.
 * Every export here is a promise to plugin authors (named exports only).
 */
export { BasePlugin } from "./plugins/base-plugin.js";
export { pluginHandler, requiresPermission } from "./plugins/decorators.js";
export { definePlugin, defineHandler } from "./plugins/define-plugin.js";
export type { PluginSpec, PluginDefinition, PlainHandler } from "./plugins/define-plugin.js";
export type { HandlerContext } from "./plugins/handler-context.js";
export type { HandlerOptions, HandlerResult, HandlerDefinition } from "./plugins/handler-definition.js";
export type { ArgumentSchema } from "./plugins/argument-schema.js";
export type { StandardSchemaV1 } from "./plugins/standard-schema.js";
export type { PluginMetadata } from "./plugins/plugin-metadata.js";
export type { PluginServices } from "./plugins/plugin-services.js";
export { knownPermissions } from "./plugins/plugin-permission.js";
export type { KnownPermission, PluginPermission } from "./plugins/plugin-permission.js";
export type { PluginStorageApi } from "./store/plugin-storage.js";
export type { Intent } from "./core/types/intent.js";
export type { UserRequest } from "./core/types/user-request.js";
export type { Response, ResponseInit, ResponseMetadata } from "./core/types/response.js";
export { createResponse, ResponseFormat } from "./core/types/response.js";
export type { Logger } from "./core/logging/logger.js";
export { AstrOSError } from "./core/errors/astros-error.js";
export { PluginError } from "./core/errors/plugin-error.js";
export { AIError } from "./core/errors/ai-error.js";
export { PermissionError } from "./core/errors/permission-error.js";
export { ProcessingError } from "./core/errors/processing-error.js";
export { AuthenticationError } from "./core/errors/authentication-error.js";
export { z } from "zod";
