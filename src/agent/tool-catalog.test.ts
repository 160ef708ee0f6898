import { describe, expect, it } from "vitest";
import { z } from "zod";
import { silentLogger } from "../core/logging/logger.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import { PluginManager } from "../plugins/plugin-manager.js";
import { buildToolCatalog } from "./tool-catalog.js";

function manager() {
  return new PluginManager({
    hostVersion: "0.1.0",
    pluginPaths: [],
    nodeModulesPaths: [],
    enabledPlugins: [],
    disabledPlugins: ["switched-off"],
    timeoutSeconds: 5,
    settings: {},
    logger: silentLogger,
  });
}

const weather = definePlugin({
  name: "weather",
  version: "1.0.0",
  handlers: {
    forecast: defineHandler({
      intent: "weather.forecast",
      description: "The forecast for a city",
      examples: ["weather in Paris", "will it rain in {city}"],
      readOnly: true,
      args: z.object({ city: z.string().describe("City name"), days: z.number().int().min(1).max(7).default(3) }),
      run: async () => ({ success: true, message: "sunny" }),
    }),
    free: defineHandler({ intent: "weather.anything", run: async () => ({ success: true, message: "?" }) }),
  },
});

describe("buildToolCatalog", () => {
  it("offers every enabled handler, a third-party plugin's too, under a wire name with its schema as JSON Schema", () => {
    const plugins = manager();
    plugins.register(weather);
    plugins.register(
      definePlugin({
        name: "switched-off",
        version: "1.0.0",
        handlers: { x: defineHandler({ intent: "off.x", run: async () => ({ success: true, message: "" }) }) },
      }),
    );
    const catalog = buildToolCatalog(plugins.registry);

    expect(catalog.definitions.map((tool) => tool.name)).toEqual(["weather_anything", "weather_forecast"]);
    const forecast = catalog.definitions.find((tool) => tool.name === "weather_forecast");
    expect(forecast?.description).toBe('The forecast for a city Read-only. Examples: "weather in Paris".');
    expect(forecast?.parameters).toEqual({
      type: "object",
      properties: {
        city: { type: "string", description: "City name" },
        days: { type: "integer", minimum: 1, maximum: 7, default: 3 },
      },
      required: ["city"],
    });
    expect(catalog.definitions.find((tool) => tool.name === "weather_anything")?.parameters).toMatchObject({ type: "object" });
    expect(catalog.resolve("weather_forecast")?.tool).toBe("weather.forecast");
    expect(catalog.resolve("off_x")).toBeUndefined();
    expect(catalog.resolve("weather.forecast")).toBeUndefined();
  });
});
