import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * kill -9 during a large organize and a large move, at many points: the next start rolls the
 * interrupted operation back, and every time the tree is exactly what it was (nothing lost, nothing
 * duplicated, no stray temp files).
 */
const worker = fileURLToPath(new URL("../../../test/fixtures/organize-worker.mjs", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../../../dist/index.js", import.meta.url)));

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-crash-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function run(mode: string, killAfter?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, base, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfter !== undefined && output.includes("ready")) setTimeout(() => child.kill("SIGKILL"), killAfter);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`worker failed (${code}): ${errors}`));
      else resolve(output);
    });
  });
}

/** Every file under the base (journal and trash aside): relative path → content hash. */
async function tree(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (current === base && entry.name.startsWith(".")) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else
        result[path.relative(base, full)] = createHash("sha256")
          .update(await readFile(full))
          .digest("hex");
    }
  };
  await walk(base);
  return result;
}

async function makeTree(count: number): Promise<void> {
  const root = path.join(base, "Downloads");
  await mkdir(path.join(root, "Images"), { recursive: true });
  await mkdir(path.join(base, "Elsewhere"), { recursive: true });
  const extensions = ["txt", "jpg", "pdf", "mp3"];
  for (let index = 0; index < count; index += 1) {
    const name = `f${index % 50}-${index}.${extensions[index % 4]}`;
    await writeFile(path.join(root, name), `file ${index}`);
    if (index % 10 === 1) await writeFile(path.join(root, "Images", name), `collision ${index}`);
    if (index % 10 === 2) await writeFile(path.join(base, "Elsewhere", name), `collision ${index}`);
  }
}

/** The multiset of contents: whatever the outcome, nothing may be lost or duplicated. */
const contents = (snapshot: Record<string, string>) => Object.values(snapshot).sort();
const same = (a: Record<string, string>, b: Record<string, string> | undefined) =>
  b !== undefined && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

describe.skipIf(!built)("file tools after kill -9", () => {
  it("finishes or rolls back an interrupted organize or bulk move at every kill point, losing and duplicating nothing", async () => {
    // What each operation leaves when it runs to the end, on the same starting tree.
    const completed: Record<string, Record<string, string>> = {};
    for (const mode of ["organize", "move"]) {
      await rm(base, { recursive: true, force: true });
      await mkdir(base);
      await makeTree(400);
      expect(await run(mode)).toContain("done");
      completed[mode] = await tree();
    }
    let rolledBack = 0;
    for (const [round, delay] of [30, 60, 90, 120, 150, 190, 240, 300].entries()) {
      await rm(base, { recursive: true, force: true });
      await mkdir(base);
      await makeTree(400);
      const before = await tree();
      const mode = round % 2 === 0 ? "organize" : "move";
      const output = await run(mode, delay);
      if (output.includes("done")) continue;
      await run("recover");
      const after = await tree();
      const label = `${mode} killed after ${delay} ms`;
      expect(contents(after), label).toEqual(contents(before));
      // Killed before the operation was committed: rolled back to the start. Killed after the commit (while
      // answering): the operation stands, whole. Never anything in between.
      if (same(after, completed[mode])) continue;
      expect(after, label).toEqual(before);
      rolledBack += 1;
    }
    expect(rolledBack).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
