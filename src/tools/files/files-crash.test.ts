import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AstrOSAgent } from "../../agent/astros-agent.js";
import { MemoryAuditSink } from "../../agent/pipeline-seams.js";

/**
 * kill -9 during a large organize and a large move, at many points spread over the whole operation (before its
 * journal exists, while intents are being synced, in the middle of a batch of moves, between batches, while
 * committing): the next start rolls the interrupted operation back, and every time the tree is exactly what it
 * was, or, killed after the commit, exactly what the finished operation leaves. Nothing lost, nothing
 * duplicated, no stray temp files.
 */
const worker = fileURLToPath(new URL("../../../test/fixtures/organize-worker.mjs", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../../../dist/index.js", import.meta.url)));
/** A folder on another file system than the temp folder (tmpfs), where moves must copy and then remove. */
const otherDevice = "/dev/shm";
const crossesDevices = existsSync(otherDevice) && statSync(otherDevice).dev !== statSync(os.tmpdir()).dev;

let base: string;
let away: string | undefined;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-crash-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
  if (away !== undefined) await rm(away, { recursive: true, force: true });
  away = undefined;
});

interface Outcome {
  /** The operation ran to its end (no kill). */
  finished: boolean;
  /** Calls that changed the file system, when it finished. */
  calls: number;
}

function run(mode: string, options: { killAt?: number | string; source?: string } = {}): Promise<Outcome> {
  const args = [worker, base, mode, String(options.killAt ?? ""), ...(options.source === undefined ? [] : [options.source])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === null && code !== 0) return reject(new Error(`worker failed (${code}): ${errors}`));
      if (output.includes("failed")) return reject(new Error(`the operation failed: ${output}`));
      const done = /done (\d+)/.exec(output);
      resolve({ finished: done !== null, calls: Number(done?.[1] ?? 0) });
    });
  });
}

/** The next start after the crash: an agent on the same journal (here, in the test's process), which rolls back. */
async function restart(): Promise<void> {
  const agent = new AstrOSAgent({
    configOverrides: {
      log_level: "silent",
      database: { url: "sqlite::memory:" },
      plugins: { auto_load: false },
      safety: { allowed_roots: [base] },
    },
    includeBundledPlugins: false,
    includeTools: false,
    journalDirectory: path.join(base, ".journal"),
    trashDirectory: path.join(base, ".Trash"),
    audit: new MemoryAuditSink(),
  });
  await agent.start();
  await agent.stop();
}

/**
 * Every file under a folder (the journal aside, and at a source's top its dot folders): relative path → content
 * hash. A .trashinfo counts by the path it records, not its deletion time.
 */
async function tree(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (current === folder && (entry.name === ".journal" || (folder !== base && entry.name.startsWith(".")))) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      let bytes = await readFile(full);
      if (entry.name.endsWith(".trashinfo")) bytes = Buffer.from(bytes.toString("utf8").replace(/^DeletionDate=.*$/m, ""));
      result[path.relative(folder, full)] = createHash("sha256").update(bytes).digest("hex");
    }
  };
  await walk(folder);
  return result;
}

/** What the test compares: the files under the base and, for a move from another device, under the source. */
async function state(): Promise<Record<string, string>> {
  const here = await tree(base);
  if (away === undefined) return here;
  const there = Object.fromEntries(Object.entries(await tree(away)).map(([name, hash]) => [`away/${name}`, hash]));
  return { ...here, ...there };
}

/** A Downloads folder of `count` files, many of them colliding with names already in Images or Elsewhere. */
async function makeTree(count: number, downloads: string): Promise<void> {
  await mkdir(path.join(downloads, "Images"), { recursive: true });
  await mkdir(path.join(base, "Elsewhere"), { recursive: true });
  const extensions = ["txt", "jpg", "pdf", "mp3"];
  for (let index = 0; index < count; index += 1) {
    const name = `f${index % 50}-${index}.${extensions[index % 4]}`;
    await writeFile(path.join(downloads, name), `file ${index}`);
    if (index % 10 === 1) await writeFile(path.join(downloads, "Images", name), `collision ${index}`);
    if (index % 10 === 2) await writeFile(path.join(base, "Elsewhere", name), `collision ${index}`);
  }
}

/** The multiset of contents (the trash's info files aside): whatever the outcome, nothing may be lost or duplicated. */
const contents = (snapshot: Record<string, string>) =>
  Object.entries(snapshot)
    .filter(([name]) => !name.startsWith(`.Trash${path.sep}info`))
    .map(([, hash]) => hash)
    .sort();
const sorted = (snapshot: Record<string, string>) => Object.entries(snapshot).sort();

/**
 * `count` kill points over calls 1..total: the very first and the last two always (before anything happened, while
 * closing up), and one at a random place in each of the equal stretches between, so every run tries other points
 * (a failure names its point, to replay it).
 */
function killPoints(total: number, count: number): number[] {
  const points = new Set([1, total - 1, total]);
  const middle = Math.max(1, count - points.size);
  for (let index = 0; index < middle; index += 1) {
    points.add(Math.min(total, Math.max(2, Math.floor(((index + Math.random()) * total) / middle))));
  }
  return [...points].sort((a, b) => a - b);
}

