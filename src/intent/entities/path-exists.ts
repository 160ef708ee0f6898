import { statSync } from "node:fs";
import type { ExistenceLookup } from "../parse-context.js";

/**
 * The lookup a request about this machine is read with: what is at a path (following links), asked once per path
 * per request. Only looks, never opens or changes anything; an unreadable place counts as nothing there.
 */
export function diskLookup(): ExistenceLookup {
  const seen = new Map<string, "file" | "folder" | undefined>();
  return (absolutePath) => {
    if (seen.has(absolutePath)) return seen.get(absolutePath);
    let found: "file" | "folder" | undefined;
    try {
      const stats = statSync(absolutePath, { throwIfNoEntry: false });
      found = stats === undefined ? undefined : stats.isDirectory() ? "folder" : "file";
    } catch {
      found = undefined;
    }
    seen.set(absolutePath, found);
    return found;
  };
}
