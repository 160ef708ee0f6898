import { randomBytes } from "node:crypto";
import { link, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { xxhash64 } from "hash-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import { createFileScanTools } from "./file-scan-plugin.js";
import type { DuplicateGroup } from "./find-duplicates.js";
import { findDuplicates } from "./find-duplicates.js";

let root: string;
let outside: string;
let scan: ToolAgent;
const kib = 1024;
const photo = randomBytes(3000);
const large = randomBytes(300 * kib);

async function put(relative: string, content: Buffer | string, modified?: Date) {
  const target = path.join(root, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  if (modified !== undefined) await utimes(target, modified, modified);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-duplicates-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "astros-duplicates-outside-"));
  // Three copies of a photo (oldest in backup/, newest in photos/) and a hard link to one of them.
  await put("a.jpg", photo, new Date(2025, 5, 1));
  await put("photos/a-copy.jpg", photo, new Date(2026, 0, 1));
  await put("backup/a", photo, new Date(2024, 0, 1));
  await link(path.join(root, "photos/a-copy.jpg"), path.join(root, "photos/a-link.jpg"));
  // Same size as the photo, different content.
  await put("b.jpg", randomBytes(3000));
  // Two copies of a large file, and a file of the same size with the same first and last 64 KB but not the same middle.
  await put("large/one.bin", large);
  await put("large/two.bin", large);
  const twin = Buffer.from(large);
  twin[150 * kib] = (twin[150 * kib] ?? 0) ^ 0xff;
  await put("large/twin.bin", twin);
  // One file under two names: not a duplicate.
  await put("c.dat", randomBytes(500));
  await link(path.join(root, "c.dat"), path.join(root, "c-link.dat"));
  // Empty files, and a hidden copy.
  await put("empty-1", "");
  await put("empty-2", "");
  await put(".cache/a.jpg", photo);
  scan = await startToolAgent({ root, plugins: [createFileScanTools()], pluginTimeout: 60 });
});

