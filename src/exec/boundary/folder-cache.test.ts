import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { entryExists, makeFolder, renameEntry, writeWholeFile } from "./file-boundary.js";
import { withFolderCache } from "./folder-cache.js";

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-folder-cache-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("the folder cache of a bulk operation", () => {
  it("sees a folder the operation made after finding it missing", async () => {
    await withFolderCache(async () => {
      expect(await entryExists(path.join(base, "made", "a.txt"))).toBe(false);
      await makeFolder(path.join(base, "made"));
      await writeWholeFile(path.join(base, "made", "a.txt"), Buffer.from("a"), ".a.partial");
      expect(await entryExists(path.join(base, "made", "a.txt"))).toBe(true);
    });
    expect(await readFile(path.join(base, "made", "a.txt"), "utf8")).toBe("a");
  });

  it("never acts in a folder by its old name after the operation renamed it", async () => {
    await mkdir(path.join(base, "old"));
    await writeFile(path.join(base, "old", "a.txt"), "a");
    await withFolderCache(async () => {
      expect(await entryExists(path.join(base, "old", "a.txt"))).toBe(true);
      await renameEntry(path.join(base, "old"), path.join(base, "new"));
      await makeFolder(path.join(base, "old"));
      expect(await entryExists(path.join(base, "old", "a.txt"))).toBe(false);
      expect(await entryExists(path.join(base, "new", "a.txt"))).toBe(true);
    });
  });
});
