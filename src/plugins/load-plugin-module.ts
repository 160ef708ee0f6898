import { existsSync } from "node:fs";
import { createRequire, register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../agent/package-info.js";
import { PluginError } from "../core/errors/plugin-error.js";

let hooksRegistered = false;

/**
 * Make `astros` and `astros/*` imports in a plugin resolve to this running copy of AstrOS, when they
 * do not already (a plugin beside an npm-installed AstrOS resolves it normally). The hooks cost a
 * worker thread and slow every later import, so they are registered only when needed.
 */
function registerSdkResolution(entryPath: string): void {
  if (hooksRegistered || resolvesSdk(entryPath)) return;
  hooksRegistered = true;
  // The compiled hooks live in dist/ (the test runner, running sources, resolves `astros/*` with its own aliases).
  const hooks = path.join(packageRoot, "dist", "plugins", "sdk-resolution-hooks.js");
  if (!existsSync(hooks)) return;
  // Resolving from a file of this package makes Node use the package's own name and exports.
  const hostUrl = pathToFileURL(path.join(packageRoot, "package.json")).href;
  register(pathToFileURL(hooks).href, { data: { hostUrl } });
}

function resolvesSdk(entryPath: string): boolean {
  try {
    createRequire(entryPath).resolve("astros/sdk");
    return true;
  } catch {
    return false;
  }
}

/** Import a plugin's entry module and return what it exports as its plugin. */
export async function loadPluginModule(entryPath: string, options: { source: string }): Promise<unknown> {
  registerSdkResolution(entryPath);
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
