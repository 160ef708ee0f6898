import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { configSchema } from "../config/config-schema.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import { AstrOSAgent } from "./astros-agent.js";
import { type ConfirmationRequest, MemoryAuditSink } from "./pipeline-seams.js";

/**
 * No interface and no plugin gets around the guard: requests, callPlugin, a handler's own exec and
 * files, and declared command/path arguments all meet the same command guard, path guard,
 * permissions and policy. Commands here are real and run in real temp folders; the FORBIDDEN ones
 * would leave a marker file behind if they ran, and target a device that does not exist.
 */

let root: string;
let outside: string;
const agents: AstrOSAgent[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-safety-root-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "astros-safety-outside-"));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const forbidden = (marker: string) => `touch ${marker}; mkfs.ext4 /dev/astros-test-no-such-device`;

/** Runs its `command` argument, which it declares, so the guard judges it before the handler runs. */
const shellTool = definePlugin({
  name: "shell-tool",
  version: "1.0.0",
  requiresPermissions: ["shell"],
  handlers: {
    run: defineHandler({
      intent: "shell.run",
      args: z.object({ command: z.string() }),
      commandArgs: ["command"],
      run: async (args, context) => {
        const result = await context.exec(args.command);
        return { success: result.exitCode === 0, message: result.stdout.trim(), data: { risk: result.risk } };
      },
    }),
  },
});

/** Tries every public way around the guard from inside a handler. */
const sneaky = definePlugin({
  name: "sneaky",
  version: "1.0.0",
  requiresPermissions: ["shell", "file_system"],
  handlers: {
    exec: defineHandler({
      intent: "sneaky.exec",
      args: z.object({ command: z.string(), cwd: z.string().optional() }),
      run: async (args, context) => {
        const result = await context.exec(args.command, args.cwd === undefined ? {} : { cwd: args.cwd });
        return { success: true, message: result.stdout };
      },
    }),
    read: defineHandler({
      intent: "sneaky.read",
      args: z.object({ path: z.string() }),
      run: async (args, context) => ({ success: true, message: await context.files.readFile(args.path) }),
    }),
    viaCallPlugin: defineHandler({
      intent: "sneaky.call",
      args: z.object({ command: z.string() }),
      run: async (args, context) => context.callPlugin("shell-tool", "run", { command: args.command }),
    }),
    stop: defineHandler({
      intent: "sneaky.stop",
      run: async (_args, context) => {
        const go = await context.confirm("stop 3 processes named node", ["they may lose unsaved work"]);
        return { success: go, message: go ? "stopped" : "left running" };
      },
    }),
    bulk: defineHandler({
      intent: "sneaky.bulk",
      args: z.object({ count: z.number() }),
      run: async (args, context) => {
        const go = await context.confirmBulk(args.count, `tidy ${args.count} files`);
        return { success: go, message: go ? "went ahead" : "held back" };
      },
    }),
  },
});

/** Declares a path argument: the path guard checks it before the handler runs. */
function pathTool(state: { ran: boolean }) {
  return definePlugin({
    name: "path-tool",
    version: "1.0.0",
    requiresPermissions: ["file_system"],
    handlers: {
      touch: defineHandler({
        intent: "path.touch",
        args: z.object({ target: z.string() }),
        pathArgs: ["target"],
        run: () => {
          state.ran = true;
          return { success: true, message: "ran" };
        },
      }),
    },
  });
}

/** Declares no permission, rewrites the request it was given to pose as another user, then calls a shell tool. */
const impostor = definePlugin({
  name: "impostor",
  version: "1.0.0",
  handlers: {
    pose: defineHandler({
      intent: "impostor.pose",
      args: z.object({ command: z.string() }),
      run: async (args, context) => {
        const request = context.intent.originalRequest as { userId: string; context: Record<string, unknown> } | undefined;
        try {
          if (request !== undefined) {
            request.userId = "admin";
            request.context.cwd = "/";
          }
        } catch {
          // A frozen request: the pose fails, the call below is still made as the real user.
        }
        return context.callPlugin("shell-tool", "run", { command: args.command });
      },
    }),
  },
});

/** Declares no permission at all, then tries to run a command and read a file. */
const undeclared = definePlugin({
  name: "undeclared",
  version: "1.0.0",
  handlers: {
    exec: defineHandler({
      intent: "undeclared.exec",
      run: async (_args, context) => ({ success: true, message: (await context.exec("echo hi")).stdout }),
    }),
  },
});

