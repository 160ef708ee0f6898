import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { createTestAgent } from "../agent/testing/test-agent.js";
import { sandboxForTests } from "../exec/testing/sandbox-for-tests.js";
import { UserHomes } from "./user-homes.js";

/**
 * A confined (server) user's ~ is their workspace home, wherever it is written: in the request's text,
 * in a tool's arguments (as a model gives them), in a command. The operator's home is never used, nor
 * named in an error. Real agent, real files, real bubblewrap for the command.
 */

const sandbox = await sandboxForTests("the confined command tests");
let root: string;
let agent: AstrOSAgent;

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), "astros-confined-home-")));
  agent = createTestAgent(root);
  await agent.start();
});
afterEach(async () => {
  await agent.stop();
  await rm(root, { recursive: true, force: true });
});

async function asBob() {
  const homes = new UserHomes(path.join(root, "workspaces"));
  const principal = { user: { id: "bob", role: "user" }, sessionId: "login-1" } as Parameters<UserHomes["scope"]>[0];
  const { context, confinement } = await homes.scope(principal);
  const workspace = path.join(root, "workspaces", "bob", "home");
  await writeFile(path.join(workspace, "notes.txt"), "bob's notes");
  await mkdir(path.join(root, ".ssh"), { recursive: true });
  await writeFile(path.join(root, "notes.txt"), "the operator's notes");
  const run = (text: string, tool?: { name: string; args: Record<string, unknown> }) =>
    agent.processRequest({ text, userId: "bob", context }, { ...confinement, ...(tool === undefined ? {} : { tool }) });
  return { run, workspace };
}

describe("a confined user's ~", () => {
  it("is their workspace home in a tool's arguments and in the request's text, never the operator's", async () => {
    const { run } = await asBob();
    const byTool = await run("read it", { name: "files.read", args: { path: "~/notes.txt" } });
    expect(byTool.message).toContain("bob's notes");
    const byText = await run("read ~/notes.txt");
    expect(byText.message).toContain("bob's notes");
    for (const response of [byTool, byText]) expect(JSON.stringify(response)).not.toContain("the operator's notes");
    const outside = await run("read it", { name: "files.read", args: { path: "~/../../../../notes.txt" } });
    expect(outside.success).toBe(false);
    // Were ~ the operator's home, the refusal would name it.
    expect(outside.message).not.toContain(os.homedir());
  });

  describe.runIf(sandbox.run)("in the sandbox", () => {
    it("is their workspace home in a command", async () => {
      const { run, workspace } = await asBob();
      const response = await run("run it", { name: "shell.run", args: { command: "cat ~/notes.txt; echo home=$HOME" } });
      expect(response.message).toContain("bob's notes");
      expect(response.message).toContain(`home=${workspace}`);
    });
  });
});
