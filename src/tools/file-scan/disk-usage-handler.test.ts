import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, mkdtemp, readdir, rm, symlink, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import type { FolderUsage, UsageEntry } from "./disk-usage.js";
import { createFileScanTools } from "./file-scan-plugin.js";

let root: string;
let outside: string;
let scan: ToolAgent;
const kib = 1024;

async function put(relative: string, size: number) {
  const target = path.join(root, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, randomBytes(size));
}

/** Apparent bytes of every folder under (and including) `folder`: what `du --apparent-size` adds for them. */
async function folderBytes(folder: string): Promise<number> {
  let total = (await lstat(folder)).size;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) total += await folderBytes(path.join(folder, entry.name));
  }
  return total;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-usage-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "astros-usage-outside-"));
  await put("videos/holiday.mp4", 600 * kib);
  await put("videos/clips/one.mp4", 200 * kib);
  await put("videos/clips/two.mp4", 100 * kib);
  await put("music/song.mp3", 320 * kib);
  await put("notes/todo.txt", 5 * kib);
  await put(".cache/blob", 50 * kib);
  await put("big.iso", 700 * kib);
  // The same 600 KB file under a second name: it takes its space once, counted at the name that sorts first.
  await mkdir(path.join(root, "links"));
  await link(path.join(root, "videos/holiday.mp4"), path.join(root, "links/holiday-again.mp4"));
  // A symlink to a big folder elsewhere: not followed.
  await writeFile(path.join(outside, "huge.bin"), randomBytes(900 * kib));
  await symlink(outside, path.join(root, "elsewhere"));
  scan = await startToolAgent({ root, plugins: [createFileScanTools()], pluginTimeout: 60 });
});

afterAll(async () => {
  await scan.stop();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("files.disk_usage", () => {
  it("lists the folder's own subfolders sized with all they hold, and the biggest files, biggest first, hidden ones included", async () => {
    const response = await scan.call("files.disk_usage", {});
    expect(response.success, response.message).toBe(true);
    const folders = response.data?.largestFolders as FolderUsage[];
    const files = response.data?.largestFiles as UsageEntry[];
    expect(folders.map((folder) => path.relative(root, folder.path))).toEqual(["links", "music", "videos", ".cache", "notes"]);
    expect(folders[2]).toMatchObject({ files: 2 });
    expect(files.map((file) => [path.relative(root, file.path), file.apparent])).toEqual([
      ["big.iso", 700 * kib],
      ["links/holiday-again.mp4", 600 * kib],
      ["music/song.mp3", 320 * kib],
      ["videos/clips/one.mp4", 200 * kib],
      ["videos/clips/two.mp4", 100 * kib],
      [".cache/blob", 50 * kib],
      ["notes/todo.txt", 5 * kib],
    ]);
    expect(response.message).toMatch(/Biggest folders:\n\s+\S+ \S+\s+.*links\n/);
    expect(response.message).toContain("as du counts it");
  });

  it("counts a file with two hard links once and never follows a symlink", async () => {
    const response = await scan.call("files.disk_usage", {});
    const contentBytes = (700 + 600 + 200 + 100 + 320 + 5 + 50) * kib;
    const symlinkBytes = (await lstat(path.join(root, "elsewhere"))).size;
    expect(response.data).toMatchObject({
      hardLinksCountedOnce: 1,
      // The 7 files and the symlink; the second name of holiday.mp4 is not another file.
      files: 8,
      apparent: contentBytes + symlinkBytes + (await folderBytes(root)),
    });
    expect(response.data?.allocated).toBeGreaterThanOrEqual(contentBytes);
    expect(response.data?.allocated).toBeLessThan(contentBytes + 900 * kib);
    expect(response.message).toContain("1 hard link counted once");
  });

  it("lists nested folders only when asked, and only folders or only files when asked", async () => {
    const nested = await scan.call("files.disk_usage", { nested: true });
    const folders = ((nested.data?.largestFolders ?? []) as FolderUsage[]).map((folder) => path.relative(root, folder.path));
    expect(folders).toContain("videos/clips");
    const onlyFolders = await scan.call("files.disk_usage", { show: "folders", limit: 2 });
    expect(onlyFolders.message).toContain("Biggest folders:");
    expect(onlyFolders.message).not.toContain("Biggest files:");
    expect(onlyFolders.message).not.toContain("big.iso");
    const onlyFiles = await scan.call("files.disk_usage", { show: "files", limit: 1 });
    expect(onlyFiles.message).not.toContain("Biggest folders:");
    expect(onlyFiles.message).toMatch(/Biggest files:\n\s+700 KB\s+\S*big\.iso/);
  });

  it("ranks a sparse file by its length, not the little disk it takes", async () => {
    const sparse = path.join(root, "sparse", "disk.img");
    await mkdir(path.dirname(sparse), { recursive: true });
    await writeFile(sparse, "");
    await truncate(sparse, 200 * 1024 * 1024);
    try {
      const response = await scan.call("files.disk_usage", { path: "sparse", show: "files" });
      expect(((response.data?.largestFiles ?? []) as UsageEntry[])[0]).toMatchObject({
        path: sparse,
        apparent: 200 * 1024 * 1024,
      });
      expect(response.message).toContain("200 MB");
    } finally {
      await rm(path.dirname(sparse), { recursive: true, force: true });
    }
  });

  it("gives the size of a file, and of several folders and files with their total", async () => {
    const file = await scan.call("files.disk_usage", { path: "big.iso" });
    expect(file.success, file.message).toBe(true);
    expect(file.message).toBe(`${path.join(root, "big.iso")} is 700 KB (716,800 bytes).`);
    const several = await scan.call("files.disk_usage", { paths: ["music", "notes/todo.txt", "big.iso"] });
    expect(several.message).toMatch(/^3 items, .* in all/);
    expect(several.message).toContain(`${path.join(root, "music")} takes`);
    expect(several.message).toContain(`${path.join(root, "notes/todo.txt")} is 5.0 KB`);
    const files = await scan.call("files.disk_usage", { paths: ["big.iso", "notes/todo.txt"] });
    expect(files.message.split("\n")[0]).toBe("2 files, 705 KB in all (721,920 bytes).");
    expect(files.data?.total).toEqual({ allocated: expect.any(Number), apparent: 705 * kib });
    const missing = await scan.call("files.disk_usage", { paths: ["music", "no-such-thing"] });
    expect(missing.success).toBe(false);
    expect(missing.message).toContain("There is nothing at no-such-thing");
    const outsidePath = await scan.call("files.disk_usage", { paths: ["music", outside] });
    expect(outsidePath.metadata.error?.code).toBe("PATH_DENIED");
  });

  it("lists as many as asked, and refuses a folder outside the allowed roots", async () => {
    const response = await scan.call("files.disk_usage", { path: "videos", limit: 1 });
    expect((response.data as { largestFolders: FolderUsage[] }).largestFolders.map((folder) => folder.path)).toEqual([
      path.join(root, "videos", "clips"),
    ]);
    // Under videos/ alone, its one name there is the only one.
    expect((response.data as { largestFiles: UsageEntry[] }).largestFiles.map((file) => file.path)).toEqual([
      path.join(root, "videos", "holiday.mp4"),
    ]);
    const refused = await scan.call("files.disk_usage", { path: outside });
    expect(refused.metadata.error?.code).toBe("PATH_DENIED");
  });
});
