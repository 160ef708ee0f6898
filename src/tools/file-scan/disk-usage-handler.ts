import { defineHandler, type HandlerContext, type HandlerResult, z } from "../../sdk.js";
import { formatBytes } from "../shared/format-bytes.js";
import type { DiskUsageResult, UsageEntry } from "./disk-usage.js";
import { formatCount } from "./format-count.js";
import { measurePaths, type PathSize } from "./path-sizes.js";
import { resolveFolder } from "./resolve-folder.js";

export const diskUsageArguments = z.object({
  path: z.string().optional().describe("Folder to measure (default: the current folder), or a file to give the size of"),
  paths: z
    .array(z.string())
    .max(10_000)
    .optional()
    .describe("Several folders or files: the size of each, and their total (instead of path)"),
  limit: z.number().int().positive().max(1000).default(10).describe("Folders and files to list"),
  show: z
    .enum(["all", "folders", "files"])
    .default("all")
    .describe("List the biggest folders, the biggest files, or both (default)"),
  nested: z
    .boolean()
    .default(false)
    .describe("List the biggest folders at any depth; by default the folder's own subfolders, each with all it holds"),
});

type DiskUsageArguments = z.infer<typeof diskUsageArguments>;

/** files.disk_usage: the biggest folders and files under a folder, by disk space used; or the size of given paths. */
export const diskUsageHandler = defineHandler({
  intent: "files.disk_usage",
  description:
    "Show the biggest folders and files under a folder, by the disk space they take; or the size of given folders or files",
  examples: ["what is taking up space in my home folder", "disk usage of Downloads", "biggest folders here"],
  args: diskUsageArguments,
  pathArgs: ["path", "paths"],
  readOnly: true,
  run: runDiskUsage,
});

async function runDiskUsage(args: DiskUsageArguments, context: HandlerContext): Promise<HandlerResult> {
  const progress = (scanned: number, allocated: number) =>
    context.progress(undefined, `scanned ${formatCount(scanned, "item")} (${formatBytes(allocated)} so far)`);
  const single = args.paths === undefined && args.path !== undefined ? await context.files.resolve(args.path) : undefined;
  const named = args.paths ?? (single !== undefined && (await isFile(single)) ? [args.path as string] : undefined);
  if (named !== undefined) {
    const sizes = await measurePaths(context, named, progress);
    return { success: true, message: describeSizes(sizes), data: { sizes, total: totalOf(sizes) } };
  }
  const root = await resolveFolder(context, args.path);
  const { diskUsage } = await import("./disk-usage.js");
  const result = await diskUsage({
    root,
    limit: args.limit,
    nested: args.nested,
    signal: context.signal,
    onProgress: progress,
  });
  const message = describeUsage(result, args.show);
  return {
    success: true,
    message,
    data: {
      ...result,
      ...(args.show === "files" ? { largestFolders: [] } : {}),
      ...(args.show === "folders" ? { largestFiles: [] } : {}),
      sizes: "allocated",
    },
  };
}

async function isFile(resolved: string): Promise<boolean> {
  const { lstat } = await import("node:fs/promises");
  try {
    return !(await lstat(resolved)).isDirectory();
  } catch {
    return false;
  }
}

function totalOf(sizes: readonly PathSize[]): { allocated: number; apparent: number } {
  return sizes.reduce((sum, size) => ({ allocated: sum.allocated + size.allocated, apparent: sum.apparent + size.apparent }), {
    allocated: 0,
    apparent: 0,
  });
}

/** "notes.txt is 1.2 KB (1,234 bytes)"; several: one line each and their total. */
function describeSizes(sizes: readonly PathSize[]): string {
  const line = (size: PathSize) =>
    size.type === "folder"
      ? `${size.path} takes ${formatBytes(size.allocated)} on disk (${formatBytes(size.apparent)} of content) in ${formatCount(size.files, "file")}`
      : `${size.path} is ${formatBytes(size.apparent)} (${size.apparent.toLocaleString("en-US")} bytes)`;
  if (sizes.length === 1) return `${line(sizes[0] as PathSize)}.`;
  const total = totalOf(sizes);
  const allFiles = sizes.every((size) => size.type === "file");
  const together = allFiles
    ? `${formatCount(sizes.length, "file")}, ${formatBytes(total.apparent)} in all (${total.apparent.toLocaleString("en-US")} bytes).`
    : `${formatCount(sizes.length, "item")}, ${formatBytes(total.allocated)} on disk in all (${formatBytes(total.apparent)} of content).`;
  const listed = sizes.slice(0, 100).map((size) => `  ${line(size)}`);
  if (sizes.length > listed.length) listed.push(`  … and ${formatCount(sizes.length - listed.length, "more")}`);
  return [together, ...listed].join("\n");
}

function describeUsage(result: DiskUsageResult, show: "all" | "folders" | "files"): string {
  const folderLine = (entry: UsageEntry) => `  ${formatBytes(entry.allocated).padStart(8)}  ${entry.path}`;
  const fileLine = (entry: UsageEntry) => `  ${formatBytes(entry.apparent).padStart(8)}  ${entry.path}`;
  const lines = [
    `${result.path} takes ${formatBytes(result.allocated)} on disk (${formatBytes(result.apparent)} of content) in ${formatCount(result.files, "file")} and ${formatCount(result.folders, "folder")}.`,
  ];
  if (show !== "files") {
    if (result.largestFolders.length > 0) lines.push("Biggest folders:", ...result.largestFolders.map(folderLine));
    else if (show === "folders") lines.push("It has no folders inside.");
  }
  if (show !== "folders" && result.largestFiles.length > 0) lines.push("Biggest files:", ...result.largestFiles.map(fileLine));
  const notes = ["Folder sizes are disk space allocated, as du counts it, file sizes their length; symlinks are not followed"];
  if (result.hardLinksCountedOnce > 0) notes.push(`${formatCount(result.hardLinksCountedOnce, "hard link")} counted once`);
  const unreadable = result.unreadable.folders + result.unreadable.entries;
  if (unreadable > 0) notes.push(`${formatCount(unreadable, "item")} could not be read`);
  lines.push(`${notes.join("; ")}.`);
  return lines.join("\n");
}
