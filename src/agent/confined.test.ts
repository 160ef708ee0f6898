import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sandboxForTests } from "../exec/testing/sandbox-for-tests.js";
import type { AstrOSAgent } from "./astros-agent.js";
import type { ConfirmationRequest } from "./pipeline-seams.js";
import { createTestAgent } from "./testing/test-agent.js";

/**
 * A server user is confined to a workspace: the files API and the commands it runs reach nothing
 * outside it, not even with a yes, and the sandbox hides AstrOS's own folders and other workspaces
 * from what a command opens by itself. Real files, real bubblewrap.
 */

const sandbox = await sandboxForTests("the confined agent's sandboxed command test");
let root: string;
let saved: string | undefined;
let agent: AstrOSAgent;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-confined-"));
  saved = process.env.XDG_DATA_HOME;
  process.env.XDG_DATA_HOME = path.join(root, "data");
});
afterEach(async () => {
  await agent?.stop();
  if (saved === undefined) delete process.env.XDG_DATA_HOME;
  else process.env.XDG_DATA_HOME = saved;
  await rm(root, { recursive: true, force: true });
});

async function start() {
  agent = createTestAgent(root);
  await agent.start();
  const workspaces = path.join(root, "data", "astros", "workspaces");
  const mine = path.join(workspaces, "alice");
  const theirs = path.join(workspaces, "bob");
  await mkdir(mine, { recursive: true });
  await mkdir(theirs, { recursive: true });
  await writeFile(path.join(theirs, "secret.txt"), "bob's secret");
  await writeFile(path.join(root, "outside.txt"), "not in the workspace");
  await writeFile(path.join(mine, "notes.txt"), "alice's notes");
  const questions: ConfirmationRequest[] = [];
  const call = (tool: string, args: Record<string, unknown>) =>
    agent.processRequest(
      { text: tool, userId: "alice", context: { cwd: mine } },
      {
        tool: { name: tool, args },
        workspace: mine,
        confine: true,
        confirm: async (question) => {
          questions.push(question);
          return true;
        },
      },
    );
  return { call, mine, theirs, questions };
}

describe("a confined (server) user", () => {
  it("reads and writes in the workspace, and nothing outside it, even inside the allowed roots", async () => {
    const { call, mine, questions } = await start();
    expect((await call("files.read", { path: "notes.txt" })).message).toContain("alice's notes");
    const outside = await call("files.read", { path: path.join(root, "outside.txt") });
    expect(outside.metadata.error?.code).toBe("PATH_DENIED");
    const up = await call("files.read", { path: "../bob/secret.txt" });
    expect(up.metadata.error?.code).toBe("PATH_DENIED");
    const written = await call("files.write", { path: "new.txt", content: "hello" });
    expect(written.success, written.message).toBe(true);
    expect(await readFile(path.join(mine, "new.txt"), "utf8")).toBe("hello");
    expect(questions).toEqual([]);
  });

  it("cannot run a command naming a file outside the workspace, whoever would say yes", async () => {
    const { call, questions } = await start();
    for (const command of [`cat ${path.join(root, "outside.txt")}`, "cat ../bob/secret.txt", "cat /etc/hostname"]) {
      const response = await call("shell.run", { command });
      expect(response.success, `${command}: ${JSON.stringify(response)}`).toBe(false);
      expect(response.metadata.error?.code, command).toBe("GUARD_BLOCKED");
      expect(response.message, command).toContain("outside your workspace");
    }
    expect(questions).toEqual([]);
  });

  it.runIf(sandbox.run)("runs commands in the sandbox, where other workspaces and AstrOS's data are hidden", async () => {
    const { call, mine, theirs } = await start();
    const made = await call("shell.run", { command: "echo made > made.txt && ls" });
    expect(made.success, made.message).toBe(true);
    expect(made.message).toContain("notes.txt");
    expect(await readFile(path.join(mine, "made.txt"), "utf8")).toBe("made\n");
    // The path is computed, so no guard can see it: the sandbox has to hide it.
    const encoded = Buffer.from(path.join(theirs, "secret.txt")).toString("base64");
    const peek = await call("shell.run", { command: `cat "$(echo ${encoded} | base64 -d)"` });
    expect(peek.message).not.toContain("bob's secret");
    expect(peek.message).toMatch(/No such file/);
    expect(existsSync(path.join(theirs, "secret.txt"))).toBe(true);
  });
});
