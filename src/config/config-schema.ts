import * as z from "zod";

/** Log levels, most verbose first; `silent` turns logging off. */
export const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

export type LogLevel = (typeof logLevels)[number];

const lowerCaseStrings = (value: unknown): unknown => (typeof value === "string" ? value.toLowerCase() : value);

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** `database`, `memory`, or a `redis://` (`rediss://`) URL: where `rate_limits` counts. */
function isRateLimitStore(value: string): boolean {
  if (value === "database" || value === "memory") return true;
  try {
    const { protocol } = new URL(value);
    return protocol === "redis:" || protocol === "rediss:";
  } catch {
    return false;
  }
}

/** The words `database` and `memory` in any case; a URL stays as written (its password is case-sensitive). */
const lowerCaseWords = (value: unknown): unknown =>
  typeof value === "string" && /^\s*[a-z]+\s*$/i.test(value) ? value.trim().toLowerCase() : value;

/** A table of free-form settings (one provider's, one plugin's). */
const settingsTableSchema = z.record(z.string(), z.unknown());

const databaseSchema = z.strictObject({
  /** Empty means the default SQLite file in the data directory; the loader fills it in. */
  url: z.string().default(""),
  pool_size: z.number().int().min(1).max(1000).default(10),
  /** Log every SQL statement. */
  echo: z.boolean().default(false),
});

const aiSchema = z.strictObject({
  /** `builtin`, `openai`, `anthropic`, `local` or the name of a provider a plugin registers. */
  provider: z.string().min(1).default("builtin"),
  /** Empty means the provider's own default model. */
  model: z.string().default(""),
  /** Empty means the provider's own default endpoint. */
  base_url: z
    .string()
    .refine((value) => value === "" || isHttpUrl(value), { message: "expected an http:// or https:// URL" })
    .default(""),
  max_tokens: z.number().int().positive().default(1024),
  temperature: z.number().min(0).max(2).default(0.7),
  /**
   * Which engine answers when an LLM is configured: `hybrid` (the builtin engine when it is sure,
   * at least `hybrid_threshold`, the LLM otherwise), `llm` (always the LLM) or `builtin` (never the LLM).
   */
  routing: z.preprocess(lowerCaseStrings, z.enum(["hybrid", "llm", "builtin"])).default("hybrid"),
  /** The builtin engine's confidence (0..1) from which hybrid routing keeps a request offline. */
  hybrid_threshold: z.number().min(0).max(1).default(0.85),
  /** Model calls one request may make before AstrOS stops it (each answer or round of tool calls is one). */
  max_steps: z.number().int().min(1).max(100).default(10),
  /** Seconds one model call may take. */
  timeout: z.number().positive().default(60),
  /** Retries of a model call that failed with 429, 5xx or a network error (with backoff that honours Retry-After). */
  max_retries: z.number().int().min(0).max(10).default(2),
  /**
   * Ask before running a change an AI model proposed (anything but a read-only tool), as a plan from
   * the builtin engine is shown and approved; DANGEROUS actions are always asked about regardless.
   */
  confirm_changes: z.boolean().default(true),
  /** Tokens of earlier conversation sent with each request; older turns are summarised in a line each. */
  context_tokens: z.number().int().min(256).default(8000),
  /** Model for embeddings; empty means the provider's own default. */
  embedding_model: z.string().default(""),
  /** Model name -> price in USD per million tokens (`{ input = 0.15, output = 0.6 }`), for models AstrOS does not know. */
  pricing: z.record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0) })).default(() => ({})),
  /** Provider name -> that provider's settings (api_key, organisation, ...). */
  providers: z.record(z.string(), settingsTableSchema).default(() => ({})),
});

