import type { Logger } from "../core/logging/logger.js";
import type { Intent } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import type { PluginStorageApi } from "../store/plugin-storage.js";

/** What a handler gets besides its intent: scoped services and ways to report progress. */
export interface HandlerContext {
  /** The intent being handled (its entities are the handler's arguments). */
  intent: Intent;
  requestId: string;
  userId: string;
  sessionId: string;
  /** Aborted when the request is cancelled or the plugin's time limit passes. Long work must watch it. */
  signal: AbortSignal;
  logger: Logger;
  /** This plugin's own persistent key-value storage. */
  storage: PluginStorageApi;
  /** This plugin's settings from configuration (`[plugins.settings.<name>]`). */
  settings: Readonly<Record<string, unknown>>;
  /** Report progress of long work (0..100) with a short message. */
  progress(percent: number | undefined, message: string): void;
  /** Stream a piece of the answer as it is produced. */
  text(delta: string): void;
  /** Call another plugin's handler through the full pipeline (permissions, guard, audit). */
  callPlugin(pluginName: string, handlerName: string, data?: Record<string, unknown>): Promise<Response>;
}
