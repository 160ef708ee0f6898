import { existsSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PluginError } from "../core/errors/plugin-error.js";

let hooksRegistered = false;

/** Make `astros` and `astros/*` imports in plugins resolve to this running copy of AstrOS. */
function registerSdkResolution(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  // When running from TypeScript sources (the test runner), its own aliases resolve `astros/*`.
  if (!existsSync(fileURLToPath(new URL("./sdk-resolution-hooks.js", import.meta.url)))) return;
  // Resolving from a file of this package makes Node use the package's own name and exports.
  register("./sdk-resolution-hooks.js", import.meta.url, { data: { hostUrl: import.meta.url } });
}

/** Import a plugin's entry module and return what it exports as its plugin. */
export async function loadPluginModule(entryPath: string, options: { source: string }): Promise<unknown> {
  registerSdkResolution();
  let moduleNamespace: Record<string, unknown>;
  try {
    moduleNamespace = (await import(pathToFileURL(entryPath).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginError(`${options.source}: importing ${entryPath} failed: ${(error as Error).message}`, {
      code: "PLUGIN_LOAD_FAILED",
      details: { entry: entryPath },
      cause: error,
    });
  }
  return moduleNamespace.default ?? moduleNamespace.plugin;
}