const pluginsSchema = z.strictObject({
  auto_load: z.boolean().default(true),
  /** Extra plugin directories; `~` is expanded by the loader. */
  plugin_paths: z.array(z.string()).default(() => []),
  /** Extra node_modules directories scanned for npm plugins; `~` is expanded by the loader. */
  node_modules_paths: z.array(z.string()).default(() => []),
  /** Empty means every discovered plugin. */
  enabled_plugins: z.array(z.string()).default(() => []),
  disabled_plugins: z.array(z.string()).default(() => []),
  /** Seconds a plugin may take to load, or to answer without reporting progress (long work that reports progress may take longer). */
  plugin_timeout: z.number().positive().default(30),
  /** Plugin name -> that plugin's settings. */
  settings: z.record(z.string(), settingsTableSchema).default(() => ({})),
});

const rateLimitsSchema = z.strictObject({
  /** Requests one user may make per minute, across every interface (0: no limit). */
  requests_per_minute: z.number().int().min(0).default(120),
  /** Calls to the LLM provider per user per minute (0: no limit). */
  llm_requests_per_minute: z.number().int().min(0).default(30),
  /** LLM tokens (prompt and completion) per user per minute (0: no limit). */
  llm_tokens_per_minute: z.number().int().min(0).default(200_000),
  /**
   * Where the counts live, so that every AstrOS process (one-shot CLI commands, server nodes, workers)
   * shares one limit per user: `database` (default) counts in the AstrOS database (`[database]`: the
   * SQLite file or PostgreSQL), a `redis://` URL in that Redis server, `memory` in each process alone.
   * A store that cannot be reached refuses requests; it never lets them through uncounted.
   */
  store: z
    .preprocess(
      lowerCaseWords,
      z.string().refine(isRateLimitStore, { message: 'expected "database", "memory" or a redis:// URL' }),
    )
    .default("database"),
});

const safetySchema = z.strictObject({
  /** Folders AstrOS may touch. Empty means your home folder and the system temp folder; `~` is expanded. */
  allowed_roots: z.array(z.string()).default(() => []),
  /** More paths denied inside the roots, besides keys, credentials and AstrOS's own data; `~` is expanded. */
  sensitive_paths: z.array(z.string()).default(() => []),
  /** Sensitive paths you allow anyway (exact paths or folders); `~` is expanded. */
  allow_sensitive: z.array(z.string()).default(() => []),
  /**
   * What happens to an action that needs confirmation when nobody can be asked (no terminal, a script):
   * `deny` (default) refuses it; `allow` runs DANGEROUS actions (never FORBIDDEN ones) and records that policy allowed them.
   */
  non_interactive: z.preprocess(lowerCaseStrings, z.enum(["deny", "allow"])).default("deny"),
  /** A file operation touching more files than this asks for confirmation first. */
  bulk_threshold: z.number().int().min(1).default(100),
  /** Longest a command run by a tool may take, in seconds. */
  command_timeout: z.number().positive().default(60),
  /** Most output kept from one command, in bytes; the rest is dropped and reported. */
  command_output_limit: z.number().int().min(1024).default(1_048_576),
  /**
   * Give confined users' (server users') sandboxed commands the machine's network. Off by default: with it,
   * their commands reach every service listening on this machine (127.0.0.1 included), such as a database.
   */
  confined_network: z.boolean().default(false),
});

const permissionsSchema = z.strictObject({
  /** Permissions every user has unless revoked (`astros permissions revoke`). */
  defaults: z
    .array(z.string())
    .default(() => ["file_system", "network", "system_control", "process", "shell", "notifications", "ai"]),
  /** Plugins trusted with the permissions they declare, without asking on first use. AstrOS's own plugins always are. */
  trusted_plugins: z.array(z.string()).default(() => []),
});

const credentialsSchema = z.strictObject({
  /**
   * Where the master secret of the encrypted credential store comes from: `auto` (the OS keyring if one answers,
   * else ASTROS_CREDENTIALS_PASSPHRASE, else a key file), `keyring`, `passphrase` or `key_file`.
   */
  backend: z.preprocess(lowerCaseStrings, z.enum(["auto", "keyring", "passphrase", "key_file"])).default("auto"),
  /** The key file used by `key_file` (and `auto` without keyring or passphrase). Empty: `credentials.key` in the config folder. */
  key_file: z.string().default(""),
  /** The encrypted store. Empty: `credentials.enc` in the data folder. */
  file: z.string().default(""),
});