afterAll(async () => {
  await scan.stop();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const relative = (paths: readonly string[]) => paths.map((item) => path.relative(root, item));

async function groupsOf(args: Record<string, unknown>) {
  const response = await scan.call("files.duplicates", args);
  expect(response.success, response.message).toBe(true);
  return { response, groups: response.data?.groups as DuplicateGroup[] };
}

describe("files.duplicates", () => {
  it("finds exactly the groups of identical files, most reclaimable first, with the exact bytes to reclaim", async () => {
    const { response, groups } = await groupsOf({});
    expect(groups.map((group) => relative(group.files.map((file) => file.path)))).toEqual([
      ["large/one.bin", "large/two.bin"],
      ["backup/a", "a.jpg", "photos/a-copy.jpg"],
    ]);
    expect(groups.map((group) => group.reclaimable)).toEqual([300 * kib, 2 * 3000]);
    expect(response.data).toMatchObject({ reclaimable: 300 * kib + 6000, duplicateFiles: 3, hardLinks: 2, keepRule: "oldest" });
    expect(groups.map((group) => group.hash)).toEqual([`xxhash64:${await xxhash64(large)}`, `xxhash64:${await xxhash64(photo)}`]);
    expect(response.message).toMatch(/Found 2 groups of duplicate files .*3 copies that would free 306 KB \(keeping the oldest/);
  });

  it("counts hard links as one file: listed with it, removed with it, never a duplicate of it", async () => {
    const { groups } = await groupsOf({});
    const photos = groups[1];
    expect(photos?.files.find((file) => file.path.endsWith("a-copy.jpg"))?.links).toEqual([path.join(root, "photos/a-link.jpg")]);
    expect(relative(photos?.remove ?? [])).toEqual(["a.jpg", "photos/a-copy.jpg", "photos/a-link.jpg"]);
    const all = groups.flatMap((group) => group.files.map((file) => file.path));
    expect(all.some((file) => file.includes("c.dat") || file.includes("c-link.dat"))).toBe(false);
  });

  it("suggests a keeper in each group by rule: oldest, newest or shortest path", async () => {
    const keeperOf = async (keep: string) => relative([(await groupsOf({ keep })).groups[1]?.keep ?? ""])[0];
    expect(await keeperOf("oldest")).toBe("backup/a");
    expect(await keeperOf("newest")).toBe("photos/a-copy.jpg");
    expect(await keeperOf("shortestPath")).toBe("a.jpg");
    const { groups } = await groupsOf({ keep: "newest" });
    expect(relative(groups[1]?.remove ?? [])).toEqual(["a.jpg", "backup/a"]);
  });

  it("narrows by extension, kind, size and hidden files", async () => {
    const byExtension = await groupsOf({ ext: ["jpg"] });
    expect(byExtension.groups.map((group) => relative(group.files.map((file) => file.path)))).toEqual([
      ["a.jpg", "photos/a-copy.jpg"],
    ]);
    expect((await groupsOf({ kind: "image", hidden: true })).groups.map((group) => group.files.length)).toEqual([3]);
    expect((await groupsOf({ minSize: 4000 })).groups).toHaveLength(1);
    const withHidden = await groupsOf({ hidden: true });
    expect(relative(withHidden.groups[1]?.files.map((file) => file.path) ?? [])).toContain(".cache/a.jpg");
    expect(withHidden.response.data?.reclaimable).toBe(300 * kib + 3 * 3000);
  });

  it("reports no duplicates where there are none, and refuses a folder outside the allowed roots", async () => {
    const { response, groups } = await groupsOf({ path: "large", minSize: 400 * kib });
    expect(groups).toEqual([]);
    expect(response.message).toMatch(/^No duplicate files in /);
    const refused = await scan.call("files.duplicates", { path: outside });
    expect(refused.metadata.error?.code).toBe("PATH_DENIED");
  });
});

describe("findDuplicates", () => {
  it("stops when its signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(findDuplicates({ root, signal: controller.signal })).rejects.toThrow("stop");
  });
});

describe("files.duplicates with action trash", () => {
  it("keeps one per group, trashes the rest only after a yes, and undo brings them back", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "astros-dedupe-"));
    const agent = await startToolAgent({ root: folder, plugins: [createFileScanTools()], pluginTimeout: 60 });
    try {
      const bytes = randomBytes(5000);
      await writeFile(path.join(folder, "keep.jpg"), bytes);
      await utimes(path.join(folder, "keep.jpg"), new Date(2020, 0, 1), new Date(2020, 0, 1));
      await writeFile(path.join(folder, "copy 1.jpg"), bytes);
      await writeFile(path.join(folder, "copy 2.jpg"), bytes);
      await writeFile(path.join(folder, "other.jpg"), randomBytes(5000));

      const refused = await agent.call("files.duplicates", { path: folder, action: "trash" });
      expect(refused.success).toBe(false);
      expect((await readdir(folder)).sort()).toEqual(["copy 1.jpg", "copy 2.jpg", "keep.jpg", "other.jpg"]);

      const asked: string[] = [];
      const done = await agent.call(
        "files.duplicates",
        { path: folder, action: "trash" },
        {
          confirm: async (request) => {
            asked.push(request.summary ?? "");
            return true;
          },
        },
      );
      expect(done.success, done.message).toBe(true);
      expect(asked[0]).toMatch(/^move 2 duplicate copies under .* to the trash, keeping one of each/);
      // Which copies go and which stays, shown before the yes and said after.
      const copies = [`    trash ${path.join(folder, "copy 1.jpg")}`, `    trash ${path.join(folder, "copy 2.jpg")}`];
      expect(asked[0]?.split("\n").slice(1)).toEqual([`  keep ${path.join(folder, "keep.jpg")}`, ...copies]);
      expect((await readdir(folder)).sort()).toEqual(["keep.jpg", "other.jpg"]);
      expect(done.data?.trashed).toHaveLength(2);
      expect(done.message.split("\n").slice(1)).toEqual([
        `  kept ${path.join(folder, "keep.jpg")}`,
        ...copies.map((line) => line.replace("trash", "trashed")),
      ]);

      const undone = await agent.call("files.undo", {}, { confirm: async () => true });
      expect(undone.success, undone.message).toBe(true);
      expect((await readdir(folder)).sort()).toEqual(["copy 1.jpg", "copy 2.jpg", "keep.jpg", "other.jpg"]);
    } finally {
      await agent.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("compares bytes before trashing: a copy that changed since the scan stays", async () => {
    const { sameBytes } = await import("./same-bytes.js");
    const folder = await mkdtemp(path.join(os.tmpdir(), "astros-same-bytes-"));
    try {
      const bytes = randomBytes(3 * 1024 * 1024);
      await writeFile(path.join(folder, "a"), bytes);
      await writeFile(path.join(folder, "b"), bytes);
      const changed = Buffer.from(bytes);
      changed[2 * 1024 * 1024 + 7] = (changed[2 * 1024 * 1024 + 7] ?? 0) ^ 1;
      await writeFile(path.join(folder, "c"), changed);
      expect(await sameBytes(path.join(folder, "a"), path.join(folder, "b"))).toBe(true);
      expect(await sameBytes(path.join(folder, "a"), path.join(folder, "c"))).toBe(false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
