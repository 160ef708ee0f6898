import type { Logger } from "../core/logging/logger.js";
import type { Response } from "../core/types/response.js";
import type { PluginStorageApi } from "../store/plugin-storage.js";

/** What the host gives a plugin when it is registered: its own scope, shared with no other plugin. */
export interface PluginServices {
  logger: Logger;
  storage: PluginStorageApi;
  settings: Readonly<Record<string, unknown>>;
  /** Calls another plugin's handler as this plugin, through the full pipeline. */
  callPlugin(pluginName: string, handlerName: string, data: Record<string, unknown>): Promise<Response>;
}