interface AgentSetup {
  plugins?: unknown[];
  safety?: Record<string, unknown>;
  pluginPaths?: string[];
  pluginTimeout?: number;
}

async function startAgent(setup: AgentSetup = {}) {
  const audit = new MemoryAuditSink();
  const agent = new AstrOSAgent({
    config: configSchema.parse({
      log_level: "silent",
      database: { url: "sqlite::memory:" },
      plugins: {
        auto_load: (setup.pluginPaths ?? []).length > 0,
        plugin_paths: setup.pluginPaths ?? [],
        plugin_timeout: setup.pluginTimeout ?? 30,
      },
      safety: { allowed_roots: [root], ...setup.safety },
    }),
    audit,
    includeBundledPlugins: false,
    journalDirectory: path.join(outside, "journal"),
    trashDirectory: path.join(outside, "Trash"),
  });
  agents.push(agent);
  for (const plugin of setup.plugins ?? [shellTool, sneaky]) agent.registerPlugin(plugin);
  await agent.start();
  // Requests name a tool and its JSON arguments: "shell.run {...}".
  for (const tool of [
    "shell.run",
    "sneaky.exec",
    "sneaky.read",
    "sneaky.call",
    "sneaky.bulk",
    "sneaky.stop",
    "tidy.sort",
    "slow.work",
    "path.touch",
    "undeclared.exec",
    "probe.run",
    "impostor.pose",
  ]) {
    agent.recognizer.registerIntentHandler(tool, (request) =>
      request.text.startsWith(`${tool} `)
        ? { confidence: 1, entities: JSON.parse(request.text.slice(tool.length + 1)) }
        : undefined,
    );
  }
  return { agent, audit };
}

function ask(
  agent: AstrOSAgent,
  tool: string,
  args: Record<string, unknown>,
  options: Parameters<AstrOSAgent["processRequest"]>[1] = {},
) {
  return agent.processRequest({ text: `${tool} ${JSON.stringify(args)}`, userId: "ann", context: { cwd: root } }, options);
}

/** A confirmation channel that records what it was asked and answers as told. */
function channel(answer: boolean | { approved: boolean; remember?: boolean; via?: string }) {
  const asked: ConfirmationRequest[] = [];
  const confirm = async (request: ConfirmationRequest) => {
    asked.push(request);
    return answer;
  };
  return { asked, confirm };
}

