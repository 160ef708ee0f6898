import path from "node:path";
import type { AstrOSConfig } from "./config-schema.js";
import { expandHomeDirectory } from "./expand-home-directory.js";
import type { XdgPaths } from "./xdg-paths.js";

const sqliteScheme = "sqlite://";

export interface FinalizeConfigOptions {
  config: AstrOSConfig;
  paths: XdgPaths;
  homeDirectory: string;
}

/**
 * Fill in what depends on the machine: `~` in plugin directories and in a sqlite database path is
 * expanded, and an empty database URL becomes `sqlite://<dataDirectory>/astros.db`.
 */
export function finalizeConfig({ config, paths, homeDirectory }: FinalizeConfigOptions): AstrOSConfig {
  const expand = (filePath: string) => expandHomeDirectory({ filePath, homeDirectory });
  return {
    ...config,
    database: { ...config.database, url: resolveDatabaseUrl(config.database.url, paths, expand) },
    plugins: {
      ...config.plugins,
      plugin_paths: config.plugins.plugin_paths.map(expand),
      node_modules_paths: config.plugins.node_modules_paths.map(expand),
    },
  };
}

function resolveDatabaseUrl(url: string, paths: XdgPaths, expand: (filePath: string) => string): string {
  if (url === "") return sqliteScheme + path.join(paths.dataDirectory, "astros.db");
  if (url.startsWith(sqliteScheme)) return sqliteScheme + expand(url.slice(sqliteScheme.length));
  return url;
}
