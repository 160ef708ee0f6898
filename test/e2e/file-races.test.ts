import { createHash } from "node:crypto";
import { link, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../src/agent/pipeline-seams.js";
import { createTestAgent } from "../../src/agent/testing/test-agent.js";
import { startExchangeSwapper } from "../../src/exec/boundary/testing/exchange-swapper.js";
import { defineHandler, definePlugin, z } from "../../src/sdk.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import { type CliSandbox, createCliSandbox } from "./run-cli.js";

/**
 * Races against the file boundary, from every door: a python3 process swaps, with renameat2(RENAME_EXCHANGE), a
 * real file with a symbolic link to a secret outside the allowed roots, and separately a real folder with a link
 * to the outside folder, in a tight loop, while AstrOS reads and writes through the door. Whatever the timing,
 * not one byte of the secret comes back and nothing is written outside (the outside folder is compared whole).
 */

const rounds = Number(process.env.ASTROS_RACE_ROUNDS ?? 1000);
const secret = "THE-OUTSIDE-SECRET 8d1c0f";
const insideText = "inside text";

interface Arena {
  /** The allowed root. */
  root: string;
  /** A folder outside the roots: holds notes.txt, the secret. */
  outside: string;
  /** root/notes.txt (a real file) swapped with root/notes.swap (a link to outside/notes.txt). */
  file: string;
  /** root/folder (a real folder holding notes.txt) swapped with root/folder.swap (a link to outside). */
  folder: string;
}

async function makeArena(root: string, outside: string): Promise<Arena> {
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, "notes.txt"), secret);
  await writeFile(path.join(root, "notes.txt"), insideText);
  await symlink(path.join(outside, "notes.txt"), path.join(root, "notes.swap"));
  await mkdir(path.join(root, "folder"));
  await writeFile(path.join(root, "folder", "notes.txt"), insideText);
  await symlink(outside, path.join(root, "folder.swap"));
  return { root, outside, file: path.join(root, "notes.txt"), folder: path.join(root, "folder") };
}

/** What is outside, whole: each name with its content's hash. */
async function outsideState(outside: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const name of (await readdir(outside)).sort()) {
    state[name] = createHash("sha256")
      .update(await readFile(path.join(outside, name)).catch(() => Buffer.from("(unreadable)")))
      .digest("hex");
  }
  return state;
}

interface Tally {
  operations: number;
  succeeded: number;
  refused: number;
  /** Reads that returned any byte of the secret. */
  leaked: number;
  swaps: number;
}

/** Run `operation` `rounds` times while the swapper exchanges `first` and `second`; count what came out. */
async function race(first: string, operation: (index: number) => Promise<string | undefined>, count = rounds): Promise<Tally> {
  const swapper = await startExchangeSwapper({ first, second: swapOf(first) });
  const tally: Tally = { operations: 0, succeeded: 0, refused: 0, leaked: 0, swaps: 0 };
  try {
    for (let index = 0; index < count; index++) {
      tally.operations += 1;
      try {
        const text = await operation(index);
        tally.succeeded += 1;
        if (text?.includes(secret.slice(0, 12))) tally.leaked += 1;
      } catch (error) {
        tally.refused += 1;
        if (process.env.ASTROS_RACE_DEBUG !== undefined) console.log(String(error).slice(0, 300));
      }
    }
  } finally {
    tally.swaps = await swapper.stop();
  }
  return tally;
}

function report(door: string, what: string, tally: Tally, writtenOutside = 0) {
  console.log(
    `[file-races] ${door} ${what}: ${tally.operations} operations, ${tally.succeeded} done, ${tally.refused} refused, ` +
      `${tally.leaked} read the secret, ${writtenOutside} written outside, ${tally.swaps} swaps`,
  );
}

/** The outside folder is as it was: same names, same bytes. Returns how many names were added or changed. */
async function changedOutside(arena: Arena, before: Record<string, string>): Promise<number> {
  const after = await outsideState(arena.outside);
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).length;
}

