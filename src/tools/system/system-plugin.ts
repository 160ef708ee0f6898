import { definePlugin, type PluginDefinition } from "../../sdk.js";
import { openHandler } from "./open-handler.js";
import { createSystemInfoHandler } from "./system-info-handler.js";
import { TtlCache, type TtlCacheOptions } from "./ttl-cache.js";

export interface SystemToolsOptions {
  /** The clock the info cache uses (tests move it). */
  now?: TtlCacheOptions["now"];
}

/** AstrOS's system tools: what this machine is and how it is doing, and opening things on its desktop. */
export function createSystemTools(options: SystemToolsOptions = {}): PluginDefinition {
  // Each agent gets its own cache, so one agent's readings are never another's.
  const cache = new TtlCache(options.now === undefined ? {} : { now: options.now });
  return definePlugin({
    name: "system",
    version: "1.0.0",
    description: "This computer: hardware, load, memory, disks, network, OS, battery, GPU; and opening links, files and apps",
    author: "AstrOS",
    handles: ["system"],
    handlers: {
      info: createSystemInfoHandler(cache),
      open: openHandler,
    },
  });
}
