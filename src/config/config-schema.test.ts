import { describe, expect, it } from "vitest";
import { configSchema } from "./config-schema.js";

describe("configSchema", () => {
  it("accepts an empty configuration and fills every default", () => {
    expect(configSchema.parse({})).toEqual({
      debug: false,
      log_level: "warn",
      log_format: "auto",
      database: { url: "", pool_size: 10, echo: false },
      ai: {
        provider: "builtin",
        model: "",
        base_url: "",
        max_tokens: 1024,
        temperature: 0.7,
        routing: "hybrid",
        hybrid_threshold: 0.85,
        max_steps: 10,
        timeout: 60,
        max_retries: 2,
        confirm_changes: true,
        context_tokens: 8000,
        embedding_model: "",
        pricing: {},
        providers: {},
      },
      plugins: {
        auto_load: true,
        plugin_paths: [],
        node_modules_paths: [],
        enabled_plugins: [],
        disabled_plugins: [],
        plugin_timeout: 30,
        settings: {},
      },
      safety: {
        allowed_roots: [],
        sensitive_paths: [],
        allow_sensitive: [],
        non_interactive: "deny",
        bulk_threshold: 100,
        command_timeout: 60,
        command_output_limit: 1_048_576,
        confined_network: false,
      },
      permissions: {
        defaults: ["file_system", "network", "system_control", "process", "shell", "notifications", "ai"],
        trusted_plugins: [],
      },
      credentials: { backend: "auto", key_file: "", file: "" },
      rate_limits: { requests_per_minute: 120, llm_requests_per_minute: 30, llm_tokens_per_minute: 200_000, store: "database" },
      server: {
        host: "127.0.0.1",
        port: 8000,
        allowed_origins: [],
        allowed_hosts: [],
        session_ttl: 43_200,
        login_attempts_per_minute: 10,
        body_limit: 1_048_576,
        max_message_bytes: 1_048_576,
        idle_timeout: 300,
        workspaces: "",
        token_key_file: "",
        trust_proxy: false,
      },
      audit: { max_file_bytes: 10_485_760, max_files: 10 },
    });
  });

  it("fills the defaults of a section that is only partly given", () => {
    const config = configSchema.parse({ database: { echo: true } });
    expect(config.database).toEqual({ url: "", pool_size: 10, echo: true });
  });

  it("reads log levels case-insensitively and stores them lower-case", () => {
    expect(configSchema.parse({ log_level: "INFO" }).log_level).toBe("info");
    expect(configSchema.safeParse({ log_level: "loud" }).success).toBe(false);
  });

  it("rejects unknown keys at every level", () => {
    expect(configSchema.safeParse({ colour: true }).success).toBe(false);
    expect(configSchema.safeParse({ database: { uri: "x" } }).success).toBe(false);
  });

  it("keeps numbers within their ranges", () => {
    expect(configSchema.safeParse({ database: { pool_size: 0 } }).success).toBe(false);
    expect(configSchema.safeParse({ database: { pool_size: 1001 } }).success).toBe(false);
    expect(configSchema.safeParse({ database: { pool_size: 2.5 } }).success).toBe(false);
    expect(configSchema.safeParse({ ai: { temperature: 2.5 } }).success).toBe(false);
    expect(configSchema.safeParse({ ai: { max_tokens: 0 } }).success).toBe(false);
    expect(configSchema.safeParse({ plugins: { plugin_timeout: 0 } }).success).toBe(false);
    expect(configSchema.safeParse({ plugins: { plugin_timeout: 0.5 } }).success).toBe(true);
  });

  it("requires a non-empty provider name and an http(s) base URL when one is set", () => {
    expect(configSchema.safeParse({ ai: { provider: "" } }).success).toBe(false);
    expect(configSchema.safeParse({ ai: { provider: "my-registered-provider" } }).success).toBe(true);
    expect(configSchema.safeParse({ ai: { base_url: "localhost:11434" } }).success).toBe(false);
    expect(configSchema.safeParse({ ai: { base_url: "http://localhost:11434/v1" } }).success).toBe(true);
  });

  it("counts rate limits in the database by default, and takes memory or a Redis URL instead", () => {
    const store = (value: unknown) => configSchema.safeParse({ rate_limits: { store: value } });
    expect(configSchema.parse({}).rate_limits.store).toBe("database");
    expect(store(" Memory ").data?.rate_limits.store).toBe("memory");
    expect(store("DATABASE").data?.rate_limits.store).toBe("database");
    expect(store("redis://:Pass@10.0.0.5:6379/2").data?.rate_limits.store).toBe("redis://:Pass@10.0.0.5:6379/2");
    expect(store("rediss://cache.example.com").success).toBe(true);
    for (const wrong of ["", "redis", "postgres://127.0.0.1/astros", "file"]) expect(store(wrong).success, wrong).toBe(false);
  });

  it("accepts free-form tables of settings per provider and per plugin", () => {
    const config = configSchema.parse({
      ai: { providers: { openai: { api_key: "k", organisation: "o" } } },
      plugins: { settings: { weather: { units: "metric", cities: ["Oslo"] } } },
    });
    expect(config.ai.providers.openai).toEqual({ api_key: "k", organisation: "o" });
    expect(config.plugins.settings.weather).toEqual({ units: "metric", cities: ["Oslo"] });
    expect(configSchema.safeParse({ plugins: { settings: { weather: 1 } } }).success).toBe(false);
  });
});
