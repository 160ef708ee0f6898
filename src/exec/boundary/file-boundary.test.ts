import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { link, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  copyWholeFile,
  entryExists,
  listFolder,
  makeFolders,
  openForReading,
  removeEntry,
  renameEntry,
  writeWholeFile,
} from "./file-boundary.js";
import { pinFolder } from "./pinned-folder.js";
import { startExchangeSwapper } from "./testing/exchange-swapper.js";

/**
 * The file boundary alone: every operation on a real path acts on what that path names with no symbolic link
 * followed on any component, or is refused with nothing done; a hard-linked file is never read; and under a
 * renameat2(RENAME_EXCHANGE) race no byte is read from, or written to, the folder outside.
 */

let base: string;
let root: string;
let outside: string;
const secret = "outside secret bytes";

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-boundary-"));
  root = path.join(base, "root");
  outside = path.join(base, "outside");
  await mkdir(path.join(root, "folder"), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, "notes.txt"), secret);
  await writeFile(path.join(root, "folder", "notes.txt"), "inside");
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function readAll(realPath: string): Promise<string> {
  const { handle } = await openForReading(realPath);
  try {
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

async function outsideState(): Promise<string> {
  const hash = createHash("sha256");
  for (const name of (await readdir(outside)).sort()) hash.update(name).update(await readFile(path.join(outside, name)));
  return hash.digest("hex");
}

describe("the file boundary", () => {
  it("never follows a symbolic link in the middle of a path, for any operation", async () => {
    await symlink(outside, path.join(root, "linked"));
    const through = path.join(root, "linked", "notes.txt");
    const before = await outsideState();
    const refused = { code: "PATH_DENIED", details: { rule: "symlink-escape" } };
    await expect(readAll(through)).rejects.toMatchObject(refused);
    await expect(writeWholeFile(path.join(root, "linked", "new.txt"), Buffer.from("x"), ".partial")).rejects.toMatchObject(
      refused,
    );
    await expect(renameEntry(through, path.join(root, "stolen.txt"))).rejects.toMatchObject(refused);
    await expect(
      renameEntry(path.join(root, "folder", "notes.txt"), path.join(root, "linked", "planted.txt")),
    ).rejects.toMatchObject(refused);
    await expect(removeEntry(through)).rejects.toMatchObject(refused);
    await expect(listFolder(path.join(root, "linked"))).rejects.toMatchObject(refused);
    await expect(entryExists(through)).rejects.toMatchObject(refused);
    await expect(makeFolders(path.join(root, "linked", "deeper"))).rejects.toMatchObject(refused);
    expect(await outsideState()).toBe(before);
    expect(existsSync(path.join(root, "stolen.txt"))).toBe(false);
  });

  it("never reads through a symbolic link as the last name, and moves or removes the link itself", async () => {
    const linkPath = path.join(root, "notes-link.txt");
    await symlink(path.join(outside, "notes.txt"), linkPath);
    await expect(readAll(linkPath)).rejects.toMatchObject({ code: "PATH_DENIED" });
    await expect(copyWholeFile(linkPath, path.join(root, "copy.txt"), ".partial")).rejects.toMatchObject({ code: "PATH_DENIED" });
    await renameEntry(linkPath, path.join(root, "moved-link.txt"));
    expect((await lstat(path.join(root, "moved-link.txt"))).isSymbolicLink()).toBe(true);
    await removeEntry(path.join(root, "moved-link.txt"));
    expect(await readFile(path.join(outside, "notes.txt"), "utf8")).toBe(secret);
  });

  it("never reads a file that has another name (a hard link to a file outside the root), with a clear error", async () => {
    const linked = path.join(root, "hard.txt");
    await link(path.join(outside, "notes.txt"), linked);
    await expect(readAll(linked)).rejects.toMatchObject({
      code: "PATH_DENIED",
      details: { rule: "hard-link", links: 2 },
      message: expect.stringContaining("hard links"),
    });
    await expect(copyWholeFile(linked, path.join(root, "copy.txt"), ".partial")).rejects.toMatchObject({ code: "PATH_DENIED" });
    expect(existsSync(path.join(root, "copy.txt"))).toBe(false);
  });

  it("writes through a temporary file created in the same open folder, leaving no partial file", async () => {
    const target = path.join(root, "folder", "written.txt");
    await writeWholeFile(target, Buffer.from("whole"), ".written.partial");
    expect(await readFile(target, "utf8")).toBe("whole");
    expect(await readdir(path.join(root, "folder"))).toEqual(["notes.txt", "written.txt"]);
    // The temporary name is created exclusively: a link planted there is never written through.
    await symlink(path.join(outside, "planted.txt"), path.join(root, "folder", ".again.partial"));
    await expect(writeWholeFile(target, Buffer.from("again"), ".again.partial")).rejects.toMatchObject({ code: "EEXIST" });
    expect(existsSync(path.join(outside, "planted.txt"))).toBe(false);
  });

  it("keeps acting on the folder it opened when the folder's name is swapped for a link afterwards", async () => {
    const folder = pinFolder(path.join(root, "folder"));
    try {
      await rename(path.join(root, "folder"), path.join(root, "moved"));
      await symlink(outside, path.join(root, "folder"));
      expect(await readFile(folder.entry("notes.txt"), "utf8")).toBe("inside");
    } finally {
      folder.close();
    }
  });

  it("tells a missing file by its real path, never a /proc path", async () => {
    const missing = path.join(root, "folder", "missing.txt");
    await expect(readAll(missing)).rejects.toMatchObject({ code: "ENOENT", path: missing });
  });
});

describe("the file boundary under a renameat2 race", () => {
  const rounds = Number(process.env.ASTROS_RACE_ROUNDS ?? 1000);

  it("never reads a byte from outside when a parent folder is swapped with a link to it, 1,000 times", async () => {
    await symlink(outside, path.join(root, "folder.swap"));
    const swapper = await startExchangeSwapper({ first: path.join(root, "folder"), second: path.join(root, "folder.swap") });
    let read = 0;
    let refused = 0;
    let leaked = 0;
    try {
      for (let index = 0; index < rounds; index++) {
        try {
          const text = await readAll(path.join(root, "folder", "notes.txt"));
          read += 1;
          if (text.includes("secret")) leaked += 1;
        } catch {
          refused += 1;
        }
      }
    } finally {
      expect(await swapper.stop()).toBeGreaterThan(0);
    }
    expect(refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(read).toBeGreaterThan(0);
    expect(leaked).toBe(0);
  });

  it("never writes a byte outside when a parent folder is swapped with a link to it, 1,000 times", async () => {
    await symlink(outside, path.join(root, "folder.swap"));
    const before = await outsideState();
    const swapper = await startExchangeSwapper({ first: path.join(root, "folder"), second: path.join(root, "folder.swap") });
    let written = 0;
    let refused = 0;
    try {
      for (let index = 0; index < rounds; index++) {
        try {
          await writeWholeFile(path.join(root, "folder", `new-${index}.txt`), Buffer.from("new"), `.new-${index}.partial`);
          written += 1;
        } catch {
          refused += 1;
        }
      }
    } finally {
      await swapper.stop();
    }
    expect(refused, "the race never hit: the test proves nothing").toBeGreaterThan(0);
    expect(written).toBeGreaterThan(0);
    expect(await outsideState()).toBe(before);
  });
});