/**
 * Run `mode` to its end once to learn what it leaves and how many changing calls it makes, then again from the
 * same tree killed before each of many of those calls, recovering each time.
 */
async function killEverywhere(
  mode: string,
  fresh: () => Promise<string | undefined>,
  points: number,
  /** Kill points named by call kind ("rm:3": before the third removal), on top of the spread ones. */
  named: readonly string[] = [],
) {
  const source = await fresh();
  const before = await state();
  const full = await run(mode, source === undefined ? {} : { source });
  expect(full.finished).toBe(true);
  const completed = await state();
  expect(contents(completed)).toEqual(contents(before));
  let rolledBack = 0;
  let midway = 0;
  for (const killAt of [...killPoints(full.calls, points), ...named]) {
    const source = await fresh();
    const outcome = await run(mode, { killAt, ...(source === undefined ? {} : { source }) });
    const label = `${mode} killed before change call ${killAt} (of ${full.calls})`;
    expect(outcome.finished, label).toBe(false);
    const interrupted = await state();
    await restart();
    const after = await state();
    expect(contents(after), label).toEqual(contents(before));
    expect(
      Object.keys(after).filter((name) => name.includes(".astros-partial-")),
      label,
    ).toEqual([]);
    // Killed before the commit: rolled back to the start. Killed after it (while closing up): the operation
    // stands, whole. Never anything in between.
    if (JSON.stringify(sorted(after)) === JSON.stringify(sorted(completed))) continue;
    expect(sorted(after), label).toEqual(sorted(before));
    rolledBack += 1;
    if (JSON.stringify(sorted(interrupted)) !== JSON.stringify(sorted(before))) midway += 1;
  }
  return { rolledBack, midway, calls: full.calls };
}

describe.skipIf(!built)("file tools after kill -9", () => {
  const fresh = (count: number) => async () => {
    await rm(base, { recursive: true, force: true });
    await mkdir(base);
    await makeTree(count, path.join(base, "Downloads"));
    return undefined;
  };
  /** A source on another file system: every move there copies, then removes the original. */
  const freshAway = (count: number) => async () => {
    await rm(base, { recursive: true, force: true });
    await mkdir(base);
    // The same folder every round: the trash's info files record the paths.
    away ??= await mkdtemp(path.join(otherDevice, "astros-crash-away-"));
    await rm(path.join(away, "Downloads"), { recursive: true, force: true });
    await makeTree(count, path.join(away, "Downloads"));
    return path.join(away, "Downloads");
  };

  it("rolls back a large organize killed at any of many points, losing and duplicating nothing", async () => {
    const { rolledBack, midway, calls } = await killEverywhere("organize", fresh(1200), 12);
    // 1,200 files are organized in three journal batches: thousands of changing calls to kill before.
    expect(calls).toBeGreaterThan(1200);
    expect(rolledBack).toBeGreaterThanOrEqual(8);
    // Most kills left files half moved, which recovery put back.
    expect(midway).toBeGreaterThanOrEqual(7);
  }, 300_000);

  it("rolls back a large bulk move killed at any of many points, losing and duplicating nothing", async () => {
    const { rolledBack, midway } = await killEverywhere("move", fresh(1200), 8);
    expect(rolledBack).toBeGreaterThanOrEqual(5);
    expect(midway).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it.skipIf(!crossesDevices)(
    "rolls back a move across file systems killed between copying a file and removing its original",
    async () => {
      // Every copy-then-remove has a moment when both the copy and the original exist: killed before removing
      // the first original, the 30th, the last.
      const { rolledBack, midway } = await killEverywhere("move", freshAway(80), 10, ["rm:1", "rm:30", "rm:60"]);
      expect(rolledBack).toBeGreaterThanOrEqual(9);
      expect(midway).toBeGreaterThanOrEqual(8);
    },
    300_000,
  );

  it.skipIf(!crossesDevices)(
    "rolls back moving a whole folder across file systems at any point: its folders made, files moved, emptied folders removed",
    async () => {
      // Killed while a copy and its original both exist, and while the emptied folders are being removed.
      const named = ["rm:1", "rm:40", "rmdir:1", "rmdir:2"];
      const { rolledBack, midway } = await killEverywhere("move-folder", freshAway(80), 10, named);
      expect(rolledBack).toBeGreaterThanOrEqual(10);
      expect(midway).toBeGreaterThanOrEqual(9);
    },
    300_000,
  );

  it.skipIf(!crossesDevices)(
    "rolls back deleting into the trash across file systems at any point, the .trashinfo files included",
    async () => {
      // Killed with a .trashinfo written and its file not there yet, and with both the copy and the original there.
      const named = ["copyFile:1", "copyFile:15", "rm:1", "rm:15"];
      const { rolledBack, midway } = await killEverywhere("delete", freshAway(40), 8, named);
      expect(rolledBack).toBeGreaterThanOrEqual(7);
      expect(midway).toBeGreaterThanOrEqual(6);
    },
    300_000,
  );
});
