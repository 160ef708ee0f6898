import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { probeSandbox, sandboxStatus } from "../../exec/sandbox-status.js";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../testing/start-tool-agent.js";
import { createShellTools } from "./shell-plugin.js";

let base: string;
let agent: ToolAgent;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-shell-"));
  agent = await startToolAgent({ root: base, plugins: [createShellTools()] });
});
afterEach(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
});

function run(args: Record<string, unknown>, options: ToolCallOptions = {}) {
  return agent.call("shell.run", args, options);
}

describe("shell.run", () => {
  it("runs a command in the request's folder and reports its output and exit code", async () => {
    const ok = await run({ command: "pwd && echo hello" });
    expect(ok.success).toBe(true);
    expect(ok.message).toBe(`${base}\nhello`);
    const failed = await run({ command: "echo oops >&2; exit 3" });
    expect(failed.success).toBe(false);
    expect(failed.message).toBe("oops\n[exit code 3]");
    expect(failed.data?.exitCode).toBe(3);
  });

  it("runs a command in the folder it was asked to run in, and says which", async () => {
    const folder = path.join(base, "Work Stuff");
    await mkdir(folder);
    const response = await run({ command: "pwd && echo hi > made.txt", cwd: folder });
    expect(response.success, response.message).toBe(true);
    expect(response.message).toBe(`In ${folder}:\n${folder}`);
    expect(await readFile(path.join(folder, "made.txt"), "utf8")).toBe("hi\n");
    expect(existsSync(path.join(base, "made.txt"))).toBe(false);
  });

  it("names the folder in the question before a DANGEROUS command that runs there", async () => {
    const folder = path.join(base, "webapp");
    await mkdir(path.join(folder, "src"), { recursive: true });
    const questions: Array<{ summary?: string; command?: string }> = [];
    const refused = await run(
      { command: "rm -r src", cwd: folder },
      {
        confirm: async (question) => {
          questions.push(question);
          return false;
        },
      },
    );
    expect(refused.success).toBe(false);
    expect(questions[0]).toMatchObject({ command: "rm -r src", summary: `runs in ${folder}` });
    expect(existsSync(path.join(folder, "src"))).toBe(true);
  });

  it("runs nothing when the folder asked for is not there or is a file", async () => {
    const missing = await run({ command: "touch made.txt", cwd: path.join(base, "nowhere") });
    expect(missing.success).toBe(false);
    expect(missing.message).toBe(`There is no folder ${path.join(base, "nowhere")}; nothing was run.`);
    await writeFile(path.join(base, "plain.txt"), "x");
    const file = await run({ command: "touch made.txt", cwd: path.join(base, "plain.txt") });
    expect(file.success).toBe(false);
    expect(file.message).toContain("is not a folder; nothing was run");
    expect(existsSync(path.join(base, "made.txt"))).toBe(false);
  });

  it("keeps output up to safety.command_output_limit and says it cut the rest", async () => {
    const capped = await startToolAgent({ root: base, plugins: [createShellTools()], safety: { command_output_limit: 2048 } });
    try {
      const response = await capped.call("shell.run", { command: "head -c 100000 /dev/zero | tr '\\0' x; echo done >&2" });
      expect(response.success, response.message).toBe(true);
      expect(response.data).toMatchObject({ truncated: true, stderr: "done\n" });
      expect(response.data?.stdout).toBe("x".repeat(2048));
      expect(response.message).toContain("[output cut at the limit]");
    } finally {
      await capped.stop();
    }
  });

  it("never runs a FORBIDDEN command and asks before a DANGEROUS one", async () => {
    const marker = path.join(base, "ran");
    const forbidden = await run({ command: `touch ${marker}; rm -rf /` }, { confirm: async () => true });
    expect(forbidden.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(marker)).toBe(false);
    const refused = await run({ command: `touch ${marker}; rm -r ${path.join(base, "x")}` });
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(marker)).toBe(false);
  });
});

const sandbox = await sandboxStatus();
const required = process.env.ASTROS_REQUIRE_SERVICES === "1";
if (!sandbox.available && !required) console.warn(`shell sandbox tests skipped: ${sandbox.reason}`);

describe.skipIf(!sandbox.available && !required)("shell.run in the bubblewrap sandbox", () => {
  it("proves itself available (CI installs bubblewrap)", () => {
    expect(sandbox).toEqual({ available: true, reason: expect.stringContaining("bubblewrap") });
  });

  it("keeps the system read-only and the network away, and the working folder writable", async () => {
    const home = path.join(os.homedir(), `.astros-sandbox-test-${process.pid}`);
    const response = await run({
      command: `echo made > inside.txt; touch ${home} 2>/dev/null && echo escaped; touch /etc/astros-escape 2>/dev/null && echo escaped; tail -n +3 /proc/net/dev | wc -l`,
      isolate: true,
    });
    expect(response.success, response.message).toBe(true);
    expect(response.message).not.toContain("escaped");
    const lines = response.message.split("\n");
    expect(lines[0]).toBe("1");
    expect(lines.at(-1)).toBe("[ran in the sandbox]");
    expect(await readFile(path.join(base, "inside.txt"), "utf8")).toBe("made\n");
    expect(existsSync(home)).toBe(false);
    expect(agent.audit.entries.find((entry) => entry.type === "command-started")?.detail.isolated).toBe(true);
  });
});

describe("the sandbox proof", () => {
  it("says why when bubblewrap is missing", async () => {
    // A PATH with bash but without bwrap.
    const bin = path.join(base, "bin");
    await mkdir(bin);
    await symlink("/bin/bash", path.join(bin, "bash"));
    const savedPath = process.env.PATH;
    process.env.PATH = bin;
    try {
      expect(await probeSandbox()).toEqual({ available: false, reason: expect.stringContaining("apt install bubblewrap") });
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
