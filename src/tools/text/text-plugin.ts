import { definePlugin, type PluginDefinition } from "../../sdk.js";
import { checksumHandler } from "./checksum-handler.js";
import { countHandler } from "./count-handler.js";
import { infoHandler } from "./info-handler.js";
import { headHandler, tailHandler } from "./line-handlers.js";
import { readmeHandler } from "./readme-handler.js";

/**
 * Reading files and facts about one file, read-only: first and last lines (head, tail), counts of lines, words and
 * characters (wc) or of a folder's files, checksums, size and dates (stat), a folder's README. Every file is opened
 * through the path guard and the file boundary (never by name after the check) and streamed, so a file of any size
 * costs only what the answer needs.
 */
export function createTextTools(): PluginDefinition {
  return definePlugin({
    name: "text",
    version: "1.0.0",
    description: "First and last lines, line/word/character counts, checksums, size and dates of files (read-only)",
    author: "AstrOS",
    handles: ["files"],
    requiresPermissions: ["file_system"],
    handlers: {
      head: headHandler,
      tail: tailHandler,
      count: countHandler,
      checksum: checksumHandler,
      info: infoHandler,
      readme: readmeHandler,
    },
  });
}