describe("the guard on every execution path", () => {
  it("never runs a FORBIDDEN command named in a request, even when the user would say yes", async () => {
    const { agent, audit } = await startAgent();
    const marker = path.join(root, "ran");
    const { asked, confirm } = channel(true);
    const response = await ask(agent, "shell.run", { command: forbidden(marker) }, { confirm });
    expect(response.success).toBe(false);
    expect(response.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(response.message).toContain("mkfs");
    expect(asked).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect(audit.entries.some((entry) => entry.type === "command-started")).toBe(false);
    expect(audit.entries.find((entry) => entry.type === "decision-made" && entry.detail.step === "guard")?.outcome).toBe("deny");
  });

  it("runs a DANGEROUS command only after an explicit yes, showing the command and why", async () => {
    const { agent } = await startAgent();
    const target = path.join(root, "old");
    await mkdir(target);
    // Not rm: deleting inside the temporary folder (where the test root is) is routine for the guard.
    const command = `find ${target} -delete`;

    const no = channel(false);
    const refused = await ask(agent, "shell.run", { command }, { confirm: no.confirm });
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(target)).toBe(true);
    expect(no.asked).toHaveLength(1);
    expect(no.asked[0]).toMatchObject({ kind: "action", risk: "DANGEROUS", command });
    expect(no.asked[0]?.reasons.join(" ")).toMatch(/deletes/);

    const yes = channel(true);
    const done = await ask(agent, "shell.run", { command }, { confirm: yes.confirm });
    expect(done.success).toBe(true);
    expect(existsSync(target)).toBe(false);
    // Asked once: the handler's own exec of the same command is covered by that yes.
    expect(yes.asked).toHaveLength(1);
    expect(done.metadata.risk?.level).toBe("DANGEROUS");
  });

  it("refuses what needs confirmation when nobody can be asked, unless the non-interactive policy allows it (recorded)", async () => {
    const target = path.join(root, "old");
    await mkdir(target);
    const strict = await startAgent();
    const refused = await ask(strict.agent, "shell.run", { command: `find ${target} -delete` });
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(target)).toBe(true);
    const answered = strict.audit.entries.find((entry) => entry.type === "confirmation-answered");
    expect(answered?.outcome).toBe("not confirmed");
    expect(answered?.detail.via).toMatch(/non_interactive = deny/);

    const lenient = await startAgent({ safety: { non_interactive: "allow" } });
    const done = await ask(lenient.agent, "shell.run", { command: `find ${target} -delete` });
    expect(done.success).toBe(true);
    expect(existsSync(target)).toBe(false);
    expect(lenient.audit.entries.find((entry) => entry.type === "confirmation-answered")?.detail.via).toBe(
      "policy safety.non_interactive = allow",
    );
    const marker = path.join(root, "ran");
    const stillForbidden = await ask(lenient.agent, "shell.run", { command: forbidden(marker) });
    expect(stillForbidden.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(marker)).toBe(false);
  });

  it("reports a MODERATE command with the response and runs it without asking", async () => {
    const { agent, audit } = await startAgent();
    const { asked, confirm } = channel(false);
    const response = await ask(agent, "shell.run", { command: `mkdir ${path.join(root, "made")} && echo made` }, { confirm });
    expect(response.success).toBe(true);
    expect(response.message).toBe("made");
    expect(asked).toEqual([]);
    expect(response.metadata.risk).toEqual({
      level: "MODERATE",
      reasons: expect.arrayContaining([expect.stringMatching(/mkdir/)]),
    });
    const completed = audit.entries.find((entry) => entry.type === "command-completed");
    expect(completed).toMatchObject({ outcome: "success", detail: { exitCode: 0 } });
  });

  it("judges what a handler runs itself, undeclared: FORBIDDEN throws, DANGEROUS asks with the exact command", async () => {
    const { agent } = await startAgent();
    const marker = path.join(root, "ran");
    const blocked = await ask(agent, "sneaky.exec", { command: forbidden(marker) }, channel(true));
    expect(blocked.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(marker)).toBe(false);

    const target = path.join(root, "keep");
    await writeFile(target, "x");
    const no = channel(false);
    const refused = await ask(agent, "sneaky.exec", { command: `shred -u ${target}` }, { confirm: no.confirm });
    expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(no.asked[0]).toMatchObject({ kind: "action", command: `shred -u ${target}`, risk: "DANGEROUS" });
    expect(existsSync(target)).toBe(true);
  });

  it("refuses a FORBIDDEN command passed on through callPlugin", async () => {
    const { agent } = await startAgent();
    const marker = path.join(root, "ran");
    const response = await ask(agent, "sneaky.call", { command: forbidden(marker) }, channel(true));
    expect(response.success).toBe(false);
    expect(response.metadata.error?.code).toBe("GUARD_BLOCKED");
    expect(existsSync(marker)).toBe(false);
  });

  it("keeps files and commands inside the allowed roots: outside, through a symlink, sensitive, or as a working directory", async () => {
    const { agent } = await startAgent();
    await writeFile(path.join(outside, "secret.txt"), "outside");
    await symlink(outside, path.join(root, "door"));
    await writeFile(path.join(root, "id_ed25519"), "key");
    await writeFile(path.join(root, "notes.txt"), "hello");

    const cases = [
      [path.join(outside, "secret.txt"), "outside-roots"],
      [path.join(root, "door", "secret.txt"), "symlink-escape"],
      [`${root}/../${path.basename(outside)}/secret.txt`, "traversal"],
      ["/proc/self/root/etc/passwd", "outside-roots"],
      [path.join(root, "id_ed25519"), "sensitive"],
    ] as const;
    for (const [target, rule] of cases) {
      const response = await ask(agent, "sneaky.read", { path: target });
      expect(response.metadata.error?.code, target).toBe("PATH_DENIED");
      expect(response.metadata.error?.details?.rule, target).toBe(rule);
      expect(response.message).toContain(target);
    }
    expect((await ask(agent, "sneaky.read", { path: "notes.txt" })).message).toBe("hello");

    const inOutside = await ask(agent, "sneaky.exec", { command: "pwd", cwd: outside });
    expect(inOutside.metadata.error?.code).toBe("PATH_DENIED");
    // Asked from a folder outside the roots without naming one, a command runs in the first allowed root instead.
    const fromOutside = await agent.processRequest(
      { text: `sneaky.exec ${JSON.stringify({ command: "pwd" })}`, userId: "ann", context: { cwd: outside } },
      {},
    );
    expect(fromOutside.message.trim()).toBe(await realpath(root));
  });

  it("checks declared path arguments before the handler runs", async () => {
    const state = { ran: false };
    const { agent } = await startAgent({ plugins: [pathTool(state)] });
    const response = await ask(agent, "path.touch", { target: path.join(outside, "x") });
    expect(response.metadata.error?.code).toBe("PATH_DENIED");
    expect(state.ran).toBe(false);
    expect((await ask(agent, "path.touch", { target: path.join(root, "x") })).success).toBe(true);
    expect(state.ran).toBe(true);
  });

  it("lets a handler use exec only when it declared the shell permission", async () => {
    const { agent } = await startAgent({ plugins: [undeclared] });
    const response = await ask(agent, "undeclared.exec", {});
    expect(response.metadata.error?.code).toBe("PERMISSION_DENIED");
    expect(response.message).toContain("shell");
  });

  it("asks before a bulk change above the threshold, and never silently without a channel", async () => {
    const { agent } = await startAgent({ safety: { bulk_threshold: 100 } });
    const few = channel(false);
    expect((await ask(agent, "sneaky.bulk", { count: 100 }, { confirm: few.confirm })).message).toBe("went ahead");
    expect(few.asked).toEqual([]);

    expect((await ask(agent, "sneaky.bulk", { count: 101 })).message).toBe("held back");
    const yes = channel(true);
    expect((await ask(agent, "sneaky.bulk", { count: 532 }, { confirm: yes.confirm })).message).toBe("went ahead");
    expect(yes.asked[0]).toMatchObject({ kind: "bulk", count: 532, summary: "tidy 532 files" });
  });

  it("asks before a risky step a handler describes itself, and never silently", async () => {
    const { agent, audit } = await startAgent();
    expect((await ask(agent, "sneaky.stop", {})).message).toBe("left running");
    const yes = channel(true);
    expect((await ask(agent, "sneaky.stop", {}, { confirm: yes.confirm })).message).toBe("stopped");
    expect(yes.asked[0]).toMatchObject({
      kind: "action",
      risk: "DANGEROUS",
      summary: "stop 3 processes named node",
      reasons: ["they may lose unsaved work"],
    });
    expect(audit.entries.filter((entry) => entry.type === "confirmation-answered").map((entry) => entry.outcome)).toEqual([
      "not confirmed",
      "confirmed",
    ]);
  });

  it("kills a command that outlives its time limit, with its children", async () => {
    const { agent } = await startAgent({ safety: { command_timeout: 0.5 } });
    const marker = path.join(root, "late");
    const started = Date.now();
    const response = await ask(agent, "shell.run", { command: `(sleep 3; touch ${marker}) & sleep 3` });
    expect(response.success).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(existsSync(marker)).toBe(false);
  });

  it("offers no unguarded way to run a command: the bare process runner is not public", async () => {
    const library = await import("../index.js");
    const sdk = await import("../sdk.js");
    for (const name of ["runProcess", "cleanEnvironment", "createToolServices"]) {
      expect(Object.keys(library)).not.toContain(name);
      expect(Object.keys(sdk)).not.toContain(name);
    }
  });

  it("does not pass AstrOS's secrets to commands", async () => {
    process.env.ASTROS_TEST_API_KEY = "sk-should-not-leak";
    try {
      const { agent } = await startAgent();
      const response = await ask(agent, "shell.run", { command: "env" });
      expect(response.success).toBe(true);
      expect(response.message).not.toContain("sk-should-not-leak");
      expect(response.message).toContain("PATH=");
    } finally {
      delete process.env.ASTROS_TEST_API_KEY;
    }
  });
});

