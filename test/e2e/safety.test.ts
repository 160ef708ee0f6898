import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliSandbox, createCliSandbox } from "./run-cli.js";

/**
 * The safety policy as a person meets it on the command line: a plugin that runs a DANGEROUS
 * command is refused without a terminal, runs with --yes (recorded in the audit log), and a
 * FORBIDDEN one never runs, --yes or not.
 */
let sandbox: CliSandbox;
let scratch: string;
let marker: string;

beforeEach(async () => {
  sandbox = await createCliSandbox();
  scratch = path.join(sandbox.home, "scratch");
  marker = path.join(sandbox.home, "forbidden-ran");
  await mkdir(path.join(scratch, "inner"), { recursive: true });
  const plugin = path.join(sandbox.home, "my-plugins", "janitor");
  await mkdir(plugin, { recursive: true });
  await writeFile(
    path.join(plugin, "plugin.yaml"),
    'metadata:\n  name: "janitor"\n  version: "1.0.0"\n  description: "cleans up"\n  author: "tests"\ncapabilities:\n  requires_permissions: ["shell"]\n',
  );
  await writeFile(
    path.join(plugin, "index.js"),
    `import { definePlugin, defineHandler } from "astros/sdk";
const run = (command) => async (_args, context) => {
  const result = await context.exec(command);
  return { success: result.exitCode === 0, message: result.exitCode === 0 ? "cleaned" : result.stderr };
};
export default definePlugin({
  name: "janitor", version: "1.0.0", requiresPermissions: ["shell"],
  handlers: {
    clean: defineHandler({ intent: "janitor.clean", examples: ["clean the scratch folder"], run: run(${JSON.stringify(`rm -r ${scratch}`)}) }),
    wipe: defineHandler({ intent: "janitor.wipe", examples: ["wipe the disk"], run: run(${JSON.stringify(`touch ${marker}; mkfs.ext4 /dev/astros-test-no-such-device`)}) }),
    list: defineHandler({ intent: "janitor.list", examples: ["take stock of the janitor closet"], run: async (_args, context) => ({ success: true, message: (await context.exec(${JSON.stringify(`ls ${scratch}`)})).stdout.trim() }) }),
  },
});
`,
  );
  await writeFile(
    path.join(sandbox.configDirectory, "config.toml"),
    `[plugins]\nplugin_paths = ["~/my-plugins"]\n\n[permissions]\ntrusted_plugins = ["janitor"]\n`,
  );
});
afterEach(async () => {
  await sandbox.dispose();
});

