import { describe, expect, it } from "vitest";
import { findClosestKey } from "./closest-key.js";

const knownKeys = ["auto_load", "plugin_paths", "plugin_timeout", "settings"];

describe("findClosestKey", () => {
  it("suggests the known key one or two edits away", () => {
    expect(findClosestKey({ key: "plugin_timout", knownKeys })).toBe("plugin_timeout");
    expect(findClosestKey({ key: "setings", knownKeys })).toBe("settings");
    expect(findClosestKey({ key: "autoload", knownKeys })).toBe("auto_load");
  });

  it("counts a swap of neighbouring letters as one edit", () => {
    expect(findClosestKey({ key: "stetnigs", knownKeys })).toBe("settings");
  });

  it("ignores case when comparing", () => {
    expect(findClosestKey({ key: "Plugin_Paths", knownKeys })).toBe("plugin_paths");
  });

  it("suggests nothing when no key is close", () => {
    expect(findClosestKey({ key: "colour", knownKeys })).toBeUndefined();
    expect(findClosestKey({ key: "anything", knownKeys: [] })).toBeUndefined();
  });
});
