import { chmod, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileManager } from "../file-manager.js";
import { FileJournal } from "./file-journal.js";

let base: string;
let root: string;
let journal: FileJournal;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-chmod-"));
  root = path.join(base, "tree");
  journal = new FileJournal(path.join(base, "journal"));
  await mkdir(root);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function manager(): FileManager {
  return new FileManager({
    journal,
    operation: { userId: "ann", sessionId: "s1", tool: "permissions.change", description: "chmod" },
    resolve: async (input) => path.resolve(root, input),
    trashDirectory: path.join(base, "Trash"),
  });
}

const modeOf = async (name: string) => (await lstat(path.join(root, name))).mode & 0o7777;

describe("permission changes in the journal", () => {
  it("sets the bits and undo puts the old ones back", async () => {
    await writeFile(path.join(root, "backup.sh"), "#!/bin/sh\n");
    await chmod(path.join(root, "backup.sh"), 0o644);
    const files = manager();
    const result = await files.setMode("backup.sh", 0o755);
    const id = await files.finish();
    expect(result).toMatchObject({ previousMode: 0o644, mode: 0o755 });
    expect(await modeOf("backup.sh")).toBe(0o755);
    const undone = await journal.undo(id ?? "", { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
    expect(undone.problems).toEqual([]);
    expect(await modeOf("backup.sh")).toBe(0o644);
  });

  it("changes a file nobody may read (mode 000) without opening it for reading", async () => {
    await writeFile(path.join(root, "locked.txt"), "x");
    await chmod(path.join(root, "locked.txt"), 0o000);
    const files = manager();
    await files.setMode("locked.txt", 0o600);
    await files.finish();
    expect(await modeOf("locked.txt")).toBe(0o600);
  });

  it("leaves bits that changed after it alone when undoing, and says so", async () => {
    await writeFile(path.join(root, "notes.txt"), "x");
    await chmod(path.join(root, "notes.txt"), 0o644);
    const files = manager();
    await files.setMode("notes.txt", 0o600);
    const id = await files.finish();
    await chmod(path.join(root, "notes.txt"), 0o640);
    const undone = await journal.undo(id ?? "", { userId: "ann", sessionId: "s1", tool: "files.undo", description: "undo" });
    expect(undone.problems.join()).toMatch(/changed since/);
    expect(await modeOf("notes.txt")).toBe(0o640);
  });

  it("refuses a link at the name instead of changing what it points to", async () => {
    await writeFile(path.join(base, "outside.txt"), "x");
    await chmod(path.join(base, "outside.txt"), 0o644);
    await symlink(path.join(base, "outside.txt"), path.join(root, "link.txt"));
    const files = new FileManager({
      journal,
      operation: { userId: "ann", sessionId: "s1", tool: "permissions.change", description: "chmod" },
      // A path guard that did not resolve the link (it was swapped in after the check).
      resolve: async (input) => path.join(root, input),
      trashDirectory: path.join(base, "Trash"),
    });
    await expect(files.setMode("link.txt", 0o600)).rejects.toThrow();
    expect((await lstat(path.join(base, "outside.txt"))).mode & 0o7777).toBe(0o644);
  });
});
