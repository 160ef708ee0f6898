import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/logging/logger.js";
import { PluginManager } from "./plugin-manager.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-plugins-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const pluginModule = (name: string, version = "1.0.0", intent = "greeting") => `
import { definePlugin, defineHandler } from "astros/sdk";
export default definePlugin({
  name: ${JSON.stringify(name)},
  version: ${JSON.stringify(version)},
  handlers: { greet: defineHandler({ intent: ${JSON.stringify(intent)}, run: () => ({ success: true, message: "hi from ${name}" }) }) },
});
`;

async function writePlugin(directory: string, files: Record<string, string>): Promise<string> {
  await mkdir(directory, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
    await writeFile(path.join(directory, file), content);
  }
  return directory;
}

const manifest = (name: string, extra = "") => `metadata:
  name: "${name}"
  version: "1.0.0"
  description: "test plugin ${name}"
  author: "tests"
${extra}`;

function manager(options: Partial<ConstructorParameters<typeof PluginManager>[0]> = {}) {
  return new PluginManager({
    hostVersion: "0.1.0",
    pluginPaths: [path.join(root, "plugins")],
    nodeModulesPaths: [],
    enabledPlugins: [],
    disabledPlugins: [],
    timeoutSeconds: 5,
    settings: {},
    logger: silentLogger,
    ...options,
  });
}

describe("plugin discovery and loading", () => {
  it("loads plugins from a plugin directory and reports a broken plugin.yaml by file and field, loading the rest", async () => {
    await writePlugin(path.join(root, "plugins", "good"), { "plugin.yaml": manifest("good"), "index.js": pluginModule("good") });
    await writePlugin(path.join(root, "plugins", "broken"), {
      "plugin.yaml": 'metadata:\n  name: "broken"\n  version: "one"\n',
      "index.js": pluginModule("broken"),
    });
    await writePlugin(path.join(root, "plugins", "also-good"), {
      "plugin.yaml": manifest("also-good"),
      "index.js": pluginModule("also-good"),
    });
    const plugins = manager();
    await plugins.discoverAndLoad();
    expect(plugins.registry.list().map((entry) => entry.runtime.metadata.name)).toEqual(["also-good", "good"]);
    expect(plugins.problems).toHaveLength(1);
    const message = plugins.problems[0]?.error.message ?? "";
    expect(message).toContain(path.join(root, "plugins", "broken", "plugin.yaml"));
    expect(message).toContain("metadata.version");
    expect(plugins.problems[0]?.error.details).toMatchObject({ field: "metadata.version" });
  });

  it("names the line of a YAML syntax error, a missing field and an unknown field", async () => {
    await writePlugin(path.join(root, "plugins", "syntax"), { "plugin.yaml": "metadata:\n  name: [unclosed\n" });
    await writePlugin(path.join(root, "plugins", "missing"), { "plugin.yaml": 'metadata:\n  version: "1.0.0"\n' });
    await writePlugin(path.join(root, "plugins", "typo"), {
      "plugin.yaml": `${manifest("typo")}capabilities:\n  requires_permision: []\n`,
    });
    const plugins = manager();
    await plugins.discoverAndLoad();
    const messages = plugins.problems.map((problem) => problem.error.message).sort();
    expect(messages).toHaveLength(3);
    expect(messages.find((message) => message.includes("syntax"))).toMatch(/invalid YAML at line \d+, column \d+/);
    expect(messages.find((message) => message.includes("missing"))).toMatch(/metadata\.name: is required/);
    expect(messages.find((message) => message.includes("typo"))).toMatch(/capabilities\.requires_permision: unknown field/);
  });

  it("finds npm packages that declare an astros field, scoped ones included", async () => {
    const nodeModules = path.join(root, "node_modules");
    await writePlugin(path.join(nodeModules, "astros-plugin-weather"), {
      "package.json": JSON.stringify({
        name: "astros-plugin-weather",
        version: "2.1.0",
        type: "module",
        main: "main.js",
        astros: { capabilities: { handles: ["weather"] } },
      }),
      "main.js": pluginModule("astros-plugin-weather", "2.1.0", "weather.forecast"),
    });
    await writePlugin(path.join(nodeModules, "@acme", "astros-notes"), {
      "package.json": JSON.stringify({
        name: "@acme/astros-notes",
        version: "1.0.0",
        type: "module",
        exports: { ".": { import: "./esm.js" } },
        astros: true,
      }),
      "esm.js": pluginModule("@acme/astros-notes", "1.0.0", "notes.remember"),
    });
    await writePlugin(path.join(nodeModules, "left-pad"), {
      "package.json": JSON.stringify({ name: "left-pad", version: "1.3.0" }),
    });
    const plugins = manager({ pluginPaths: [], nodeModulesPaths: [nodeModules] });
    await plugins.discoverAndLoad();
    expect(plugins.problems).toEqual([]);
    expect(plugins.status().map((plugin) => [plugin.name, plugin.version])).toEqual([
      ["@acme/astros-notes", "1.0.0"],
      ["astros-plugin-weather", "2.1.0"],
    ]);
  });

  it("honours enabled and disabled lists without importing disabled plugins", async () => {
    for (const name of ["alpha", "beta", "gamma"]) {
      await writePlugin(path.join(root, "plugins", name), { "plugin.yaml": manifest(name), "index.js": pluginModule(name) });
    }
    await writePlugin(path.join(root, "plugins", "delta"), {
      "plugin.yaml": manifest("delta"),
      "index.js": 'throw new Error("a disabled plugin must not be imported");',
    });
    const plugins = manager({ disabledPlugins: ["beta", "delta"] });
    await plugins.discoverAndLoad();
    expect(plugins.problems).toEqual([]);
    expect(plugins.status().map((plugin) => [plugin.name, plugin.status])).toEqual([
      ["alpha", "active"],
      ["beta", "disabled"],
      ["delta", "disabled"],
      ["gamma", "active"],
    ]);
    const only = manager({ enabledPlugins: ["gamma"] });
    await only.discoverAndLoad();
    expect(
      only
        .status()
        .filter((plugin) => plugin.status === "active")
        .map((plugin) => plugin.name),
    ).toEqual(["gamma"]);
  });

  it("refuses a plugin built for another AstrOS version, or whose module disagrees with its manifest", async () => {
    await writePlugin(path.join(root, "plugins", "future"), {
      "plugin.yaml": `${manifest("future")}dependencies:\n  astros: ">=2.0.0"\n`,
      "index.js": pluginModule("future"),
    });
    await writePlugin(path.join(root, "plugins", "liar"), {
      "plugin.yaml": manifest("liar"),
      "index.js": pluginModule("someone-else"),
    });
    await writePlugin(path.join(root, "plugins", "unbuilt"), { "plugin.yaml": `${manifest("unbuilt")}entry: dist/index.js\n` });
    await writePlugin(path.join(root, "plugins", "escape"), { "plugin.yaml": `${manifest("escape")}entry: ../good/index.js\n` });
    await writePlugin(path.join(root, "plugins", "empty-module"), {
      "plugin.yaml": manifest("empty-module"),
      "index.js": "export const nothing = 1;",
    });
    const plugins = manager();
    await plugins.discoverAndLoad();
    expect(plugins.registry.list()).toEqual([]);
    const byCode = Object.fromEntries(plugins.problems.map((problem) => [path.basename(problem.source), problem.error]));
    expect(byCode.future?.code).toBe("PLUGIN_INCOMPATIBLE");
    expect(byCode.future?.message).toContain("needs AstrOS >=2.0.0");
    expect(byCode.liar?.message).toContain('module\'s plugin is named "someone-else"');
    expect(byCode.unbuilt?.message).toContain("has the plugin been built?");
    expect(byCode.escape?.message).toContain("outside the plugin directory");
    expect(byCode["empty-module"]?.code).toBe("PLUGIN_INVALID");
  });

  it("treats a directory that itself has plugin.yaml as one plugin", async () => {
    const single = await writePlugin(path.join(root, "single"), {
      "plugin.yaml": manifest("single"),
      "index.js": pluginModule("single"),
    });
    const plugins = manager({ pluginPaths: [single] });
    await plugins.discoverAndLoad();
    expect(plugins.status().map((plugin) => plugin.name)).toEqual(["single"]);
  });

  it("merges manifest default settings with configured ones", async () => {
    await writePlugin(path.join(root, "plugins", "tuned"), {
      "plugin.yaml": `${manifest("tuned")}configuration:\n  settings:\n    depth: 2\n    colour: blue\n`,
      "index.js": pluginModule("tuned"),
    });
    const plugins = manager({ settings: { tuned: { depth: 5 } } });
    await plugins.discoverAndLoad();
    expect(plugins.settingsFor("tuned")).toEqual({ depth: 5, colour: "blue" });
  });
});
