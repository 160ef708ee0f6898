import { chmod, lstat, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileTools } from "../files/files-plugin.js";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../testing/start-tool-agent.js";
import { applyModeChange, describeMode, modeLetters } from "./file-mode.js";
import { createPermissionTools } from "./permissions-plugin.js";

let base: string;
let agent: ToolAgent;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-permissions-"));
  agent = await startToolAgent({ root: base, plugins: [createPermissionTools(), createFileTools()] });
});
afterEach(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
});

const yes = { confirm: async () => true } satisfies ToolCallOptions;
const at = (...parts: string[]) => path.join(base, ...parts);
const modeOf = async (relative: string) => (await lstat(at(relative))).mode & 0o7777;

async function put(relative: string, mode: number) {
  await mkdir(path.dirname(at(relative)), { recursive: true });
  await writeFile(at(relative), "#!/bin/sh\necho hi\n");
  await chmod(at(relative), mode);
}

function change(file: string, mode: string, options: ToolCallOptions = {}) {
  return agent.call("permissions.change", { path: file, mode }, { ...options, cwd: base });
}

describe("changing permissions", () => {
  it("makes a script executable, keeps its content, and undo puts the old mode back", async () => {
    await put("scripts/backup.sh", 0o644);
    const response = await change("scripts/backup.sh", "executable");
    expect(response.success, response.message).toBe(true);
    expect(await modeOf("scripts/backup.sh")).toBe(0o755);
    expect(response.message).toMatch(/rw-r--r-- to rwxr-xr-x/);
    const undone = await agent.call("files.undo", {}, yes);
    expect(undone.success, undone.message).toBe(true);
    expect(await modeOf("scripts/backup.sh")).toBe(0o644);
  });

  it("'only I can read it' leaves the owner alone with the file", async () => {
    await put("Documents/private.txt", 0o644);
    const response = await change("Documents/private.txt", "private");
    expect(response.success, response.message).toBe(true);
    expect(await modeOf("Documents/private.txt")).toBe(0o600);
    expect(response.message).toMatch(/only you can read, change/);
  });

  it("asks before changing a shell start-up file, and does nothing without a yes", async () => {
    await put(".bashrc", 0o644);
    const response = await change(".bashrc", "+x");
    expect(response.success).toBe(false);
    expect(await modeOf(".bashrc")).toBe(0o644);
  });

  it("refuses to change the permissions of the folder it works in (a protected place)", async () => {
    const before = await modeOf(".");
    const response = await change(base, "000", yes);
    expect(response.success).toBe(false);
    expect(await modeOf(".")).toBe(before);
  });

  it("refuses a mode it cannot read instead of guessing", async () => {
    await put("run.sh", 0o644);
    const response = await change("run.sh", "make it nice");
    expect(response.success).toBe(false);
    expect(await modeOf("run.sh")).toBe(0o644);
  });
});

describe("modes in words and numbers", () => {
  it.each([
    ["755", 0o644, false, 0o755],
    ["+x", 0o644, false, 0o755],
    ["u+x", 0o644, false, 0o744],
    ["go-rwx", 0o755, false, 0o700],
    ["a=r", 0o644, false, 0o444],
    ["u=rw,go=", 0o664, false, 0o600],
    ["executable", 0o600, false, 0o700],
    ["executable", 0o644, false, 0o755],
    ["private", 0o755, true, 0o700],
    ["private", 0o644, false, 0o600],
    ["read-only", 0o664, false, 0o444],
    ["not-executable", 0o755, false, 0o644],
    ["shared-read", 0o600, false, 0o644],
  ])("%s on %o (folder: %s) gives %o", (change, current, isDirectory, wanted) => {
    expect(applyModeChange(change, current, isDirectory)).toBe(wanted);
  });

  it("says who may do what", () => {
    expect(modeLetters(0o640)).toBe("rw-r-----");
    expect(describeMode(0o600, false)).toBe("only you can read, change");
    expect(describeMode(0o755, true)).toBe("you: read, change, open; everyone else: read, open");
  });
});
