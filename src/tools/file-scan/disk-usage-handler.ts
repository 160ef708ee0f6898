import { defineHandler, type HandlerContext, type HandlerResult, z } from "../../sdk.js";
import { formatBytes } from "../shared/format-bytes.js";
import type { DiskUsageResult, UsageEntry } from "./disk-usage.js";
import { formatCount } from "./format-count.js";
import { resolveFolder } from "./resolve-folder.js";

export const diskUsageArguments = z.object({
  path: z.string().optional().describe("Folder to measure (default: the current folder)"),
  limit: z.number().int().positive().max(1000).default(10).describe("Folders and files to list"),
});

type DiskUsageArguments = z.infer<typeof diskUsageArguments>;

/** files.disk_usage: the biggest folders and files under a folder, by disk space used. */
export const diskUsageHandler = defineHandler({
  intent: "files.disk_usage",
  description: "Show the biggest folders and files under a folder, by the disk space they take",
  examples: ["what is taking up space in my home folder", "disk usage of Downloads", "biggest folders here"],
  args: diskUsageArguments,
  pathArgs: ["path"],
  readOnly: true,
  run: runDiskUsage,
});

async function runDiskUsage(args: DiskUsageArguments, context: HandlerContext): Promise<HandlerResult> {
  const root = await resolveFolder(context, args.path);
  const { diskUsage } = await import("./disk-usage.js");
  const result = await diskUsage({
    root,
    limit: args.limit,
    signal: context.signal,
    onProgress: (scanned, allocated) =>
      context.progress(undefined, `scanned ${formatCount(scanned, "item")} (${formatBytes(allocated)} so far)`),
  });
  const message = describeUsage(result);
  return { success: true, message, data: { ...result, sizes: "allocated" } };
}

function describeUsage(result: DiskUsageResult): string {
  const line = (entry: UsageEntry) => `  ${formatBytes(entry.allocated).padStart(8)}  ${entry.path}`;
  const lines = [
    `${result.path} takes ${formatBytes(result.allocated)} on disk (${formatBytes(result.apparent)} of content) in ${formatCount(result.files, "file")} and ${formatCount(result.folders, "folder")}.`,
  ];
  if (result.largestFolders.length > 0) lines.push("Biggest folders:", ...result.largestFolders.map(line));
  if (result.largestFiles.length > 0) lines.push("Biggest files:", ...result.largestFiles.map(line));
  const notes = ["Sizes are disk space allocated, as du counts it; symlinks are not followed"];
  if (result.hardLinksCountedOnce > 0) notes.push(`${formatCount(result.hardLinksCountedOnce, "hard link")} counted once`);
  const unreadable = result.unreadable.folders + result.unreadable.entries;
  if (unreadable > 0) notes.push(`${formatCount(unreadable, "item")} could not be read`);
  lines.push(`${notes.join("; ")}.`);
  return lines.join("\n");
}