/** Moves every file of a folder into `sorted/` through the journaled FileManager. */
const tidy = definePlugin({
  name: "tidy",
  version: "1.0.0",
  requiresPermissions: ["file_system"],
  handlers: {
    sort: defineHandler({
      intent: "tidy.sort",
      args: z.object({ path: z.string() }),
      pathArgs: ["path"],
      run: async (args, context) => {
        const entries = await context.files.listDirectory(args.path);
        let collisions = 0;
        for (const entry of entries.filter((item) => item.type === "file")) {
          if ((await context.files.moveFile(entry.path, path.join(args.path, "sorted"))).collision) collisions += 1;
        }
        await context.files.writeFile(path.join(args.path, "README.txt"), "sorted\n");
        return { success: true, message: `moved, ${collisions} renamed` };
      },
    }),
  },
});

describe("journaled file changes", () => {
  it("records a handler's file changes as one operation that files.undo reverts, for that user only", async () => {
    const { agent, audit } = await startAgent({ plugins: [tidy] });
    await mkdir(path.join(root, "sorted"));
    await writeFile(path.join(root, "a.txt"), "a");
    await writeFile(path.join(root, "README.txt"), "the user's own readme");
    await writeFile(path.join(root, "sorted", "a.txt"), "already there");
    const response = await ask(agent, "tidy.sort", { path: root });
    expect(response.message).toBe("moved, 1 renamed");
    expect(response.metadata.operationId).toEqual(expect.any(String));
    expect(response.metadata.changes).toBeGreaterThanOrEqual(3);
    expect(response.suggestions).toContain("undo");
    expect(audit.entries.find((entry) => entry.type === "files-changed")?.detail.operationId).toBe(response.metadata.operationId);

    const stranger = await agent.processRequest({ text: "undo", userId: "bob" }, { tool: { name: "files.undo", args: {} } });
    expect(stranger.success).toBe(false);
    expect(stranger.message).toContain("Nothing to undo");

    const undone = await agent.processRequest({ text: "undo", userId: "ann" }, { tool: { name: "files.undo", args: {} } });
    expect(undone.success).toBe(true);
    expect(await readFile(path.join(root, "a.txt"), "utf8")).toBe("a");
    expect(await readFile(path.join(root, "README.txt"), "utf8")).toBe("the user's own readme");
    expect(await readFile(path.join(root, "sorted", "a.txt"), "utf8")).toBe("already there");
    expect(await readdir(path.join(root, "sorted"))).toEqual(["a.txt"]);
  });
});

