import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type AstrOSConfig, configSchema } from "./config-schema.js";
import type { ConfigSource } from "./config-source.js";
import { createConfigValidationError } from "./config-validation-error.js";
import { readEnvironmentLayer } from "./environment-layer.js";
import { expandHomeDirectory } from "./expand-home-directory.js";
import { finalizeConfig } from "./finalize-config.js";
import { type ConfigLayer, mergeConfigLayers } from "./merge-config-layers.js";
import { type ReadTextFile, readTomlFile } from "./read-toml-file.js";
import { resolveXdgPaths, type XdgPaths } from "./xdg-paths.js";

/** The variable naming an extra configuration file, applied after the user file. */
export const configFileVariable = "ASTROS_CONFIG";

export const defaultSystemConfigPath = "/etc/astros/config.toml";

export interface LoadConfigOptions {
  /** Environment for `XDG_*`, `ASTROS_CONFIG` and `ASTROS_*` values. Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to `os.homedir()`. */
  homeDirectory?: string;
  /** Defaults to `/etc/astros/config.toml`; may be missing. */
  systemConfigPath?: string;
  /** Defaults to `<configDirectory>/config.toml`; may be missing. */
  userConfigPath?: string;
  /** Nested snake_case values applied last (e.g. from command-line flags); undefined values are skipped. */
  overrides?: Record<string, unknown>;
  /** How files are read. Defaults to reading UTF-8 from disk. */
  readTextFile?: ReadTextFile;
}

export interface LoadedConfig {
  config: AstrOSConfig;
  /** The files actually read, in the order applied, then `"environment"` if any `ASTROS_*` variable applied. */
  sources: string[];
  paths: XdgPaths;
}

const readUtf8File: ReadTextFile = (filePath) => readFile(filePath, "utf8");

/**
 * Load the effective configuration. Layers, later winning and deep-merged (tables merge, lists and
 * values replace): schema defaults, the system file, the user file, the file named by `ASTROS_CONFIG`
 * (which must exist), `ASTROS_*` variables, then `overrides`. Afterwards `~` is expanded in plugin
 * directories and sqlite database paths, and an empty database URL becomes the default sqlite file.
 *
 * Throws ConfigError: CONFIG_FILE_UNREADABLE for a file that cannot be read, CONFIG_INVALID for TOML
 * syntax errors and for invalid or unknown keys, naming the file or variable and the key.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const homeDirectory = options.homeDirectory ?? os.homedir();
  const readTextFile = options.readTextFile ?? readUtf8File;
  const paths = resolveXdgPaths({ env, homeDirectory });

  const layers: ConfigLayer[] = [];
  const sources: string[] = [];
  const addFile = async (filePath: string, namedBy?: string): Promise<void> => {
    const values = await readTomlFile({ filePath, readTextFile, namedBy });
    if (values === undefined) return;
    const source: ConfigSource = { kind: "file", filePath };
    layers.push({ values, sourceOf: () => source });
    sources.push(filePath);
  };

  await addFile(options.systemConfigPath ?? defaultSystemConfigPath);
  await addFile(options.userConfigPath ?? path.join(paths.configDirectory, "config.toml"));
  const namedFile = env[configFileVariable];
  if (namedFile !== undefined && namedFile !== "") {
    const filePath = path.resolve(expandHomeDirectory({ filePath: namedFile, homeDirectory }));
    if (!sources.includes(filePath)) await addFile(filePath, configFileVariable);
  }

  const environmentLayer = readEnvironmentLayer({ env, schema: configSchema });
  if (environmentLayer !== undefined) {
    layers.push(environmentLayer);
    sources.push("environment");
  }
  if (options.overrides !== undefined) {
    const source: ConfigSource = { kind: "overrides" };
    layers.push({ values: options.overrides, sourceOf: () => source });
  }

  const merged = mergeConfigLayers({ layers });
  const result = configSchema.safeParse(merged.values);
  if (!result.success) {
    throw createConfigValidationError({ issues: result.error.issues, merged, schema: configSchema });
  }
  return { config: finalizeConfig({ config: result.data, paths, homeDirectory }), sources, paths };
}
