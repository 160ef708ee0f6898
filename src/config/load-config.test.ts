import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../core/errors/config-error.js";
import { type LoadConfigOptions, loadConfig } from "./load-config.js";

let root: string;
let home: string;
let systemConfigPath: string;
let userConfigPath: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-config-"));
  home = path.join(root, "home");
  systemConfigPath = path.join(root, "etc", "astros", "config.toml");
  userConfigPath = path.join(home, ".config", "astros", "config.toml");
  await mkdir(home, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeText(filePath: string, text: string): Promise<string> {
  await mkdir(path.dirname(filePath), { recursive: true });
  await writeFile(filePath, text);
  return filePath;
}

/** Load with everything pointing into the temporary directory: never the real /etc, ~ or process.env. */
function load(options: LoadConfigOptions = {}) {
  return loadConfig({ homeDirectory: home, systemConfigPath, env: {}, ...options });
}

async function loadError(options: LoadConfigOptions = {}): Promise<ConfigError> {
  try {
    await load(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected loadConfig to fail");
}

describe("loadConfig layering", () => {
  it("uses the defaults when no file or variable exists", async () => {
    const { config, sources, paths } = await load();
    expect(sources).toEqual([]);
    expect(paths.configDirectory).toBe(path.join(home, ".config", "astros"));
    expect(config.log_level).toBe("warn");
    expect(config.plugins.plugin_timeout).toBe(30);
    expect(config.database.url).toBe(`sqlite://${path.join(home, ".local", "share", "astros", "astros.db")}`);
  });

  it("reads the user file from the XDG config directory by default", async () => {
    const xdgConfig = path.join(root, "xdg-config");
    const filePath = await writeText(path.join(xdgConfig, "astros", "config.toml"), "debug = true\n");
    const { config, sources } = await load({ env: { XDG_CONFIG_HOME: xdgConfig } });
    expect(config.debug).toBe(true);
    expect(sources).toEqual([filePath]);
  });

  it("applies system file, user file, ASTROS_CONFIG file, ASTROS_* variables and overrides in that order", async () => {
    await writeText(
      systemConfigPath,
      'debug = true\nlog_level = "info"\n[ai]\nmodel = "system"\n[database]\npool_size = 2\n[plugins]\nplugin_timeout = 1\n',
    );
    await writeText(userConfigPath, 'log_level = "error"\n[ai]\nmodel = "user"\n[database]\npool_size = 3\n');
    const namedPath = await writeText(path.join(root, "named.toml"), '[ai]\nmodel = "named"\n[database]\npool_size = 4\n');
    const { config, sources } = await load({
      env: { ASTROS_CONFIG: namedPath, ASTROS_DATABASE_POOL_SIZE: "5", ASTROS_PLUGINS_PLUGIN_TIMEOUT: "7" },
      overrides: { database: { pool_size: 6 } },
    });
    expect(config.debug).toBe(true);
    expect(config.log_level).toBe("error");
    expect(config.ai.model).toBe("named");
    expect(config.plugins.plugin_timeout).toBe(7);
    expect(config.database.pool_size).toBe(6);
    expect(sources).toEqual([systemConfigPath, userConfigPath, namedPath, "environment"]);
  });

  it("merges tables across layers and replaces lists", async () => {
    await writeText(
      systemConfigPath,
      '[database]\nurl = "postgres://db/astros"\necho = true\n[plugins]\nenabled_plugins = ["a", "b"]\n[ai.providers.openai]\nmodel = "gpt"\n',
    );
    await writeText(
      userConfigPath,
      '[database]\necho = false\n[plugins]\nenabled_plugins = ["c"]\n[ai.providers.openai]\napi_key = "k"\n',
    );
    const { config } = await load({ userConfigPath });
    expect(config.database).toMatchObject({ url: "postgres://db/astros", echo: false, pool_size: 10 });
    expect(config.plugins.enabled_plugins).toEqual(["c"]);
    expect(config.ai.providers.openai).toEqual({ model: "gpt", api_key: "k" });
  });

  it("accepts an empty file", async () => {
    await writeText(userConfigPath, "");
    const { config, sources } = await load();
    expect(config.debug).toBe(false);
    expect(sources).toEqual([userConfigPath]);
  });

  it("skips undefined overrides", async () => {
    await writeText(userConfigPath, "debug = true\n");
    const { config, sources } = await load({ overrides: { debug: undefined, log_level: "debug" } });
    expect(config.debug).toBe(true);
    expect(config.log_level).toBe("debug");
    expect(sources).toEqual([userConfigPath]);
  });
});

describe("loadConfig environment variables", () => {
  it("coerces each variable to its key's type", async () => {
    const { config, sources } = await load({
      env: {
        ASTROS_DEBUG: "1",
        ASTROS_LOG_LEVEL: "INFO",
        ASTROS_DATABASE_URL: "postgres://db.local/astros",
        ASTROS_DATABASE_POOL_SIZE: "20",
        ASTROS_DATABASE_ECHO: "yes",
        ASTROS_AI_PROVIDER: "anthropic",
        ASTROS_AI_BASE_URL: "https://api.example.com/v1",
        ASTROS_AI_TEMPERATURE: "0.2",
        ASTROS_PLUGINS_AUTO_LOAD: "no",
        ASTROS_PLUGINS_ENABLED_PLUGINS: '["a", "b"]',
        ASTROS_PLUGINS_DISABLED_PLUGINS: "c, d",
        ASTROS_PLUGINS_PLUGIN_TIMEOUT: "2.5",
      },
    });
    expect(config).toMatchObject({
      debug: true,
      log_level: "info",
      database: { url: "postgres://db.local/astros", pool_size: 20, echo: true },
      ai: { provider: "anthropic", base_url: "https://api.example.com/v1", temperature: 0.2 },
      plugins: { auto_load: false, enabled_plugins: ["a", "b"], disabled_plugins: ["c", "d"], plugin_timeout: 2.5 },
    });
    expect(sources).toEqual(["environment"]);
  });

  it("ignores unknown ASTROS_* variables and does not list the environment when none applied", async () => {
    const { sources } = await load({ env: { ASTROS_COLOUR: "red", ASTROS_AI_PROVIDERS_OPENAI_API_KEY: "k" } });
    expect(sources).toEqual([]);
  });

  it("reads the file named by ASTROS_CONFIG, expanding ~", async () => {
    const namedPath = await writeText(path.join(home, "custom.toml"), 'log_level = "trace"\n');
    const { config, sources } = await load({ env: { ASTROS_CONFIG: "~/custom.toml" } });
    expect(config.log_level).toBe("trace");
    expect(sources).toEqual([namedPath]);
  });

  it("fails when the file named by ASTROS_CONFIG does not exist", async () => {
    const missing = path.join(root, "missing.toml");
    const error = await loadError({ env: { ASTROS_CONFIG: missing } });
    expect(error.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(error.message).toContain(missing);
    expect(error.message).toContain("ASTROS_CONFIG");
    expect(error.details).toEqual({ source: missing });
  });
});

describe("loadConfig paths", () => {
  it("puts the default database under XDG_DATA_HOME", async () => {
    const dataHome = path.join(root, "data");
    const { config, paths } = await load({ env: { XDG_DATA_HOME: dataHome } });
    expect(paths.dataDirectory).toBe(path.join(dataHome, "astros"));
    expect(config.database.url).toBe(`sqlite://${path.join(dataHome, "astros", "astros.db")}`);
  });

  it("expands ~ in plugin directories and in a sqlite database path", async () => {
    await writeText(
      userConfigPath,
      '[database]\nurl = "sqlite://~/db/astros.db"\n[plugins]\nplugin_paths = ["~/plugins", "/opt/plugins", "~"]\nnode_modules_paths = ["~/lib/node_modules"]\n',
    );
    const { config } = await load();
    expect(config.database.url).toBe(`sqlite://${path.join(home, "db", "astros.db")}`);
    expect(config.plugins.plugin_paths).toEqual([path.join(home, "plugins"), "/opt/plugins", home]);
    expect(config.plugins.node_modules_paths).toEqual([path.join(home, "lib", "node_modules")]);
  });

  it("leaves other database URLs as written", async () => {
    const { config } = await load({ env: { ASTROS_DATABASE_URL: "postgres://~/not-a-path" } });
    expect(config.database.url).toBe("postgres://~/not-a-path");
  });
});

describe("loadConfig errors", () => {
  it("names the file, line and column of a TOML syntax error", async () => {
    await writeText(userConfigPath, 'debug = true\nlog_level = = "info"\n');
    const error = await loadError();
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(userConfigPath);
    expect(error.message).toMatch(/line 2, column \d+/);
    expect(error.details).toMatchObject({ source: userConfigPath, line: 2 });
    expect(error.recovery).toContain(userConfigPath);
  });

  it("names the file and key of an invalid value", async () => {
    await writeText(userConfigPath, '[plugins]\nplugin_timeout = "abc"\n');
    const error = await loadError();
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe(
      `Invalid configuration in ${userConfigPath}: plugins.plugin_timeout: expected a number, got "abc"`,
    );
    expect(error.details).toMatchObject({ source: userConfigPath, key: "plugins.plugin_timeout" });
    expect(error.recovery).toContain(userConfigPath);
  });

  it("names the environment variable of an invalid value set through the environment", async () => {
    const error = await loadError({ env: { ASTROS_PLUGINS_PLUGIN_TIMEOUT: "abc" } });
    expect(error.message).toBe(
      'Invalid configuration in environment variable ASTROS_PLUGINS_PLUGIN_TIMEOUT: plugins.plugin_timeout: expected a number, got "abc"',
    );
    expect(error.details).toMatchObject({ source: "ASTROS_PLUGINS_PLUGIN_TIMEOUT", key: "plugins.plugin_timeout" });
    expect(error.recovery).toContain("ASTROS_PLUGINS_PLUGIN_TIMEOUT");
  });

  it("blames the layer that last set the key, not a later one that set its neighbours", async () => {
    await writeText(systemConfigPath, "[database]\npool_size = 5000\n");
    await writeText(userConfigPath, "[database]\necho = true\n");
    const error = await loadError();
    expect(error.message).toBe(
      `Invalid configuration in ${systemConfigPath}: database.pool_size: must be at most 1000, got 5000`,
    );
  });

  it("names rate_limits.store and the accepted forms for an unknown store, without a URL's password", async () => {
    const error = await loadError({ env: { ASTROS_RATE_LIMITS_STORE: "memcached://user:Secret@10.0.0.5" } });
    expect(error.message).toContain(
      'ASTROS_RATE_LIMITS_STORE: rate_limits.store: expected "database", "memory" or a redis:// URL',
    );
    expect(error.message).toContain('got "memcached://user:***@10.0.0.5"');
    expect(error.message).not.toContain("Secret");
  });

  it("names overrides as the source of an invalid override", async () => {
    const error = await loadError({ overrides: { ai: { temperature: -1 } } });
    expect(error.message).toBe("Invalid configuration in overrides: ai.temperature: must be at least 0, got -1");
  });

  it("lists the allowed log levels", async () => {
    const error = await loadError({ env: { ASTROS_LOG_LEVEL: "LOUD" } });
    expect(error.message).toContain(
      'log_level: expected one of "trace", "debug", "info", "warn", "error", "fatal", "silent", got "LOUD"',
    );
  });

  it("says an integer is expected for a fractional pool size", async () => {
    await writeText(userConfigPath, "[database]\npool_size = 2.5\n");
    expect((await loadError()).message).toContain("database.pool_size: expected an integer, got 2.5");
  });

  it("names an unknown key and suggests the close known one", async () => {
    await writeText(userConfigPath, "[plugins]\nplugin_timout = 5\n");
    const error = await loadError();
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe(
      `Invalid configuration in ${userConfigPath}: plugins.plugin_timout: unknown key; did you mean "plugin_timeout"?`,
    );
    expect(error.details).toMatchObject({ source: userConfigPath, key: "plugins.plugin_timout" });
  });

  it("suggests a known section for a misspelt one, even when it is empty", async () => {
    await writeText(userConfigPath, "[databse]\n");
    expect((await loadError()).message).toContain('databse: unknown key; did you mean "database"?');
  });

  it("suggests nothing when no known key is close", async () => {
    await writeText(userConfigPath, 'colour = "blue"\n');
    const error = await loadError();
    expect(error.message).toBe(`Invalid configuration in ${userConfigPath}: colour: unknown key`);
  });

  it("reports every problem in one error, one per line", async () => {
    await writeText(userConfigPath, '[plugins]\nplugin_timeout = "abc"\nautoload = true\n');
    const error = await loadError({ env: { ASTROS_DEBUG: "maybe" } });
    expect(error.message.split("\n")).toEqual([
      "Invalid configuration (3 problems):",
      '  in environment variable ASTROS_DEBUG: debug: expected a boolean (true or false), got "maybe"',
      `  in ${userConfigPath}: plugins.plugin_timeout: expected a number, got "abc"`,
      `  in ${userConfigPath}: plugins.autoload: unknown key; did you mean "auto_load"?`,
    ]);
    expect(error.details).toMatchObject({ source: "ASTROS_DEBUG", key: "debug" });
    expect(error.details.problems).toHaveLength(3);
  });

  it("reports a directory in place of a configuration file as unreadable", async () => {
    await mkdir(userConfigPath, { recursive: true });
    const error = await loadError();
    expect(error.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(error.message).toBe(`Cannot read configuration file ${userConfigPath}: it is a directory`);
    expect(error.details).toEqual({ source: userConfigPath });
  });

  it("reports a file it may not read as unreadable", async () => {
    const denied = Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
    const error = await loadError({
      readTextFile: async (filePath) => {
        if (filePath === systemConfigPath) throw denied;
        throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      },
    });
    expect(error.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(error.message).toBe(`Cannot read configuration file ${systemConfigPath}: permission denied`);
    expect(error.cause).toBe(denied);
  });
});
