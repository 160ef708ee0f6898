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
  /** Seconds a plugin may take to load or answer. */
  plugin_timeout: z.number().positive().default(30),
  /** Plugin name -> that plugin's settings. */
  settings: z.record(z.string(), settingsTableSchema).default(() => ({})),
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
  database: databaseSchema.prefault({}),
  ai: aiSchema.prefault({}),
  plugins: pluginsSchema.prefault({}),
});

/** The validated configuration with every default applied. */
export type AstrOSConfig = z.output<typeof configSchema>;

/** What a configuration file or override may contain before validation and defaults. */
export type AstrOSConfigInput = z.input<typeof configSchema>;

export type DatabaseConfig = AstrOSConfig["database"];
export type AIConfig = AstrOSConfig["ai"];
export type PluginsConfig = AstrOSConfig["plugins"];
