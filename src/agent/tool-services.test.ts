import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { configSchema } from "../config/config-schema.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import { AstrOSAgent, type ProcessOptions } from "./astros-agent.js";
import { type ConfirmationChannel, type ConfirmationRequest, MemoryAuditSink } from "./pipeline-seams.js";

/**
 * The powers a handler gets (exec, files) keep to the same rules as the arguments it declares: the files
 * a command names meet the path guard, the bulk limit holds whether or not the handler asks itself,
 * permissions scoped by glob cover the files it touches, and the session's workspace is a root.
 * Real folders, real commands, a real SQLite database in memory.
 */
let root: string;
let outside: string;
const agents: AstrOSAgent[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-services-root-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "astros-services-outside-"));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** A plugin that uses its powers directly, declaring no command or path arguments. */
const hands = definePlugin({
  name: "hands",
  version: "1.0.0",
  requiresPermissions: ["shell", "file_system"],
  handlers: {
    exec: defineHandler({
      intent: "hands.exec",
      args: z.object({
        command: z.string(),
        env: z.record(z.string(), z.string()).optional(),
        input: z.string().optional(),
      }),
      run: async (args, context) => ({
        success: true,
        message: (
          await context.exec(args.command, {
            ...(args.env === undefined ? {} : { env: args.env }),
            ...(args.input === undefined ? {} : { input: args.input }),
          })
        ).stdout.trim(),
      }),
    }),
    read: defineHandler({
      intent: "hands.read",
      args: z.object({ path: z.string() }),
      run: async (args, context) => ({ success: true, message: await context.files.readFile(args.path) }),
    }),
    readVia: defineHandler({
      intent: "hands.read_via",
      args: z.object({ path: z.string() }),
      run: async (args, context) => context.callPlugin("hands", "read", { path: args.path }),
    }),
    empty: defineHandler({
      intent: "hands.empty",
      args: z.object({ folder: z.string(), askFirst: z.boolean().optional() }),
      run: async (args, context) => {
        const entries = await context.files.listDirectory(args.folder);
        if (args.askFirst === true && !(await context.confirmBulk(entries.length, `trash ${entries.length} files`))) {
          return { success: false, message: "held back" };
        }
        for (const entry of entries) await context.files.deleteFile(entry.path);
        return { success: true, message: `trashed ${entries.length}` };
      },
    }),
  },
});

async function startAgent(safety: Record<string, unknown> = {}) {
  const audit = new MemoryAuditSink();
  const agent = new AstrOSAgent({
    config: configSchema.parse({
      log_level: "silent",
      database: { url: "sqlite::memory:" },
      plugins: { auto_load: false },
      safety: { allowed_roots: [root], ...safety },
    }),
    audit,
    includeBundledPlugins: false,
    journalDirectory: path.join(outside, "journal"),
    trashDirectory: path.join(outside, "Trash"),
  });
  agents.push(agent);
  agent.registerPlugin(hands);
  await agent.start();
  return { agent, audit };
}

function use(agent: AstrOSAgent, tool: string, args: Record<string, unknown>, options: ProcessOptions = {}) {
  return agent.processRequest(
    { text: `${tool} ${JSON.stringify(args)}`, userId: "ann", context: { cwd: root } },
    { ...options, tool: { name: tool, args } },
  );
}

function channel(approved: boolean) {
  const asked: ConfirmationRequest[] = [];
  const confirm: ConfirmationChannel = async (request) => {
    asked.push(request);
    return approved;
  };
  return { asked, confirm };
}

