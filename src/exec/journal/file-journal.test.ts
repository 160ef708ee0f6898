import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileManager } from "../file-manager.js";
import { FileJournal } from "./file-journal.js";

let base: string;
let root: string;
let journal: FileJournal;
let trash: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-journal-"));
  root = path.join(base, "tree");
  trash = path.join(base, "Trash");
  journal = new FileJournal(path.join(base, "journal"));
  await mkdir(root);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function manager(description = "test", tool = "files.organize"): FileManager {
  return new FileManager({
    journal,
    operation: { userId: "ann", sessionId: "s1", tool, description },
    resolve: async (input) => path.resolve(root, input),
    trashDirectory: trash,
  });
}

/**
 * Every file and folder under a folder: relative path → sha256 of the bytes, mode and mtime (folders: "dir", links:
 * where they point).
 */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const relative = path.relative(folder, full);
      if (entry.isDirectory()) {
        result[relative] = "dir";
        await walk(full);
      } else if (entry.isSymbolicLink()) {
        result[relative] = `link to ${await readlink(full)}`;
      } else {
        const info = await lstat(full, { bigint: true });
        const hash = createHash("sha256")
          .update(await readFile(full))
          .digest("hex");
        // Modification times to the microsecond: as finely as a copy can set them.
        result[relative] = `${hash} ${info.mode.toString(8)} ${info.mtimeNs / 1000n}`;
      }
    }
  };
  await walk(folder);
  return result;
}

/** The multiset of file contents (hashes) under a folder: nothing lost, nothing duplicated. */
async function contents(folder: string): Promise<string[]> {
  return Object.values(await snapshot(folder))
    .filter((value) => value !== "dir")
    .map((value) => value.split(" ")[0] ?? "")
    .sort();
}

/** A tree full of name collisions: the same names at the top and already inside the target folders. */
async function collidingTree(count: number): Promise<void> {
  await mkdir(path.join(root, "txt"));
  await mkdir(path.join(root, "jpg"));
  for (let index = 0; index < count; index += 1) {
    const extension = index % 2 === 0 ? "txt" : "jpg";
    const name = `file-${index % 5}-${index}.${extension}`;
    await writeFile(path.join(root, name), `content ${index}\n`);
    await utimes(path.join(root, name), new Date(2020, 0, 1 + index), new Date(2020, 0, 1 + index));
    if (index % 4 === 0) await writeFile(path.join(root, extension, name), `older ${index}\n`);
  }
  await writeFile(path.join(root, "txt", "file-0-0 (1).txt"), "a name the collision rule would pick first\n");
}