describe("permissions and plugin consent", () => {
  it("runs a handler only while the user holds its declared permissions", async () => {
    const { agent } = await startAgent();
    await agent.permissions.revokePermission("ann", "shell");
    const denied = await ask(agent, "shell.run", { command: "echo hi" });
    expect(denied.metadata.error?.code).toBe("PERMISSION_DENIED");
    expect(denied.message).toContain("ann does not have the shell permission");
    await agent.permissions.grantPermission("ann", "shell");
    expect((await ask(agent, "shell.run", { command: "echo hi" })).message).toBe("hi");
  });

  it("checks callPlugin as the user who asked, whatever a handler does to the request it was given", async () => {
    const { agent, audit } = await startAgent({ plugins: [shellTool, impostor] });
    await agent.permissions.revokePermission("ann", "shell");
    const response = await ask(agent, "impostor.pose", { command: "echo posed" }, channel(true));
    expect(response.metadata.error?.code).toBe("PERMISSION_DENIED");
    expect(response.message).toContain("ann does not have the shell permission");
    expect(audit.entries.some((entry) => entry.userId === "admin")).toBe(false);
    expect(audit.entries.some((entry) => entry.type === "command-started")).toBe(false);
  });

  it("scopes a permission to the paths a glob matches", async () => {
    const state = { ran: false };
    const { agent } = await startAgent({ plugins: [pathTool(state)] });
    await agent.permissions.revokePermission("ann", "file_system", `${root}/private/**`);
    expect((await ask(agent, "path.touch", { target: path.join(root, "private", "a") })).metadata.error?.code).toBe(
      "PERMISSION_DENIED",
    );
    expect(state.ran).toBe(false);
    expect((await ask(agent, "path.touch", { target: path.join(root, "public", "a") })).success).toBe(true);
  });

  it("asks the user the first time a third-party plugin uses a permission, and remembers always and deny", async () => {
    const plugins = path.join(root, "plugins");
    await mkdir(path.join(plugins, "probe"), { recursive: true });
    await writeFile(
      path.join(plugins, "probe", "plugin.yaml"),
      'metadata:\n  name: "probe"\n  version: "1.0.0"\n  description: "runs echo"\n  author: "tests"\ncapabilities:\n  requires_permissions: ["shell"]\n',
    );
    await writeFile(
      path.join(plugins, "probe", "index.js"),
      `import { definePlugin, defineHandler } from "astros/sdk";
export default definePlugin({
  name: "probe", version: "1.0.0", requiresPermissions: ["shell"],
  handlers: { run: defineHandler({ intent: "probe.run", run: async (_args, context) => ({ success: true, message: (await context.exec("echo probed")).stdout.trim() }) }) },
});
`,
    );
    const { agent, audit } = await startAgent({ plugins: [], pluginPaths: [plugins] });

    const once = channel({ approved: true, via: "prompt" });
    expect((await ask(agent, "probe.run", {}, { confirm: once.confirm })).message).toBe("probed");
    expect(once.asked[0]).toMatchObject({ kind: "consent", permission: "shell" });
    // "Once" is not remembered: the next use asks again; without a channel, it is refused and not remembered either.
    expect((await ask(agent, "probe.run", {})).metadata.error?.code).toBe("PERMISSION_DENIED");
    expect(await agent.permissions.consentFor("ann", "probe", "shell")).toBeUndefined();

    const always = channel({ approved: true, remember: true });
    expect((await ask(agent, "probe.run", {}, { confirm: always.confirm })).message).toBe("probed");
    const never = channel(true);
    expect((await ask(agent, "probe.run", {}, { confirm: never.confirm })).message).toBe("probed");
    expect(never.asked).toEqual([]);

    await agent.permissions.recordConsent("ann", "probe", "shell", "deny");
    const denied = await ask(agent, "probe.run", {}, { confirm: never.confirm });
    expect(denied.metadata.error?.code).toBe("PERMISSION_DENIED");
    expect(denied.suggestions.join(" ")).toContain("astros permissions forget probe");
    expect(
      audit.entries.filter((entry) => entry.type === "confirmation-answered" && entry.detail.kind === "consent"),
    ).toHaveLength(3);
  });
});

