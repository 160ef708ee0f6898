import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configSchema } from "./config-schema.js";
import { environmentVariableName } from "./environment-layer.js";
import { knownKeysAt, listSchemaLeaves } from "./schema-shape.js";

describe("listSchemaLeaves", () => {
  it("lists every leaf of the configuration with its kind and skips free-form tables", () => {
    const leaves = listSchemaLeaves({ schema: configSchema }).map((leaf) => `${leaf.keyPath.join(".")}:${leaf.kind}`);
    expect(leaves).toEqual([
      "debug:boolean",
      "log_level:string",
      "log_format:string",
      "database.url:string",
      "database.pool_size:number",
      "database.echo:boolean",
      "ai.provider:string",
      "ai.model:string",
      "ai.base_url:string",
      "ai.max_tokens:number",
      "ai.temperature:number",
      "ai.routing:string",
      "ai.hybrid_threshold:number",
      "ai.max_steps:number",
      "ai.timeout:number",
      "ai.max_retries:number",
      "ai.confirm_changes:boolean",
      "ai.context_tokens:number",
      "ai.embedding_model:string",
      "plugins.auto_load:boolean",
      "plugins.plugin_paths:list",
      "plugins.node_modules_paths:list",
      "plugins.enabled_plugins:list",
      "plugins.disabled_plugins:list",
      "plugins.plugin_timeout:number",
      "safety.allowed_roots:list",
      "safety.sensitive_paths:list",
      "safety.allow_sensitive:list",
      "safety.non_interactive:string",
      "safety.bulk_threshold:number",
      "safety.command_timeout:number",
      "safety.command_output_limit:number",
      "safety.confined_network:boolean",
      "permissions.defaults:list",
      "permissions.trusted_plugins:list",
      "credentials.backend:string",
      "credentials.key_file:string",
      "credentials.file:string",
      "rate_limits.requests_per_minute:number",
      "rate_limits.llm_requests_per_minute:number",
      "rate_limits.llm_tokens_per_minute:number",
      "rate_limits.store:string",
      "server.host:string",
      "server.port:number",
      "server.allowed_origins:list",
      "server.allowed_hosts:list",
      "server.session_ttl:number",
      "server.login_attempts_per_minute:number",
      "server.body_limit:number",
      "server.max_message_bytes:number",
      "server.idle_timeout:number",
      "server.workspaces:string",
      "server.token_key_file:string",
      "server.trust_proxy:boolean",
      "audit.max_file_bytes:number",
      "audit.max_files:number",
    ]);
  });

  it("derives one distinct environment variable per leaf, none of them ASTROS_CONFIG", () => {
    const names = listSchemaLeaves({ schema: configSchema }).map((leaf) => environmentVariableName(leaf.keyPath));
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain("ASTROS_CONFIG");
    expect(names).toContain("ASTROS_PLUGINS_PLUGIN_TIMEOUT");
    expect(names).toContain("ASTROS_AI_BASE_URL");
  });

  it("follows a new section added to a schema without further changes", () => {
    const schema = z.strictObject({ server: z.strictObject({ port: z.number().default(1) }).prefault({}) });
    expect(listSchemaLeaves({ schema })).toEqual([{ keyPath: ["server", "port"], kind: "number" }]);
  });
});

describe("knownKeysAt", () => {
  it("names the keys allowed in a table", () => {
    expect(knownKeysAt({ schema: configSchema, keyPath: ["database"] })).toEqual(["url", "pool_size", "echo"]);
    expect(knownKeysAt({ schema: configSchema, keyPath: [] })).toContain("plugins");
  });

  it("knows nothing about free-form tables, values and inherited names", () => {
    expect(knownKeysAt({ schema: configSchema, keyPath: ["ai", "providers"] })).toBeUndefined();
    expect(knownKeysAt({ schema: configSchema, keyPath: ["debug"] })).toBeUndefined();
    expect(knownKeysAt({ schema: configSchema, keyPath: ["toString"] })).toBeUndefined();
  });
});
