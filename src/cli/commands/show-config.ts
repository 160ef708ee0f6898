import { loadConfig } from "../../config/load-config.js";
import { renderConfigToml } from "../../config/render-config.js";
import type { Output } from "../output.js";

function loadOptions(configPath: string | undefined) {
  return configPath === undefined ? {} : { env: { ...process.env, ASTROS_CONFIG: configPath } };
}

export async function showConfig(options: { output: Output; configPath: string | undefined }): Promise<void> {
  const loaded = await loadConfig(loadOptions(options.configPath));
  options.output.out(renderConfigToml(loaded.config));
}

export async function showConfigPaths(options: { output: Output; configPath: string | undefined }): Promise<void> {
  const loaded = await loadConfig(loadOptions(options.configPath));
  if (loaded.sources.length === 0) options.output.out("(defaults only: no config file or ASTROS_ variable found)");
  for (const source of loaded.sources) options.output.out(source);
}
