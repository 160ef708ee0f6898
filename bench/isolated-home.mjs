import path from "node:path";

/** The environment of an astros process that lives in `home` only: its own config, data, state and cache folders. */
export function isolatedEnvironment(home) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    USER: "bench",
    XDG_CONFIG_HOME: path.join(home, "c"),
    XDG_DATA_HOME: path.join(home, "d"),
    XDG_STATE_HOME: path.join(home, "s"),
    XDG_CACHE_HOME: path.join(home, "cache"),
  };
}
