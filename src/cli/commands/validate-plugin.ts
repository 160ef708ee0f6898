import { access } from "node:fs/promises";
import path from "node:path";
import { packageVersion } from "../../agent/package-info.js";
import { silentLogger } from "../../core/logging/logger.js";
import { PluginManager } from "../../plugins/plugin-manager.js";
import type { Output } from "../output.js";

/** Load one plugin folder exactly as AstrOS would, and report what is wrong with it. */
export async function validatePlugin(options: { directory: string; output: Output; json: boolean }): Promise<number> {
  const { directory, output, json } = options;
  const { colors } = output;
  const hasManifest = await Promise.any(["plugin.yaml", "package.json"].map((file) => access(path.join(directory, file)))).then(
    () => true,
    () => false,
  );
  const manager = new PluginManager({
    hostVersion: packageVersion(),
    pluginPaths: hasManifest ? [directory] : [],
    nodeModulesPaths: [],
    enabledPlugins: [],
    disabledPlugins: [],
    timeoutSeconds: 30,
    settings: {},
    logger: silentLogger,
  });
  await manager.discoverAndLoad();
  const problems = hasManifest
    ? manager.problems.map((problem) => problem.error.message)
    : [`${directory}: no plugin.yaml or package.json found`];
  const plugins = manager.registry.list().map((entry) => ({
    name: entry.runtime.metadata.name,
    version: entry.runtime.metadata.version,
    handlers: entry.runtime.handlers.map((handler) => ({
      name: handler.name,
      intent: handler.intent,
      priority: handler.priority,
      permissions: handler.requiresPermissions,
    })),
  }));
  if (plugins.length === 0 && problems.length === 0) problems.push(`${directory}: no plugin found`);
  if (json) {
    output.out(JSON.stringify({ valid: problems.length === 0, plugins, problems }, null, 2));
  } else {
    for (const plugin of plugins) {
      output.out(colors.green(`✓ ${plugin.name} ${plugin.version}: ${plugin.handlers.length} handler(s)`));
      for (const handler of plugin.handlers) output.out(`    ${handler.name} → ${handler.intent} (priority ${handler.priority})`);
    }
    for (const problem of problems) output.err(colors.red(`✗ ${problem}`));
  }
  return problems.length === 0 ? 0 : 1;
}
