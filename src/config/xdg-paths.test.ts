import { describe, expect, it } from "vitest";
import { resolveXdgPaths } from "./xdg-paths.js";

describe("resolveXdgPaths", () => {
  it("falls back to the documented directories under the home directory", () => {
    expect(resolveXdgPaths({ env: {}, homeDirectory: "/home/u" })).toEqual({
      configDirectory: "/home/u/.config/astros",
      dataDirectory: "/home/u/.local/share/astros",
      stateDirectory: "/home/u/.local/state/astros",
      cacheDirectory: "/home/u/.cache/astros",
    });
  });

  it("uses absolute XDG_*_HOME values", () => {
    const env = {
      XDG_CONFIG_HOME: "/x/config",
      XDG_DATA_HOME: "/x/data",
      XDG_STATE_HOME: "/x/state",
      XDG_CACHE_HOME: "/x/cache",
    };
    expect(resolveXdgPaths({ env, homeDirectory: "/home/u" })).toEqual({
      configDirectory: "/x/config/astros",
      dataDirectory: "/x/data/astros",
      stateDirectory: "/x/state/astros",
      cacheDirectory: "/x/cache/astros",
    });
  });

  it("ignores relative and empty XDG_*_HOME values, as the specification requires", () => {
    const paths = resolveXdgPaths({ env: { XDG_CONFIG_HOME: "relative/config", XDG_DATA_HOME: "" }, homeDirectory: "/home/u" });
    expect(paths.configDirectory).toBe("/home/u/.config/astros");
    expect(paths.dataDirectory).toBe("/home/u/.local/share/astros");
  });
});
