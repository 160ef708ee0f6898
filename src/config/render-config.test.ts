import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { configSchema } from "./config-schema.js";
import { renderConfigToml } from "./render-config.js";

describe("renderConfigToml", () => {
  it("renders TOML that reads back as the same configuration", () => {
    const config = configSchema.parse({
      log_level: "debug",
      database: { url: "sqlite:///var/lib/astros/astros.db" },
      plugins: { plugin_paths: ["/opt/plugins"], settings: { weather: { units: "metric" } } },
    });
    const text = renderConfigToml(config);
    expect(configSchema.parse(parse(text))).toEqual(config);
    expect(text).toContain('log_level = "debug"');
    expect(text).toContain("[plugins.settings.weather]");
  });

  it("hides API keys, passwords, tokens, secrets and URL passwords", () => {
    const config = configSchema.parse({
      database: { url: "postgres://astros:hunter2@db/astros" },
      ai: { providers: { openai: { api_key: "sk-live-123" } } },
      plugins: { settings: { mail: { password: "p4ss", auth_token: "t0k", client_secret: "s3c" } } },
    });
    const text = renderConfigToml(config);
    for (const secret of ["hunter2", "sk-live-123", "p4ss", "t0k", "s3c"]) expect(text).not.toContain(secret);
    expect(text).toContain('api_key = "***"');
    expect(text).toContain('url = "postgres://astros:***@db/astros"');
    expect(text).toContain("max_tokens = 1024");
  });
});
