import path from "node:path";
import type { RegisteredPlugin } from "../plugins/plugin-registry.js";
import { packageRoot } from "./package-info.js";

/**
 * Plugins that need no first-use consent: those listed in permissions.trusted_plugins, AstrOS's own
 * (builtin, registered in code, or shipped in its plugins/ folder, not a package installed there).
 */
export function isTrustedPlugin(entry: RegisteredPlugin, trusted: ReadonlySet<string>): boolean {
  const { source } = entry.runtime;
  return (
    trusted.has(entry.runtime.metadata.name) ||
    source === "builtin" ||
    source === "code" ||
    (isInside(source, path.join(packageRoot, "plugins")) && !source.includes("node_modules"))
  );
}

/** When AstrOS is installed as an npm package, plugin packages installed beside it. */
export function installedNextToAstrOS(): string[] {
  const parent = path.dirname(packageRoot);
  if (path.basename(parent) === "node_modules") return [parent];
  if (path.basename(path.dirname(parent)) === "node_modules") return [path.dirname(parent)];
  return [];
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
