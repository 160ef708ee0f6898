import { definePlugin, type PluginDefinition } from "../../sdk.js";
import { findPortHandler } from "./find-port-handler.js";
import { createKillProcessHandler, type KillTiming } from "./kill-process-handler.js";
import { listProcessesHandler } from "./list-processes-handler.js";

export interface ProcessToolsOptions {
  /** How long stopped processes get to exit (tests shorten it). */
  killTiming?: KillTiming;
}

/** AstrOS's process tools: list the busiest processes, find who holds a port, stop processes (asking first). */
export function createProcessTools(options: ProcessToolsOptions = {}): PluginDefinition {
  return definePlugin({
    name: "process",
    version: "1.0.0",
    description: "Processes: the busiest ones, who listens on a port, and stopping them safely",
    author: "AstrOS",
    handles: ["process"],
    handlers: {
      list: listProcessesHandler,
      findPort: findPortHandler,
      kill: createKillProcessHandler(options.killTiming),
    },
  });
}
