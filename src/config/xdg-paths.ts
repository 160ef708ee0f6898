import path from "node:path";

/** The directories AstrOS uses, per the XDG Base Directory specification. */
export interface XdgPaths {
  /** Where `config.toml` lives, e.g. `~/.config/astros`. */
  configDirectory: string;
  /** Persistent data such as the default SQLite database, e.g. `~/.local/share/astros`. */
  dataDirectory: string;
  /** State worth keeping between runs but not worth backing up (logs, history), e.g. `~/.local/state/astros`. */
  stateDirectory: string;
  /** Disposable cached data, e.g. `~/.cache/astros`. */
  cacheDirectory: string;
}

export interface ResolveXdgPathsOptions {
  /** Environment to read `XDG_*_HOME` from. */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, used when a variable is unset. */
  homeDirectory: string;
}

const applicationName = "astros";

/**
 * Resolve the AstrOS directories. Unset, empty or relative `XDG_*_HOME` values are ignored,
 * as the specification requires, and the documented fallback under the home directory is used.
 */
export function resolveXdgPaths({ env, homeDirectory }: ResolveXdgPathsOptions): XdgPaths {
  const baseDirectory = (variable: string, fallback: string): string => {
    const value = env[variable];
    const base = value !== undefined && path.isAbsolute(value) ? value : path.join(homeDirectory, fallback);
    return path.join(base, applicationName);
  };
  return {
    configDirectory: baseDirectory("XDG_CONFIG_HOME", ".config"),
    dataDirectory: baseDirectory("XDG_DATA_HOME", ".local/share"),
    stateDirectory: baseDirectory("XDG_STATE_HOME", ".local/state"),
    cacheDirectory: baseDirectory("XDG_CACHE_HOME", ".cache"),
  };
}
