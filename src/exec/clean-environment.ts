import { confinedPath } from "./sandbox/confined-sandbox.js";

/** Variables a command keeps from AstrOS's own environment; everything else (tokens, keys, proxies' passwords) is dropped. */
const keptVariables = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TERM",
  "TZ",
  "TMPDIR",
  "DISPLAY",
  "WAYLAND_DISPLAY",
  "XDG_RUNTIME_DIR",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_STATE_HOME",
  "XDG_CACHE_HOME",
  "XDG_DATA_DIRS",
  "XDG_CONFIG_DIRS",
  "DBUS_SESSION_BUS_ADDRESS",
]);

/**
 * The environment a command runs with: the locale, home, path and desktop variables of this one,
 * never its secrets, plus what the caller adds explicitly.
 */
export function cleanEnvironment(
  from: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (keptVariables.has(name) || name.startsWith("LC_"))) environment[name] = value;
  }
  return { ...environment, ...extra };
}

/** What a confined user's command keeps from AstrOS's environment: the locale and terminal, nothing that names a server path. */
const confinedKept = new Set(["LANG", "LANGUAGE", "TERM", "TZ"]);

/**
 * The environment of a confined (server) user's command: the workspace as HOME, the sandbox's PATH and
 * /tmp, the locale; never the server's HOME, XDG folders, desktop or bus addresses (they name the
 * operator's files and sockets). The caller's extras apply, but HOME, PATH and TMPDIR stay the sandbox's.
 */
export function confinedEnvironment(
  from: Readonly<Record<string, string | undefined>>,
  options: { home: string; extra?: Readonly<Record<string, string>> },
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (confinedKept.has(name) || name.startsWith("LC_"))) environment[name] = value;
  }
  return {
    ...environment,
    ...options.extra,
    HOME: options.home,
    PATH: confinedPath,
    TMPDIR: "/tmp",
    USER: "user",
    LOGNAME: "user",
    SHELL: "/bin/bash",
  };
}