describe("the file journal", () => {
  it("lists operations newest first, in the order they began, even many within one second", async () => {
    const begun: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const operation = await journal.begin({ userId: "ann", sessionId: "s1", tool: "files.move", description: `${index}` });
      await operation.commit();
      begun.push(operation.id);
    }
    expect((await journal.list()).map((operation) => operation.id)).toEqual(begun.reverse());
  });

  it("moves a tree full of name collisions without losing or overwriting a byte, and undo restores it exactly", async () => {
    await collidingTree(40);
    const before = await snapshot(root);
    const beforeContents = await contents(root);
    const files = manager("sort by type");
    const collisions: string[] = [];
    for (const entry of await readdir(root, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const moved = await files.moveFile(entry.name, path.extname(entry.name).slice(1));
      if (moved.collision) collisions.push(moved.path);
    }
    const id = await files.finish();
    expect(id).toBeDefined();
    expect(collisions.length).toBeGreaterThanOrEqual(10);
    expect(collisions.some((name) => name.endsWith("file-0-0 (2).txt"))).toBe(true);
    expect(await contents(root)).toEqual(beforeContents);

    const [last] = await journal.list();
    expect(last).toMatchObject({ id, state: "committed", changes: 40, tool: "files.organize" });
    const undo = await journal.undo(id as string, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
    expect(undo.problems).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
    expect((await journal.summary(id as string))?.state).toBe("undone");
  });

  it("keeps what a write replaces and undo puts the old bytes back; a new file is taken away again", async () => {
    await writeFile(path.join(root, "notes.txt"), "first version\n");
    const before = await snapshot(root);
    const files = manager();
    await files.writeFile("notes.txt", "second version\n");
    await files.writeFile("deep/new/file.txt", "brand new\n");
    const id = (await files.finish()) as string;
    expect(await readFile(path.join(root, "notes.txt"), "utf8")).toBe("second version\n");
    await journal.undo(id, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
    expect(await snapshot(root)).toEqual(before);
  });

  it("deletes into the freedesktop trash with a .trashinfo, and undo brings the file back", async () => {
    await writeFile(path.join(root, "old report.pdf"), "%PDF bytes");
    await mkdir(path.join(trash, "files"), { recursive: true });
    await writeFile(path.join(trash, "files", "old report.pdf"), "someone else's trashed file");
    const before = await snapshot(root);
    const files = manager();
    const { trashPath } = await files.deleteFile("old report.pdf");
    const id = (await files.finish()) as string;
    expect(existsSync(path.join(root, "old report.pdf"))).toBe(false);
    expect(path.basename(trashPath)).toBe("old report (1).pdf");
    const info = await readFile(path.join(trash, "info", "old report (1).pdf.trashinfo"), "utf8");
    expect(info).toMatch(/^\[Trash Info\]\nPath=.*\/old%20report\.pdf\nDeletionDate=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n$/);
    await journal.undo(id, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
    expect(await snapshot(root)).toEqual(before);
    expect(existsSync(path.join(trash, "info", "old report (1).pdf.trashinfo"))).toBe(false);
  });

  it("trashes under a name that neither a trashed file nor a leftover .trashinfo holds", async () => {
    await writeFile(path.join(root, "notes.txt"), "mine");
    await mkdir(path.join(trash, "files"), { recursive: true });
    await mkdir(path.join(trash, "info"), { recursive: true });
    // Info files whose files are gone (another program emptied them badly): their names are still taken.
    await writeFile(path.join(trash, "info", "notes.txt.trashinfo"), "[Trash Info]\nPath=/elsewhere/notes.txt\n");
    await writeFile(path.join(trash, "info", "notes (1).txt.trashinfo"), "[Trash Info]\nPath=/elsewhere/notes.txt\n");
    await writeFile(path.join(trash, "files", "notes (2).txt"), "someone else's");
    const files = manager();
    const { trashPath } = await files.deleteFile("notes.txt");
    await files.finish();
    expect(path.basename(trashPath)).toBe("notes (3).txt");
    expect(await readFile(trashPath, "utf8")).toBe("mine");
    expect(await readFile(path.join(trash, "info", "notes.txt.trashinfo"), "utf8")).toContain("/elsewhere/notes.txt");
  });

  it("copies a file into its own folder beside it, under a free name ('duplicate report.docx')", async () => {
    await writeFile(path.join(root, "report.docx"), "the report");
    const files = manager();
    const copy = await files.copyFile("report.docx", root);
    await files.finish();
    expect(path.basename(copy.path)).toBe("report (1).docx");
    expect(await readFile(copy.path, "utf8")).toBe("the report");
    expect(await readFile(path.join(root, "report.docx"), "utf8")).toBe("the report");
  });

  it("undoes a copy by setting the copy aside, and leaves a copy that was changed since", async () => {
    await writeFile(path.join(root, "a.txt"), "a");
    const files = manager();
    await files.copyFile("a.txt", "b.txt");
    await files.copyFile("a.txt", "c.txt");
    const id = (await files.finish()) as string;
    await writeFile(path.join(root, "c.txt"), "edited by the user");
    const undo = await journal.undo(id, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
    expect(existsSync(path.join(root, "b.txt"))).toBe(false);
    expect(await readFile(path.join(root, "c.txt"), "utf8")).toBe("edited by the user");
    expect(undo.problems).toEqual([expect.stringContaining("c.txt changed since it was copied")]);
  });
});

/** A folder on another file system than the temp folder (tmpfs), where moves must copy. */
const otherDevice = "/dev/shm";
const crossesDevices = existsSync(otherDevice) && statSync(otherDevice).dev !== statSync(os.tmpdir()).dev;

describe.skipIf(!crossesDevices)("moves across file systems", () => {
  it("copies then removes (EXDEV), keeping bytes and timestamps, and undo moves it back", async () => {
    const away = await mkdtemp(path.join(otherDevice, "astros-exdev-"));
    try {
      const source = path.join(away, "big.bin");
      const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
      await writeFile(source, bytes);
      await utimes(source, new Date(2021, 3, 4), new Date(2021, 3, 4));
      const files = manager("across", "files.move");
      const moved = await files.moveFile(source, root);
      const id = (await files.finish()) as string;
      expect(existsSync(source)).toBe(false);
      expect((await readFile(moved.path)).equals(bytes)).toBe(true);
      expect((await lstat(moved.path)).mtime.getTime()).toBe(new Date(2021, 3, 4).getTime());
      await journal.undo(id, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
      expect((await readFile(source)).equals(bytes)).toBe(true);
      expect(existsSync(moved.path)).toBe(false);
    } finally {
      await rm(away, { recursive: true, force: true });
    }
  });

  it("moves a folder across file systems with everything in it, and undo puts it back exactly", async () => {
    const away = await mkdtemp(path.join(otherDevice, "astros-exdev-"));
    try {
      const source = path.join(away, "project");
      await mkdir(path.join(source, "src", "deep"), { recursive: true });
      await mkdir(path.join(source, "empty"));
      await writeFile(path.join(source, "README.md"), "read me");
      await writeFile(path.join(source, "src", "deep", "data.bin"), Buffer.alloc(200_000, 3));
      await utimes(path.join(source, "README.md"), new Date(2022, 1, 2), new Date(2022, 1, 2));
      await symlink("../README.md", path.join(source, "src", "readme-link"));
      await mkdir(path.join(root, "project"));
      const before = await snapshot(away);
      const rootBefore = await snapshot(root);
      const files = manager("across");
      const moved = await files.moveFile(source, root);
      const id = (await files.finish()) as string;
      expect(moved).toEqual({ path: path.join(root, "project (1)"), collision: true });
      expect(existsSync(source)).toBe(false);
      const inside = Object.entries(before).filter(([name]) => name !== "project");
      expect(await snapshot(moved.path)).toEqual(
        Object.fromEntries(inside.map(([name, value]) => [path.relative("project", name), value])),
      );
      await journal.undo(id, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
      expect(await snapshot(away)).toEqual(before);
      expect(await snapshot(root)).toEqual(rootBefore);
    } finally {
      await rm(away, { recursive: true, force: true });
    }
  });

  it("moves a symbolic link across file systems as a link, never as a copy of what it points to", async () => {
    const away = await mkdtemp(path.join(otherDevice, "astros-exdev-"));
    try {
      await writeFile(path.join(base, "secret.txt"), "not to be copied");
      const source = path.join(away, "shortcut");
      await symlink(path.join(base, "secret.txt"), source);
      const files = manager("across", "files.move");
      const moved = await files.moveFile(source, root);
      const id = (await files.finish()) as string;
      expect(existsSync(source)).toBe(false);
      expect(await readlink(moved.path)).toBe(path.join(base, "secret.txt"));
      await journal.undo(id, { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
      expect(await readlink(source)).toBe(path.join(base, "secret.txt"));
      expect(existsSync(moved.path)).toBe(false);
    } finally {
      await rm(away, { recursive: true, force: true });
    }
  });
});

const worker = fileURLToPath(new URL("../../../test/fixtures/journal-worker.mjs", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../../../dist/exec/file-manager.js", import.meta.url)));

/** Start the worker and SIGKILL it after `delay` ms (or let it finish when delay is undefined). */
function runWorker(mode: string, delay: number | undefined): Promise<{ finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, root, path.join(base, "journal"), trash, mode], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (delay !== undefined && output.includes("ready")) setTimeout(() => child.kill("SIGKILL"), delay);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 && code !== null) reject(new Error(`worker failed: ${stderr}`));
      else resolve({ finished: output.includes("done") });
    });
  });
}

describe.skipIf(!built)("the file journal after kill -9", () => {
  it("rolls back an operation killed before its commit, keeps one killed after: nothing lost, nothing duplicated", async () => {
    const fresh = async () => {
      await rm(root, { recursive: true, force: true });
      await rm(trash, { recursive: true, force: true });
      await rm(path.join(base, "journal"), { recursive: true, force: true });
      await mkdir(root);
      // Enough files that most of the kill delays below land while the operation is under way, even on a fast disk.
      await collidingTree(150);
    };
    // What each mode leaves when it runs to the end.
    const completed: Record<string, Record<string, string>> = {};
    for (const mode of ["move", "mixed"]) {
      await fresh();
      expect((await runWorker(mode, undefined)).finished).toBe(true);
      completed[mode] = await snapshot(root);
    }
    let rolledBack = 0;
    for (const [round, delay] of [0, 3, 8, 15, 25, 40, 60, 90, 130, 200].entries()) {
      await fresh();
      const before = await snapshot(root);
      const beforeContents = await contents(root);
      const mode = round % 2 === 0 ? "move" : "mixed";
      const { finished } = await runWorker(mode, delay);
      if (finished) continue;
      const recovered = await journal.recover();
      expect(recovered.flatMap((entry) => entry.problems)).toEqual([]);
      const after = await snapshot(root);
      if (recovered.length === 0) {
        // Nothing was open: killed before the operation began (nothing changed), or after its commit
        // (while reporting: the operation stands, whole).
        const sorted = (tree: Record<string, string>) => JSON.stringify(Object.entries(tree).sort());
        if (sorted(after) === sorted(before)) continue;
        // The finished operation wrote its summary file anew, with a time of its own: names and bytes compared.
        const bytes = (tree: Record<string, string> = {}) =>
          Object.fromEntries(Object.entries(tree).map(([name, value]) => [name, value.split(" ")[0]]));
        expect(bytes(after), `killed after ${delay} ms (${mode}), nothing open`).toEqual(bytes(completed[mode]));
        continue;
      }
      rolledBack += 1;
      expect(after, `killed after ${delay} ms (${mode})`).toEqual(before);
      expect(await contents(root)).toEqual(beforeContents);
      // The trash holds nothing of ours once rolled back: no file, no .trashinfo.
      if (existsSync(path.join(trash, "files"))) expect(await readdir(path.join(trash, "files"))).toEqual([]);
      if (existsSync(path.join(trash, "info"))) expect(await readdir(path.join(trash, "info"))).toEqual([]);
    }
    // Most rounds were really interrupted mid-way.
    expect(rolledBack).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
