import { createArchiveTools } from "./archive/archive-plugin.js";
import { createFileScanTools } from "./file-scan/file-scan-plugin.js";
import { createFileTools } from "./files/files-plugin.js";
import { createNotesTools } from "./notes/notes-plugin.js";
import { createPermissionTools } from "./permissions/permissions-plugin.js";
import { createProcessTools } from "./process/process-plugin.js";
import { createShellTools } from "./shell/shell-plugin.js";
import { createSystemTools } from "./system/system-plugin.js";
import { createTextTools } from "./text/text-plugin.js";

/**
 * AstrOS's own tools: plugins written with the public SDK only (they import from `../../sdk.js`,
 * never from the host's internals), registered by the agent as trusted built-ins. Heavy libraries
 * are imported inside handlers, so an agent that never uses a tool never loads them.
 */
export function firstPartyTools(): unknown[] {
  return [
    createFileTools(),
    createFileScanTools(),
    createSystemTools(),
    createProcessTools(),
    createShellTools(),
    createNotesTools(),
    createArchiveTools(),
    createPermissionTools(),
    createTextTools(),
  ];
}