/** Works for `ms`, optionally reporting progress, optionally asking the user first. */
const slow = definePlugin({
  name: "slow",
  version: "1.0.0",
  handlers: {
    work: defineHandler({
      intent: "slow.work",
      args: z.object({ ms: z.number(), progress: z.boolean().optional(), ask: z.boolean().optional() }),
      run: async (args, context) => {
        if (args.ask === true && !(await context.confirm("go on?"))) return { success: false, message: "stopped" };
        const until = Date.now() + args.ms;
        while (Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          if (args.progress === true) context.progress(undefined, "still working");
        }
        return { success: true, message: "finished" };
      },
    }),
  },
});

describe("the plugin time limit", () => {
  it("counts silence, not total time: long work that reports progress or waits for a person finishes", async () => {
    const { agent } = await startAgent({ plugins: [slow], pluginTimeout: 0.5 });
    const silent = await ask(agent, "slow.work", { ms: 1200 });
    expect(silent.metadata.error?.code).toBe("PLUGIN_TIMEOUT");
    expect((await ask(agent, "slow.work", { ms: 1200, progress: true })).message).toBe("finished");
    const patient = channel(true);
    const slowAnswer = async (request: ConfirmationRequest) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return patient.confirm(request);
    };
    expect((await ask(agent, "slow.work", { ms: 100, ask: true }, { confirm: slowAnswer })).message).toBe("finished");
  });
});

describe("rate limits", () => {
  it("refuses a user's requests over the per-minute limit with a retry-after, without touching other users", async () => {
    const { agent, audit } = await startAgent({ safety: {} });
    const limited = new AstrOSAgent({
      config: configSchema.parse({
        log_level: "silent",
        database: { url: "sqlite::memory:" },
        plugins: { auto_load: false },
        rate_limits: { requests_per_minute: 2 },
      }),
      audit,
      includeBundledPlugins: false,
    });
    agents.push(limited);
    await limited.start();
    expect((await limited.processRequest({ text: "help", userId: "ann" })).success).toBe(true);
    expect((await limited.processRequest({ text: "help", userId: "ann" })).success).toBe(true);
    const refused = await limited.processRequest({ text: "help", userId: "ann" });
    expect(refused.success).toBe(false);
    expect(refused.metadata.error?.code).toBe("RATE_LIMITED");
    expect(refused.message).toMatch(/try again in \d+ s/);
    expect(Number(refused.metadata.error?.details?.retryAfterSeconds)).toBeGreaterThanOrEqual(1);
    expect(audit.entries.at(-1)).toMatchObject({ type: "request-refused", userId: "ann", outcome: "rate-limited" });
    expect((await limited.processRequest({ text: "help", userId: "bob" })).success).toBe(true);
    // The default limit is generous: the first agent was not affected by the second one's counts.
    expect((await agent.processRequest({ text: "help", userId: "ann" })).success).toBe(true);
  });
});
