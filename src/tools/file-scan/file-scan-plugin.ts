import { definePlugin, type PluginDefinition } from "../../sdk.js";
import { diskUsageHandler } from "./disk-usage-handler.js";
import { duplicatesHandler } from "./duplicates-handler.js";
import { searchHandler } from "./search-handler.js";

/**
 * AstrOS's read-only scanning tools: search files, measure disk usage, find duplicates. Every folder they are given
 * passes the path guard; walks never follow symlinks. The scanning code loads when a tool first runs.
 */
export function createFileScanTools(): PluginDefinition {
  return definePlugin({
    name: "file-scan",
    version: "1.0.0",
    description: "Search files, measure disk usage and find duplicates (read-only)",
    author: "AstrOS",
    handles: ["files"],
    requiresPermissions: ["file_system"],
    handlers: {
      search: searchHandler,
      diskUsage: diskUsageHandler,
      duplicates: duplicatesHandler,
    },
  });
}
