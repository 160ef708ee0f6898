import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
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
  it("lists the biggest folders and files, biggest first, hidden ones included", async () => {
    const response = await scan.call("files.disk_usage", {});
    expect(response.success, response.message).toBe(true);
    const folders = response.data?.largestFolders as FolderUsage[];
    const files = response.data?.largestFiles as UsageEntry[];
    expect(folders.map((folder) => path.relative(root, folder.path))).toEqual([
      "links",
      "music",
      "videos",
      "videos/clips",
      ".cache",
      "notes",
    ]);
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