async function auditEntries(type: string): Promise<Array<{ outcome?: string; detail: Record<string, unknown> }>> {
  const listed = await sandbox.run(["audit", "--type", type, "--json"]);
  return listed.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe("safety on the command line", () => {
  it("refuses a DANGEROUS command when nobody can be asked, saying why", async () => {
    const result = await sandbox.run(["clean the scratch folder"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`rm -r ${scratch}`);
    expect(result.stderr).toContain("GUARD_BLOCKED");
    expect(result.stderr).toContain("Not run, not confirmed (nobody could be asked on this channel)");
    expect(result.stderr).toContain("add --yes to confirm this one command's risky steps");
    expect(existsSync(scratch)).toBe(true);
    const answers = await auditEntries("confirmation-answered");
    expect(answers.at(-1)).toMatchObject({ outcome: "not confirmed" });
    expect(String(answers.at(-1)?.detail.via)).toContain("non_interactive = deny");
  });

  it("runs it with --yes for that one command, and the audit log records the --yes", async () => {
    const result = await sandbox.run(["--yes", "clean the scratch folder"]);
    expect(result.stdout).toContain("cleaned");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`command: rm -r ${scratch}`);
    expect(result.stderr).toMatch(/note: dangerous risk/);
    expect(existsSync(scratch)).toBe(false);
    const answers = await auditEntries("confirmation-answered");
    expect(answers.at(-1)).toMatchObject({ outcome: "confirmed", detail: { via: "--yes", command: `rm -r ${scratch}` } });
    const [received] = (await auditEntries("request-received")).slice(-1);
    expect(received?.detail).toMatchObject({ text: "clean the scratch folder", confirmedInAdvance: "--yes" });
    const commands = await auditEntries("command-completed");
    expect(commands.at(-1)).toMatchObject({ outcome: "success", detail: { command: `rm -r ${scratch}`, exitCode: 0 } });
    expect((await sandbox.run(["audit", "verify"])).code).toBe(0);
  });

  it("never runs a FORBIDDEN command, not even with --yes", async () => {
    const result = await sandbox.run(["--yes", "wipe the disk"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("forbidden");
    expect(result.stderr).toContain("GUARD_BLOCKED");
    expect(existsSync(marker)).toBe(false);
    expect(await auditEntries("command-started")).toEqual([]);
  });

  it("runs a SAFE command without notes, and rejects --yes without a request", async () => {
    const listed = await sandbox.run(["take stock of the janitor closet"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("inner");
    expect(listed.stderr).not.toContain("risk");
    const alone = await sandbox.run(["--yes"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--yes confirms one request");
  });

  it("lets the user revoke and restore a permission, and a revoked one stops the plugin", async () => {
    expect((await sandbox.run(["permissions", "revoke", "shell"])).stdout).toContain("Revoked shell from tester");
    const denied = await sandbox.run(["take stock of the janitor closet"]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("tester does not have the shell permission");
    const listed = JSON.parse((await sandbox.run(["permissions", "--json"])).stdout);
    expect(listed.permissions).toContainEqual(
      expect.objectContaining({ permission: "shell", effect: "deny", source: "revoked" }),
    );
    expect((await sandbox.run(["permissions", "reset", "shell"])).code).toBe(0);
    expect((await sandbox.run(["take stock of the janitor closet"])).code).toBe(0);
    expect((await sandbox.run(["permissions", "reset", "shell"])).code).toBe(1);
  });

  it("audit verify passes an untouched log, and names the entry after one is edited or deleted, exiting 1", async () => {
    // A call's allow verdicts and the request's arrival are written on the call's line: two lines a request.
    await sandbox.run(["take stock of the janitor closet"]);
    await sandbox.run(["take stock of the janitor closet"]);
    expect((await sandbox.run(["audit", "verify"])).code).toBe(0);
    const file = path.join(sandbox.home, ".local", "state", "astros", "audit.log");
    const original = await readFile(file, "utf8");
    const lines = original.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(3);
    await writeFile(
      file,
      `${lines.map((line, index) => (index === 2 ? line.replace(/"time":(\d+)/, (_, time) => `"time":${Number(time) - 60_000}`) : line)).join("\n")}\n`,
    );
    const edited = await sandbox.run(["audit", "verify"]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/line 3: content does not match its hash/);
    await writeFile(file, `${lines.filter((_, index) => index !== 1).join("\n")}\n`);
    const deleted = await sandbox.run(["audit", "verify"]);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(/line 2: entry number 3 where 2 was expected/);
  });

  it("writes ~ in a --resource glob out as the home folder, so the revocation matches the paths plugins use", async () => {
    const revoked = await sandbox.run(["permissions", "revoke", "file_system", "--resource", "~/scratch/**"]);
    expect(revoked.stdout).toContain(`on ${scratch}/**`);
    const listed = JSON.parse((await sandbox.run(["permissions", "--json"])).stdout);
    expect(listed.permissions).toContainEqual(expect.objectContaining({ permission: "file_system", resource: `${scratch}/**` }));
    expect((await sandbox.run(["permissions", "reset", "file_system", "--resource", "~/scratch/**"])).code).toBe(0);
  });

  it("asks a plugin's first use of a permission, and without a terminal refuses without remembering", async () => {
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), `[plugins]\nplugin_paths = ["~/my-plugins"]\n`);
    const result = await sandbox.run(["take stock of the janitor closet"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("janitor plugin was not allowed to use shell");
    const listed = JSON.parse((await sandbox.run(["permissions", "--json"])).stdout);
    expect(listed.consents).toEqual([]);
  });
});
