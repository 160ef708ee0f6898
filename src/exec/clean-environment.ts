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