describe("a handler's own commands", () => {
  it("asks before running a command that names a file outside the roots or a key, and never runs it silently", async () => {
    const { agent } = await startAgent();
    await writeFile(path.join(outside, "secret.txt"), "outside");
    await writeFile(path.join(root, "id_ed25519"), "key");
    for (const command of [
      `cat ${outside}/secret.txt`,
      "cat id_ed25519",
      `sh -c 'cat ../${path.basename(outside)}/secret.txt'`,
    ]) {
      const refused = await use(agent, "hands.exec", { command });
      expect(refused.metadata.error?.code, command).toBe("GUARD_BLOCKED");
      expect(refused.message, command).toMatch(/outside the allowed locations|keys or credentials/);
    }
    const yes = channel(true);
    const done = await use(agent, "hands.exec", { command: `cat ${outside}/secret.txt` }, { confirm: yes.confirm });
    expect(done.message).toBe("outside");
    expect(yes.asked[0]).toMatchObject({ kind: "action", risk: "DANGEROUS", command: `cat ${outside}/secret.txt` });
    expect(yes.asked[0]?.reasons.join(" ")).toContain(`${outside}/secret.txt`);
  });

  it("asks before running a command with an environment that changes what code runs (BASH_ENV, PATH, LD_PRELOAD)", async () => {
    const { agent } = await startAgent();
    const marker = path.join(root, "hijacked");
    await writeFile(path.join(root, "startup.sh"), `touch ${marker}\n`);
    for (const env of [{ BASH_ENV: path.join(root, "startup.sh") }, { PATH: root }, { LD_PRELOAD: "/tmp/x.so" }]) {
      const refused = await use(agent, "hands.exec", { command: "true", env });
      expect(refused.metadata.error?.code, JSON.stringify(env)).toBe("GUARD_BLOCKED");
      expect(refused.message).toContain(`it sets ${Object.keys(env)[0]}`);
    }
    expect(existsSync(marker)).toBe(false);
    // A startup file for bash is code the guard never sees: refused even when the user would say yes.
    const yes = channel(true);
    const startup = await use(agent, "hands.exec", { command: "true", env: { BASH_ENV: path.join(root, "startup.sh") } }, yes);
    expect(startup.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(startup.message).toContain("forbidden");
    expect(yes.asked).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect((await use(agent, "hands.exec", { command: "echo $GREETING", env: { GREETING: "hello" } })).message).toBe("hello");
  });
});

describe("what a handler's command reads and the HOME it runs with", () => {
  it("judges the input it feeds a shell: FORBIDDEN never runs, DANGEROUS asks showing what the input does", async () => {
    const { agent, audit } = await startAgent();
    const marker = path.join(root, "ran");
    const yes = channel(true);
    const forbidden = await use(
      agent,
      "hands.exec",
      { command: "bash", input: `touch ${marker}; mkfs.ext4 /dev/astros-test-no-such-device` },
      { confirm: yes.confirm },
    );
    expect(forbidden.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(forbidden.message).toContain("mkfs");
    expect(yes.asked).toEqual([]);
    expect(existsSync(marker)).toBe(false);

    await writeFile(path.join(root, "keep.txt"), "x");
    const no = channel(false);
    const refused = await use(agent, "hands.exec", { command: "sh -s", input: "rm keep.txt" }, { confirm: no.confirm });
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(no.asked[0]).toMatchObject({ kind: "action", risk: "DANGEROUS", command: "sh -s" });
    expect(no.asked[0]?.reasons.join(" ")).toContain("rm deletes keep.txt");
    expect(existsSync(path.join(root, "keep.txt"))).toBe(true);

    expect((await use(agent, "hands.exec", { command: "bash", input: "echo fed" })).message).toBe("fed");
    expect(audit.entries.filter((entry) => entry.type === "command-started").at(-1)?.detail.input).toBe("echo fed");
  });

  it("judges ~ as the HOME the handler gives the command, and asks before a HOME that is not the user's", async () => {
    const { agent } = await startAgent();
    await writeFile(path.join(outside, "secret.txt"), "outside");
    const no = channel(false);
    const refused = await use(
      agent,
      "hands.exec",
      { command: "cat ~/secret.txt", env: { HOME: outside } },
      { confirm: no.confirm },
    );
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(no.asked[0]?.reasons.join(" ")).toContain(`${outside}/secret.txt, outside the allowed locations`);
    expect(no.asked[0]?.reasons.join(" ")).toContain("it sets HOME");
    // The same HOME the command gets anyway changes nothing.
    const same = await use(agent, "hands.exec", { command: "echo same", env: { HOME: process.env.HOME ?? "" } });
    expect(same.message).toBe("same");
  });
});

describe("the bulk limit on a handler's file changes", () => {
  async function folderOf(count: number): Promise<string> {
    const folder = path.join(root, "many");
    await mkdir(folder, { recursive: true });
    for (let index = 0; index < count; index++) await writeFile(path.join(folder, `f${index}.txt`), String(index));
    return folder;
  }

  it("stops a handler that goes past safety.bulk_threshold without asking, when nobody says yes", async () => {
    const { agent, audit } = await startAgent({ bulk_threshold: 5 });
    const folder = await folderOf(8);
    const refused = await use(agent, "hands.empty", { folder });
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(refused.message).toContain("safety.bulk_threshold = 5");
    expect(await readdir(folder)).toHaveLength(3);
    expect(audit.entries.find((entry) => entry.type === "confirmation-answered")).toMatchObject({
      outcome: "not confirmed",
      detail: { kind: "bulk", count: 6 },
    });
    // What was changed before the stop is one undoable operation.
    expect(audit.entries.find((entry) => entry.type === "files-changed")?.detail.changes).toBe(5);
  });

  it("asks once when the handler goes past it, and not again when the handler asked first", async () => {
    const { agent } = await startAgent({ bulk_threshold: 5 });
    const yes = channel(true);
    const folder = await folderOf(8);
    expect((await use(agent, "hands.empty", { folder }, { confirm: yes.confirm })).message).toBe("trashed 8");
    expect(yes.asked.map((question) => [question.kind, question.count])).toEqual([["bulk", 6]]);

    const again = channel(true);
    await folderOf(9);
    expect((await use(agent, "hands.empty", { folder, askFirst: true }, { confirm: again.confirm })).message).toBe("trashed 9");
    expect(again.asked.map((question) => question.summary)).toEqual(["trash 9 files"]);
    expect(existsSync(path.join(folder, "f0.txt"))).toBe(false);
  });
});

describe("permissions scoped by glob on a handler's own file access", () => {
  it("refuses files the user's permission does not cover, also by a relative path or through a symbolic link", async () => {
    const { agent } = await startAgent();
    await mkdir(path.join(root, "private"));
    await writeFile(path.join(root, "private", "diary.txt"), "dear diary");
    await writeFile(path.join(root, "public.txt"), "hello");
    await symlink(path.join(root, "private"), path.join(root, "shortcut"));
    await agent.permissions.revokePermission("ann", "file_system", `${root}/private/**`);
    for (const target of [path.join(root, "private", "diary.txt"), "private/diary.txt", "shortcut/diary.txt"]) {
      const refused = await use(agent, "hands.read", { path: target });
      expect(refused.metadata.error?.code, target).toBe("PERMISSION_DENIED");
      expect(refused.message, target).toContain("does not have the file_system permission");
    }
    expect((await use(agent, "hands.read", { path: "public.txt" })).message).toBe("hello");
  });
});

describe("callPlugin", () => {
  it("passes another plugin's file access through the same path guard", async () => {
    const { agent } = await startAgent();
    await writeFile(path.join(outside, "secret.txt"), "outside");
    const refused = await use(agent, "hands.read_via", { path: path.join(outside, "secret.txt") });
    expect(refused.success).toBe(false);
    expect(refused.metadata.error).toMatchObject({ code: "PATH_DENIED", details: { rule: "outside-roots" } });
  });
});

describe("the session's workspace", () => {
  it("is an allowed root for that request only", async () => {
    const { agent } = await startAgent();
    await writeFile(path.join(outside, "plan.txt"), "the plan");
    const denied = await use(agent, "hands.read", { path: path.join(outside, "plan.txt") });
    expect(denied.metadata.error?.details?.rule).toBe("outside-roots");
    const inWorkspace = await use(agent, "hands.read", { path: path.join(outside, "plan.txt") }, { workspace: outside });
    expect(inWorkspace.message).toBe("the plan");
    const command = await use(agent, "hands.exec", { command: `cat ${outside}/plan.txt` }, { workspace: outside });
    expect(command.message).toBe("the plan");
  });
});

describe("confirmation given in advance", () => {
  it("is recorded with the request even when nothing needed it", async () => {
    const { agent, audit } = await startAgent();
    const confirm: ConfirmationChannel = Object.assign(async () => true, { inAdvance: "--yes" });
    await use(agent, "hands.exec", { command: "echo hi" }, { confirm });
    expect(audit.entries.find((entry) => entry.type === "request-received")?.detail.confirmedInAdvance).toBe("--yes");
  });
});
