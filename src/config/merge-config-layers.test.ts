import { describe, expect, it } from "vitest";
import type { ConfigSource } from "./config-source.js";
import { type ConfigLayer, mergeConfigLayers } from "./merge-config-layers.js";

const fileLayer = (filePath: string, values: Record<string, unknown>): ConfigLayer => {
  const source: ConfigSource = { kind: "file", filePath };
  return { values, sourceOf: () => source };
};

describe("mergeConfigLayers", () => {
  it("merges tables key by key, later layers winning", () => {
    const merged = mergeConfigLayers({
      layers: [fileLayer("/a", { debug: true, database: { url: "a", echo: true } }), fileLayer("/b", { database: { url: "b" } })],
    });
    expect({ ...merged.values, database: { ...(merged.values.database as object) } }).toEqual({
      debug: true,
      database: { url: "b", echo: true },
    });
  });

  it("replaces lists instead of concatenating them", () => {
    const merged = mergeConfigLayers({
      layers: [fileLayer("/a", { plugin_paths: ["/one", "/two"] }), fileLayer("/b", { plugin_paths: ["/three"] })],
    });
    expect(merged.values.plugin_paths).toEqual(["/three"]);
  });

  it("skips undefined values so unset overrides change nothing", () => {
    const merged = mergeConfigLayers({ layers: [fileLayer("/a", { debug: true }), fileLayer("/b", { debug: undefined })] });
    expect(merged.values.debug).toBe(true);
  });

  it("never modifies the layers it merges", () => {
    const first = { database: { url: "a" }, list: ["x"] };
    const merged = mergeConfigLayers({ layers: [fileLayer("/a", first), fileLayer("/b", { database: { url: "b" } })] });
    (merged.values.list as string[]).push("y");
    expect(first).toEqual({ database: { url: "a" }, list: ["x"] });
  });

  it("remembers which layer last set each key, and the nearest set ancestor for deeper paths", () => {
    const merged = mergeConfigLayers({
      layers: [fileLayer("/a", { database: { url: "a", echo: true }, list: ["x"] }), fileLayer("/b", { database: { url: "b" } })],
    });
    expect(merged.sourceAt(["database", "url"])).toEqual({ kind: "file", filePath: "/b" });
    expect(merged.sourceAt(["database", "echo"])).toEqual({ kind: "file", filePath: "/a" });
    expect(merged.sourceAt(["list", 0])).toEqual({ kind: "file", filePath: "/a" });
    expect(merged.sourceAt(["never", "set"])).toEqual({ kind: "defaults" });
  });

  it("stores a __proto__ key as a plain key instead of changing the prototype", () => {
    const values = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = mergeConfigLayers({ layers: [fileLayer("/a", values)] });
    expect(Object.keys(merged.values)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
