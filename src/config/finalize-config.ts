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
 * Fill in what depends on the machine: `~` in plugin directories, safety paths, credential files and a sqlite
 * database path is expanded; an empty database URL becomes `sqlite://<dataDirectory>/astros.db` and empty
 * credential paths their defaults in the config and data folders.
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
    safety: {
      ...config.safety,
      allowed_roots: config.safety.allowed_roots.map(expand),
      sensitive_paths: config.safety.sensitive_paths.map(expand),
      allow_sensitive: config.safety.allow_sensitive.map(expand),
    },
    server: {
      ...config.server,
      workspaces: expand(config.server.workspaces || path.join(paths.dataDirectory, "workspaces")),
      token_key_file: expand(config.server.token_key_file || path.join(paths.configDirectory, "server-token.key")),
    },
    credentials: {
      ...config.credentials,
      key_file: expand(config.credentials.key_file || path.join(paths.configDirectory, "credentials.key")),
      file: expand(config.credentials.file || path.join(paths.dataDirectory, "credentials.enc")),
    },
  };
}

function resolveDatabaseUrl(url: string, paths: XdgPaths, expand: (filePath: string) => string): string {
  if (url === "") return sqliteScheme + path.join(paths.dataDirectory, "astros.db");
  if (url.startsWith(sqliteScheme)) return sqliteScheme + expand(url.slice(sqliteScheme.length));
  return url;
}
