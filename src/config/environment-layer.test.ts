import { describe, expect, it } from "vitest";
import { configSchema } from "./config-schema.js";
import { environmentVariableName, readEnvironmentLayer } from "./environment-layer.js";

describe("environmentVariableName", () => {
  it("joins the key path with underscores, upper-cased, after ASTROS_", () => {
    expect(environmentVariableName(["plugins", "plugin_timeout"])).toBe("ASTROS_PLUGINS_PLUGIN_TIMEOUT");
    expect(environmentVariableName(["log_level"])).toBe("ASTROS_LOG_LEVEL");
  });
});

describe("readEnvironmentLayer", () => {
  it("builds nested values of each key's kind from ASTROS_* variables", () => {
    const layer = readEnvironmentLayer({
      env: {
        ASTROS_DEBUG: "yes",
        ASTROS_DATABASE_POOL_SIZE: "5",
        ASTROS_AI_BASE_URL: "https://api.example.com/v1",
        ASTROS_PLUGINS_PLUGIN_PATHS: "/a,/b",
      },
      schema: configSchema,
    });
    expect(JSON.parse(JSON.stringify(layer?.values))).toEqual({
      debug: true,
      database: { pool_size: 5 },
      ai: { base_url: "https://api.example.com/v1" },
      plugins: { plugin_paths: ["/a", "/b"] },
    });
    expect(layer?.variables).toEqual([
      "ASTROS_DEBUG",
      "ASTROS_DATABASE_POOL_SIZE",
      "ASTROS_AI_BASE_URL",
      "ASTROS_PLUGINS_PLUGIN_PATHS",
    ]);
  });

  it("names the variable as the source of each value", () => {
    const layer = readEnvironmentLayer({ env: { ASTROS_PLUGINS_PLUGIN_TIMEOUT: "abc" }, schema: configSchema });
    expect(layer?.sourceOf(["plugins", "plugin_timeout"])).toEqual({
      kind: "environment",
      variable: "ASTROS_PLUGINS_PLUGIN_TIMEOUT",
    });
  });

  it("ignores ASTROS_CONFIG, unknown ASTROS_* variables, free-form tables and other variables", () => {
    const env = {
      ASTROS_CONFIG: "/x.toml",
      ASTROS_COLOUR: "red",
      ASTROS_AI_PROVIDERS: "x",
      ASTROS_AI_PROVIDERS_OPENAI_API_KEY: "k",
      HOME: "/home/u",
    };
    expect(readEnvironmentLayer({ env, schema: configSchema })).toBeUndefined();
  });
});
