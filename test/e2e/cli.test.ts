import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliSandbox, createCliSandbox, repositoryRoot, runCli } from "./run-cli.js";

let sandbox: CliSandbox;
beforeEach(async () => {
  sandbox = await createCliSandbox();
});
afterEach(async () => {
  await sandbox.dispose();
});

describe("astros CLI", () => {
  it("prints its version", async () => {
    const packageJson = JSON.parse(await readFile(path.join(repositoryRoot, "package.json"), "utf8")) as { version: string };
    const result = await sandbox.run(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it("answers a greeting through the hello-world plugin and stores data in the XDG data folder", async () => {
    const first = await sandbox.run(["hello"]);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.stdout).toContain("Hello, tester! Welcome to AstrOS!");
    expect(first.code).toBe(0);
    const database = await stat(path.join(sandbox.dataDirectory, "astros.db"));
    expect(database.isFile()).toBe(true);
    const second = await sandbox.run(["hello"]);
    expect(second.stdout).toContain("Hello again, tester!");
  });

  it("prints the Response as JSON with --json", async () => {
    const result = await sandbox.run(["--json", "hello"]);
    expect(result.code).toBe(0);
    const response = JSON.parse(result.stdout);
    expect(response).toMatchObject({
      success: true,
      message: "Hello, tester! Welcome to AstrOS!",
      data: { greeting: "hello", userName: "tester" },
      requiresFollowup: false,
      metadata: { intent: "greeting", plugin: "hello-world", handler: "sayHello" },
    });
    expect(Array.isArray(response.suggestions)).toBe(true);
  });

  it("prints the SystemStatus fields with status --json", async () => {
    const result = await sandbox.run(["status", "--json"]);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status).toMatchObject({ status: "running", activeSessions: 0 });
    for (const field of ["uptime", "pluginsLoaded", "activeSessions", "memoryUsage", "cpuUsage"]) {
      expect(typeof status[field], field).toBe("number");
    }
    expect(status.pluginsLoaded).toBeGreaterThanOrEqual(2);
    expect(status.storage).toContain(path.join(sandbox.dataDirectory, "astros.db"));
  });

  it("lists plugins, and a broken plugin.yaml is named by file and field while the others still load", async () => {
    const extra = path.join(sandbox.home, "my-plugins");
    await mkdir(path.join(extra, "broken"), { recursive: true });
    await writeFile(path.join(extra, "broken", "plugin.yaml"), 'metadata:\n  name: "broken"\n  version: 7\n');
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), `[plugins]\nplugin_paths = ["~/my-plugins"]\n`);
    const listed = await sandbox.run(["plugins"]);
    expect(listed.code).toBe(1);
    expect(listed.stdout).toMatch(/hello-world\s+1\.0\.0\s+active/);
    expect(listed.stderr).toContain(path.join(extra, "broken", "plugin.yaml"));
    expect(listed.stderr).toContain("metadata.version");
    const hello = await sandbox.run(["hello"]);
    expect(hello.code).toBe(0);
    expect(hello.stdout).toContain("Hello, tester!");
    const json = JSON.parse((await sandbox.run(["plugins", "--json"])).stdout);
    const names = json.plugins.map((plugin: { name: string }) => plugin.name);
    expect(names).toEqual(expect.arrayContaining(["core", "files", "shell", "hello-world"]));
    expect(names).not.toContain("broken");
    expect(json.problems[0].message).toContain("metadata.version");
  });

  it("loads a user's plugin from a folder outside AstrOS, resolving astros/sdk to the running AstrOS", async () => {
    const pluginDirectory = path.join(sandbox.home, "my-plugins", "sheep");
    await mkdir(pluginDirectory, { recursive: true });
    await writeFile(
      path.join(pluginDirectory, "plugin.yaml"),
      'metadata:\n  name: "sheep"\n  version: "1.0.0"\n  description: "counts sheep"\n  author: "tests"\n',
    );
    await writeFile(
      path.join(pluginDirectory, "index.js"),
      `import { definePlugin, defineHandler, z } from "astros/sdk";
export default definePlugin({
  name: "sheep",
  version: "1.0.0",
  handlers: {
    count: defineHandler({
      intent: "sheep.count",
      examples: ["count the sheep"],
      args: z.object({ start: z.number().default(1) }),
      run: async ({ start }, context) => {
        const total = ((await context.storage.get("total")) ?? 0) + start;
        await context.storage.set("total", total);
        return { success: true, message: "sheep: " + total };
      },
    }),
  },
});
`,
    );
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), `[plugins]\nplugin_paths = ["~/my-plugins"]\n`);
    const first = await sandbox.run(["count the sheep"]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("sheep: 1");
    expect((await sandbox.run(["Count the sheep!"])).stdout).toContain("sheep: 2");
  });

  it("explains an unknown request and exits 1", async () => {
    const result = await sandbox.run(["organize a party for saturday"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not sure what you mean");
    expect(result.stderr).toContain("help");
  });

  it("says a request needing the internet cannot be done offline, changes nothing and exits 1", async () => {
    const result = await sandbox.run(["book me a flight to Lisbon"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("needs the internet");
    expect(result.stderr).toContain("changed nothing");
  });

  it("reports a bad config value by file and key and exits 78", async () => {
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), `[plugins]\nplugin_timeout = "soon"\n`);
    const result = await sandbox.run(["hello"]);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(path.join(sandbox.configDirectory, "config.toml"));
    expect(result.stderr).toContain("plugins.plugin_timeout");
  });

  it("takes one request per line on standard input when it is not a terminal", async () => {
    const result = await sandbox.run([], { input: "hello\nwho are you\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Hello, tester!");
    expect(result.stdout).toContain("I'm AstrOS");
  });

  it("validates a plugin folder", async () => {
    const good = await sandbox.run(["plugin", "validate", path.join(repositoryRoot, "plugins", "hello-world")]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("hello-world 1.0.0: 2 handler(s)");
    const brokenDirectory = path.join(sandbox.home, "broken");
    await mkdir(brokenDirectory);
    await writeFile(path.join(brokenDirectory, "plugin.yaml"), "metadata:\n  name: Broken Name\n  version: 1.0.0\n");
    const bad = await sandbox.run(["plugin", "validate", brokenDirectory]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("metadata.name");
  });

  it("records requests in a hash-chained audit log that `astros audit verify` checks", async () => {
    await sandbox.run(["hello"]);
    const shown = await sandbox.run(["audit", "--json"]);
    const entries = shown.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries.map((entry: { type: string }) => entry.type)).toContain("request-received");
    expect(entries.at(-1)).toMatchObject({ type: "request-completed", outcome: "success", userId: "tester" });
    expect((await sandbox.run(["audit", "verify"])).code).toBe(0);
    const file = path.join(sandbox.home, ".local", "state", "astros", "audit.log");
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    await writeFile(file, `${[lines[0], ...lines.slice(2)].join("\n")}\n`);
    const tampered = await sandbox.run(["audit", "verify"]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain("tampered");
  });

  it("judges shell commands with astros guard", async () => {
    expect((await sandbox.run(["guard", "ls -la"])).code).toBe(0);
    const forbidden = await sandbox.run(["guard", "--json", "sudo r\\m -rf /"]);
    expect(forbidden.code).toBe(4);
    expect(JSON.parse(forbidden.stdout)).toMatchObject({ level: "FORBIDDEN" });
    const lines = await sandbox.run(["guard", "--jsonl"], {
      input: '{"id":"a","command":"curl x | sh"}\n{"id":"b","command":"echo \\"rm -rf /\\""}\n',
    });
    expect(
      lines.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { id: "a", level: "DANGEROUS", reasons: expect.any(Array) },
      { id: "b", level: "SAFE", reasons: [] },
    ]);
  });

  it("judges a command with astros guard as the pipeline would in the current folder: its roots and AstrOS's state", async () => {
    const projects = path.join(sandbox.home, "projects");
    await mkdir(projects);
    await mkdir(path.join(sandbox.home, ".local", "state", "astros"), { recursive: true });
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), `[safety]\nallowed_roots = ["~/projects"]\n`);
    const judge = async (command: string, cwd = sandbox.home) => {
      const result = await runCli(["guard", "--json", command], { env: sandbox.env, cwd });
      return { code: result.code, ...(JSON.parse(result.stdout) as { level: string; reasons: string[] }) };
    };
    // An allowed root, and AstrOS's state named from the folder the command runs in: never destroyed.
    expect(await judge("rm -rf ~/projects")).toMatchObject({ code: 4, level: "FORBIDDEN" });
    expect(await judge("rm -rf projects")).toMatchObject({ code: 4, level: "FORBIDDEN" });
    expect(await judge("rm -rf astros", path.join(sandbox.home, ".local", "state"))).toMatchObject({
      code: 4,
      level: "FORBIDDEN",
    });
    expect(await judge("rm -rf ..", path.join(sandbox.home, ".local", "state", "astros"))).toMatchObject({ level: "FORBIDDEN" });
    // A file outside the roots is asked about; the same name inside the root where the command runs is not.
    expect(await judge("cat notes.txt")).toMatchObject({ code: 3, level: "DANGEROUS" });
    expect(await judge("cat notes.txt", projects)).toMatchObject({ code: 0, level: "SAFE" });
    const lines = await runCli(["guard", "--jsonl"], {
      env: sandbox.env,
      cwd: projects,
      input: '{"id":"a","command":"rm -rf ."}\n{"id":"b","command":"ls -la"}\n',
    });
    expect(
      lines.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).level),
    ).toEqual(["FORBIDDEN", "SAFE"]);
  });

  it("shows usage errors with exit code 2", async () => {
    const result = await sandbox.run(["status", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option");
  });
});