const serverSchema = z.strictObject({
  /** Address `astros serve` listens on (127.0.0.1: this machine only). */
  host: z.string().min(1).default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8000),
  /**
   * Web pages (origins such as "https://dash.example.com") allowed to open WebSockets and call the
   * API from a browser. Empty: only pages served by this server itself; programs send no Origin.
   */
  allowed_origins: z.array(z.string()).default(() => []),
  /**
   * Names this server answers to (the Host header: "astros.example.com", "10.0.0.5:8000"). Besides these,
   * always: the listening address, localhost, 127.0.0.1, [::1] and this machine's hostname. Any other Host
   * (a DNS-rebinding page) is refused with 421 before anything else.
   */
  allowed_hosts: z.array(z.string()).default(() => []),
  /** Seconds a login stays valid. */
  session_ttl: z.number().int().min(60).default(43_200),
  /** Failed logins allowed per minute, per address and per user name. */
  login_attempts_per_minute: z.number().int().min(1).default(10),
  /** Largest request body, in bytes. */
  body_limit: z.number().int().min(1024).default(1_048_576),
  /** Largest WebSocket message, in bytes. */
  max_message_bytes: z.number().int().min(1024).default(1_048_576),
  /** Seconds a WebSocket may stay silent (no message, no pong) before it is closed. */
  idle_timeout: z.number().positive().default(300),
  /** Where agent sessions' workspaces go. Empty: `workspaces` in the data folder. */
  workspaces: z.string().default(""),
  /** The file holding the key that signs login tokens. Empty: `server-token.key` in the config folder. */
  token_key_file: z.string().default(""),
  /** Trust X-Forwarded-For from a reverse proxy in front of the server. */
  trust_proxy: z.boolean().default(false),
});

const auditSchema = z.strictObject({
  /** Size in bytes at which the audit log file is rotated (`audit.log` becomes `audit.log.<first entry>`). */
  max_file_bytes: z
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Audit log files kept, the one being written included; the oldest are removed past this. The hash chain runs across them. */
  max_files: z.number().int().min(2).max(1000).default(10),
});

/**
 * The AstrOS configuration, the single source of truth for its shape: keys are the snake_case
 * keys of `config.toml`, unknown keys are errors, and every key has a default so an empty file is valid.
 * The environment variable mapping (`ASTROS_*`) is derived from this schema.
 */
export const configSchema = z.strictObject({
  debug: z.boolean().default(false),
  /** Case-insensitive on input, stored lower-case. */
  log_level: z.preprocess(lowerCaseStrings, z.enum(logLevels)).default("warn"),
  /** How log lines look on standard error: `text` for people, `json` for log collectors, `auto`: text on a terminal, else JSON. */
  log_format: z.preprocess(lowerCaseStrings, z.enum(["auto", "text", "json"])).default("auto"),
  database: databaseSchema.prefault({}),
  ai: aiSchema.prefault({}),
  plugins: pluginsSchema.prefault({}),
  safety: safetySchema.prefault({}),
  permissions: permissionsSchema.prefault({}),
  credentials: credentialsSchema.prefault({}),
  rate_limits: rateLimitsSchema.prefault({}),
  server: serverSchema.prefault({}),
  audit: auditSchema.prefault({}),
});

/** The validated configuration with every default applied. */
export type ServerConfig = z.output<typeof serverSchema>;

export type AstrOSConfig = z.output<typeof configSchema>;

/** What a configuration file or override may contain before validation and defaults. */
export type AstrOSConfigInput = z.input<typeof configSchema>;

export type DatabaseConfig = AstrOSConfig["database"];
export type AIConfig = AstrOSConfig["ai"];
export type PluginsConfig = AstrOSConfig["plugins"];
export type SafetyConfig = AstrOSConfig["safety"];
export type PermissionsConfig = AstrOSConfig["permissions"];
export type CredentialsConfig = AstrOSConfig["credentials"];
export type RateLimitsConfig = AstrOSConfig["rate_limits"];
export type AuditConfig = AstrOSConfig["audit"];