describe("a plugin's context.files under a symlink race", { timeout: 300_000 }, () => {
  let scratch: string;
  let astros: ReturnType<typeof createTestAgent>;
  let arena: Arena;
  const agent = {
    call: (tool: string, args: Record<string, unknown>) =>
      astros.processRequest(
        { text: `${tool} ${JSON.stringify(args)}`, userId: "ann", context: { cwd: arena.root } },
        { tool: { name: tool, args } },
      ),
  };
  const probe = definePlugin({
    name: "probe",
    version: "1.0.0",
    description: "reads and writes through context.files",
    author: "tests",
    handles: ["probe"],
    requiresPermissions: ["file_system"],
    handlers: {
      read: defineHandler({
        intent: "probe.read",
        description: "read a file many times",
        args: z.object({ path: z.string(), times: z.number() }),
        readOnly: true,
        run: async (args, context) => {
          const texts: string[] = [];
          let refused = 0;
          for (let index = 0; index < args.times; index++) {
            try {
              texts.push(await context.files.readFile(args.path));
            } catch {
              refused += 1;
            }
          }
          return { success: true, message: "read", data: { texts, refused } };
        },
      }),
      write: defineHandler({
        intent: "probe.write",
        description: "write files many times",
        args: z.object({ paths: z.array(z.string()) }),
        run: async (args, context) => {
          let refused = 0;
          for (const target of args.paths) {
            try {
              await context.files.writeFile(target, "written by the probe");
            } catch {
              refused += 1;
            }
          }
          return { success: true, message: "written", data: { refused } };
        },
      }),
      shuffle: defineHandler({
        intent: "probe.shuffle",
        description: "move a file out of a folder and back, and write then delete one in it, many times",
        args: z.object({ folder: z.string(), parked: z.string(), times: z.number() }),
        run: async (args, context) => {
          let refused = 0;
          for (let index = 0; index < args.times; index++) {
            try {
              const away = await context.files.moveFile(path.join(args.folder, "notes.txt"), args.parked);
              await context.files.moveFile(away.path, args.folder);
            } catch {
              refused += 1;
            }
            try {
              await context.files.writeFile(path.join(args.folder, "doomed.txt"), "to be deleted");
              await context.files.deleteFile(path.join(args.folder, "doomed.txt"));
            } catch {
              refused += 1;
            }
          }
          return { success: true, message: "shuffled", data: { refused } };
        },
      }),
    },
  });

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "astros-races-"));
    const root = path.join(scratch, "root");
    await mkdir(root);
    // The journal and the trash inside the scratch folder, outside the root and outside the outside folder.
    astros = createTestAgent(scratch, {
      config: { rate_limits: { requests_per_minute: 0 }, safety: { allowed_roots: [root], bulk_threshold: 1_000_000 } },
      agent: { audit: new MemoryAuditSink() },
    });
    astros.registerPlugin(probe);
    await astros.start();
    arena = await makeArena(root, path.join(scratch, "outside"));
  });
  afterAll(async () => {
    await astros?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  /** Reads through the probe, `rounds` in one call per batch, while the swapper runs. */
  async function probeReads(target: string, first: string): Promise<Tally> {
    const swapper = await startExchangeSwapper({ first, second: swapOf(first) });
    const tally: Tally = { operations: 0, succeeded: 0, refused: 0, leaked: 0, swaps: 0 };
    try {
      for (let batch = 0; batch < rounds / 100; batch++) {
        const response = await agent.call("probe.read", { path: target, times: 100 });
        const data = response.data as { texts: string[]; refused: number };
        tally.operations += 100;
        tally.refused += data.refused;
        tally.succeeded += data.texts.length;
        tally.leaked += data.texts.filter((text) => text.includes(secret.slice(0, 12))).length;
      }
    } finally {
      tally.swaps = await swapper.stop();
    }
    return tally;
  }

  it("never reads a byte from outside the roots when a file is swapped with a link", async () => {
    const tally = await probeReads(arena.file, arena.file);
    report("context.files", "read (file swap)", tally);
    expect(tally.swaps).toBeGreaterThan(0);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(tally.leaked).toBe(0);
  });

  it("never reads a byte from outside the roots when a parent folder is swapped with a link", async () => {
    const tally = await probeReads(path.join(arena.folder, "notes.txt"), arena.folder);
    report("context.files", "read (folder swap)", tally);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(tally.leaked).toBe(0);
  });

  it("never writes outside the roots when a parent folder is swapped with a link", async () => {
    const before = await outsideState(arena.outside);
    const swapper = await startExchangeSwapper({ first: arena.folder, second: swapOf(arena.folder) });
    const tally: Tally = { operations: 0, succeeded: 0, refused: 0, leaked: 0, swaps: 0 };
    try {
      for (let batch = 0; batch < rounds / 100; batch++) {
        const paths = Array.from({ length: 100 }, (_, index) =>
          path.join(arena.folder, index % 2 === 0 ? `new-${batch}-${index}.txt` : "notes.txt"),
        );
        const response = await agent.call("probe.write", { paths });
        const refused = (response.data as { refused: number }).refused;
        tally.operations += 100;
        tally.refused += refused;
        tally.succeeded += 100 - refused;
      }
    } finally {
      tally.swaps = await swapper.stop();
    }
    const outside = await changedOutside(arena, before);
    report("context.files", "write (folder swap)", tally, outside);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(outside).toBe(0);
  });

  it("never moves, trashes or overwrites anything outside the roots when a parent folder is swapped with a link", async () => {
    // The outside folder holds a doomed.txt of its own: deleting or writing through the link would change it.
    await writeFile(path.join(arena.outside, "doomed.txt"), secret);
    const before = await outsideState(arena.outside);
    const parked = path.join(arena.root, "parked");
    await mkdir(parked, { recursive: true });
    const swapper = await startExchangeSwapper({ first: arena.folder, second: swapOf(arena.folder) });
    const tally: Tally = { operations: 0, succeeded: 0, refused: 0, leaked: 0, swaps: 0 };
    try {
      for (let batch = 0; batch < rounds / 100; batch++) {
        const response = await agent.call("probe.shuffle", { folder: arena.folder, parked, times: 50 });
        const refused = (response.data as { refused: number }).refused;
        tally.operations += 100;
        tally.refused += refused;
        tally.succeeded += 100 - refused;
      }
    } finally {
      tally.swaps = await swapper.stop();
    }
    // Whatever came into the root from outside would be the secret: nothing inside holds it.
    for (const folder of [parked, arena.folder]) {
      for (const name of await readdir(folder)) {
        if ((await readFile(path.join(folder, name), "utf8").catch(() => "")).includes(secret.slice(0, 12))) tally.leaked += 1;
      }
    }
    // As it was for the tests after this one: the inside notes.txt in its folder.
    await rm(parked, { recursive: true, force: true });
    await writeFile(path.join(arena.folder, "notes.txt"), insideText);
    const outside = await changedOutside(arena, before);
    report("context.files", "move and trash (folder swap)", tally, outside);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(tally.succeeded).toBeGreaterThan(0);
    expect(tally.leaked).toBe(0);
    expect(outside).toBe(0);
  });

  it("never reads or writes outside through files.read and files.write when a parent folder is swapped", async () => {
    const before = await outsideState(arena.outside);
    const reads = await race(arena.folder, async () => {
      const response = await agent.call("files.read", { path: path.join(arena.folder, "notes.txt") });
      if (!response.success) throw new Error(response.message);
      return response.message;
    });
    report("files.read", "read (folder swap)", reads);
    const writes = await race(arena.folder, async (index) => {
      const target = path.join(arena.folder, index % 2 === 0 ? `tool-${index}.txt` : "notes.txt");
      const response = await agent.call("files.write", { path: target, content: "written by files.write" });
      if (!response.success) throw new Error(response.message);
      return undefined;
    });
    const outside = await changedOutside(arena, before);
    report("files.write", "write (folder swap)", writes, outside);
    expect(reads.succeeded, "files.read read nothing: the test proves nothing").toBeGreaterThan(0);
    expect(reads.refused + writes.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(reads.leaked).toBe(0);
    expect(outside).toBe(0);
  }, 300_000);
});

describe("hard links", () => {
  it("never reads a file hard-linked inside a root to a file outside it, through files.read, and says why", async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), "astros-hard-link-"));
    const root = path.join(scratch, "root");
    await mkdir(root);
    await writeFile(path.join(scratch, "secret.txt"), secret);
    await link(path.join(scratch, "secret.txt"), path.join(root, "innocent.txt"));
    const astros = createTestAgent(scratch, {
      config: { safety: { allowed_roots: [root] } },
      agent: { audit: new MemoryAuditSink() },
    });
    await astros.start();
    try {
      const response = await astros.processRequest(
        { text: "read innocent.txt", userId: "ann", context: { cwd: root } },
        { tool: { name: "files.read", args: { path: path.join(root, "innocent.txt") } } },
      );
      expect(response.success).toBe(false);
      expect(JSON.stringify(response)).not.toContain(secret);
      expect(response.message).toMatch(/hard links/);
      expect(response.metadata.error?.code).toBe("PATH_DENIED");
    } finally {
      await astros.stop();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

/** The link a real entry is swapped with: notes.txt ↔ notes.swap, folder ↔ folder.swap. */
function swapOf(entry: string): string {
  return entry.endsWith("notes.txt") ? entry.replace(/notes\.txt$/, "notes.swap") : `${entry}.swap`;
}

describe("the session files API under a symlink race", { timeout: 300_000 }, () => {
  const password = "correct horse battery staple";
  const saved = { config: process.env.XDG_CONFIG_HOME, data: process.env.XDG_DATA_HOME, state: process.env.XDG_STATE_HOME };
  let scratch: string;
  let server: RunningServer;
  let agent: ReturnType<typeof createTestAgent>;
  let token = "";
  let sessionId = "";
  let arena: Arena;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "astros-races-api-"));
    process.env.XDG_CONFIG_HOME = path.join(scratch, "config");
    process.env.XDG_DATA_HOME = path.join(scratch, "data");
    process.env.XDG_STATE_HOME = path.join(scratch, "state");
    agent = createTestAgent(scratch, {
      config: { rate_limits: { requests_per_minute: 0 }, safety: { allowed_roots: [scratch], bulk_threshold: 1_000_000 } },
      agent: { audit: new MemoryAuditSink() },
    });
    await agent.start();
    server = await startServer({ agent, port: 0 });
    const user = await server.auth.createUser({ username: "mallory", password });
    token = (await server.auth.login("mallory", password)).token;
    const created = await call("POST", "/api/sessions", {});
    sessionId = created.json.session_id;
    const workdir = path.join(scratch, "workspaces", user.id, "sessions", sessionId);
    arena = await makeArena(workdir, path.join(scratch, "outside"));
  });
  afterAll(async () => {
    await server?.close();
    await agent?.stop();
    for (const [key, value] of [
      ["XDG_CONFIG_HOME", saved.config],
      ["XDG_DATA_HOME", saved.data],
      ["XDG_STATE_HOME", saved.state],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(scratch, { recursive: true, force: true });
  });

  async function call(method: string, route: string, body?: unknown) {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === "" ? undefined : JSON.parse(text), text };
  }

  const content = (relative: string) => async () => {
    const answer = await call("GET", `/api/sessions/${sessionId}/files/content?path=${encodeURIComponent(relative)}`);
    if (answer.status !== 200) throw new Error(answer.text);
    return answer.text;
  };

  it("never reads a file hard-linked into the workspace from outside it (PATH_DENIED, hard links named)", async () => {
    await link(path.join(arena.outside, "notes.txt"), path.join(arena.root, "hard.txt"));
    try {
      const answer = await call("GET", `/api/sessions/${sessionId}/files/content?path=hard.txt`);
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain(secret);
      expect(answer.text).toMatch(/hard links/);
    } finally {
      await rm(path.join(arena.root, "hard.txt"));
    }
  });

  it("never reads a byte from outside the workspace when a file is swapped with a link", async () => {
    const tally = await race(arena.file, content("notes.txt"));
    report("session API", "GET files/content (file swap)", tally);
    expect(tally.succeeded, "the API read nothing: the test proves nothing").toBeGreaterThan(0);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(tally.leaked).toBe(0);
  });

  it("never reads a byte from outside the workspace when a parent folder is swapped with a link", async () => {
    const tally = await race(arena.folder, content("folder/notes.txt"));
    report("session API", "GET files/content (folder swap)", tally);
    expect(tally.succeeded, "the API read nothing: the test proves nothing").toBeGreaterThan(0);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(tally.leaked).toBe(0);
  });

  it("never writes outside the workspace when a parent folder is swapped with a link", async () => {
    const before = await outsideState(arena.outside);
    const tally = await race(arena.folder, async (index) => {
      const target = index % 2 === 0 ? `folder/api-${index}.txt` : "folder/notes.txt";
      const answer = await call("POST", `/api/sessions/${sessionId}/files/content`, { path: target, content: "from the API" });
      if (answer.status !== 200) throw new Error(answer.text);
      return undefined;
    });
    const outside = await changedOutside(arena, before);
    report("session API", "POST files/content (folder swap)", tally, outside);
    expect(tally.succeeded, "the API wrote nothing: the test proves nothing").toBeGreaterThan(0);
    expect(tally.refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(outside).toBe(0);
  });

  it("never lists or greps outside the workspace when a parent folder is swapped with a link", async () => {
    const listings = await race(arena.folder, async () => {
      const answer = await call("GET", `/api/sessions/${sessionId}/files?path=folder`);
      if (answer.status !== 200) throw new Error(answer.text);
      // The outside folder's own name for the secret is notes.txt too; what gives it away is its size.
      return (answer.json.items as { name: string; size: number }[]).some((item) => item.size === secret.length) ? secret : "";
    });
    report("session API", "GET files (folder swap)", listings);
    const greps = await race(
      arena.folder,
      async () => {
        const answer = await call("POST", `/api/sessions/${sessionId}/search/grep`, { pattern: "SECRET", path: "folder" });
        if (answer.status !== 200) throw new Error(answer.text);
        return answer.text;
      },
      rounds / 4,
    );
    report("session API", "POST search/grep (folder swap)", greps);
    expect(listings.leaked).toBe(0);
    expect(greps.leaked).toBe(0);
  });
});

describe("files.search under a symlink race", { timeout: 300_000 }, () => {
  // The walk lists each folder through a handle it opened without following links, and opens each subfolder from
  // its parent's handle with O_NOFOLLOW: a folder swapped for a link to an outside folder mid-walk is either the
  // real folder (listed) or a link (not entered), never the outside folder.
  const outsideName = "outside-only-5e1b93.txt";
  let scratch: string;
  let astros: ReturnType<typeof createTestAgent>;
  let root: string;
  let swapped: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "astros-search-races-"));
    root = path.join(scratch, "root");
    const outside = path.join(scratch, "outside");
    swapped = path.join(root, "tree", "deep");
    await mkdir(path.join(swapped, "deeper"), { recursive: true });
    await mkdir(path.join(outside, "deeper"), { recursive: true });
    for (let index = 0; index < 20; index++) {
      await writeFile(path.join(swapped, `inside-${index}.txt`), `inside ${index}`);
      await writeFile(path.join(outside, `outside-${index}.txt`), secret);
    }
    await writeFile(path.join(swapped, "deeper", "inside-deeper.txt"), insideText);
    await writeFile(path.join(outside, outsideName), secret);
    await writeFile(path.join(outside, "deeper", outsideName), secret);
    await symlink(outside, swapOf(swapped));
    astros = createTestAgent(scratch, {
      config: { rate_limits: { requests_per_minute: 0 }, safety: { allowed_roots: [root] } },
      agent: { audit: new MemoryAuditSink() },
    });
    await astros.start();
  });
  afterAll(async () => {
    await astros?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  /** files.search `args` over the root, `count` times while the folder is swapped; what the answers held. */
  async function searches(args: Record<string, unknown>, count: number) {
    const swapper = await startExchangeSwapper({ first: swapped, second: swapOf(swapped) });
    const tally = { operations: 0, complete: 0, missedTheFolder: 0, outsideNames: 0, secretsRead: 0, swaps: 0 };
    try {
      for (let index = 0; index < count; index++) {
        const response = await astros.processRequest(
          { text: "files.search", userId: "ann", context: { cwd: root } },
          { tool: { name: "files.search", args: { path: root, hidden: true, limit: 10_000, ...args } } },
        );
        tally.operations += 1;
        const data = response.data as { matches: { path: string }[] } | undefined;
        const paths = data?.matches.map((match) => match.path) ?? [];
        const text = `${response.message}\n${paths.join("\n")}`;
        if (text.includes("outside-")) tally.outsideNames += 1;
        if (text.includes(secret.slice(0, 12))) tally.secretsRead += 1;
        if (paths.some((found) => found.endsWith("inside-deeper.txt"))) tally.complete += 1;
        else tally.missedTheFolder += 1;
      }
    } finally {
      tally.swaps = await swapper.stop();
    }
    console.log(`[file-races] files.search ${JSON.stringify(args)}: ${JSON.stringify(tally)}`);
    return tally;
  }

  it("never lists a name from outside the roots through files.search when a folder is swapped mid-walk", async () => {
    const tally = await searches({ ext: "txt" }, rounds / 2);
    expect(tally.swaps).toBeGreaterThan(0);
    expect(tally.complete, "no search found the swapped folder's files: the test proves nothing").toBeGreaterThan(0);
    expect(tally.missedTheFolder, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(tally.outsideNames).toBe(0);
  });

  it("never matches a file outside the roots by content or size when a folder is swapped mid-walk", async () => {
    const byContent = await searches({ content: "OUTSIDE-SECRET" }, rounds / 4);
    const bySize = await searches({ minSize: secret.length, maxSize: secret.length }, rounds / 4);
    expect(byContent.outsideNames + bySize.outsideNames).toBe(0);
    expect(byContent.secretsRead + bySize.secretsRead).toBe(0);
  });
});

describe("the CLI under a symlink race", () => {
  let sandbox: CliSandbox;
  let arena: Arena;

  beforeAll(async () => {
    sandbox = await createCliSandbox();
    // Only HOME is allowed (not the temp folder the sandbox's HOME is in), so the folder beside it is outside.
    await writeFile(
      path.join(sandbox.configDirectory, "config.toml"),
      `[safety]\nallowed_roots = ["~"]\nbulk_threshold = 1000000\n[rate_limits]\nrequests_per_minute = 0\n`,
    );
    arena = await makeArena(sandbox.home, `${sandbox.home}-outside`);
  });
  afterAll(async () => {
    await sandbox?.dispose();
    if (arena !== undefined) await rm(arena.outside, { recursive: true, force: true });
  });

  /** Many requests, one per line, through one astros process, while the swapper runs. */
  async function raceCli(first: string, lines: string[]): Promise<{ stdout: string; swaps: number }> {
    const swapper = await startExchangeSwapper({ first, second: swapOf(first) });
    try {
      const result = await sandbox.run([], { input: `${lines.join("\n")}\n` });
      return { stdout: result.stdout + result.stderr, swaps: await swapper.stop() };
    } catch (error) {
      await swapper.stop();
      throw error;
    }
  }

  it("never reads a byte from outside the roots, many requests through one astros process", async () => {
    for (const first of [arena.file, arena.folder]) {
      const target = first === arena.file ? "~/notes.txt" : "~/folder/notes.txt";
      const { stdout, swaps } = await raceCli(
        first,
        Array.from({ length: rounds }, () => `read ${target}`),
      );
      const read = stdout.split(insideText).length - 1;
      const leaked = stdout.split(secret.slice(0, 12)).length - 1;
      report("CLI", `read ${target}`, { operations: rounds, succeeded: read, refused: rounds - read, leaked, swaps });
      expect(read, "the CLI read nothing: the test proves nothing").toBeGreaterThan(0);
      expect(read, "the race never hit: the test proves nothing").toBeLessThan(rounds);
      expect(leaked).toBe(0);
    }
  }, 300_000);

  it("never writes outside the roots, many requests through one astros process", async () => {
    const before = await outsideState(arena.outside);
    const { stdout, swaps } = await raceCli(
      arena.folder,
      Array.from({ length: rounds }, (_, index) => `write hello to ~/folder/cli-${index}.txt`),
    );
    const written = stdout.split("Wrote ").length - 1;
    const outside = await changedOutside(arena, before);
    report(
      "CLI",
      "write ~/folder/cli-N.txt",
      { operations: rounds, succeeded: written, refused: rounds - written, leaked: 0, swaps },
      outside,
    );
    expect(written, "the CLI wrote nothing: the test proves nothing").toBeGreaterThan(0);
    expect(written, "the race never hit: the test proves nothing").toBeLessThan(rounds);
    expect(outside).toBe(0);
  }, 300_000);
});
