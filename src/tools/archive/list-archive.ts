import path from "node:path";
import { type HandlerContext, openForReading, ProcessingError } from "../../sdk.js";
import { formatCount } from "../file-scan/format-count.js";
import { formatBytes } from "../shared/format-bytes.js";
import { type ArchiveEntry, detectFormat, eachEntry } from "./read-archive.js";

/** Entries shown in an answer; the data holds them all. */
const shownEntries = 200;

/** What an archive holds, read from its table (nothing extracted, nothing written). */
export async function listArchive(context: HandlerContext, args: { path: string }) {
  const archive = await context.files.resolve(args.path);
  const { handle, info } = await openForReading(archive);
  const entries: ArchiveEntry[] = [];
  let format: string;
  try {
    if (!info.isFile()) throw new ProcessingError(`${args.path} is not a file`, { code: "REQUEST_INVALID" });
    const found = await detectFormat(handle, path.basename(archive));
    format = found;
    await eachEntry(
      handle,
      found,
      archive,
      async (entry) => {
        entries.push(entry);
      },
      context.signal,
    );
  } finally {
    await handle.close();
  }
  const files = entries.filter((entry) => entry.type === "file");
  const bytes = files.reduce((sum, entry) => sum + entry.size, 0);
  const lines = entries
    .slice(0, shownEntries)
    .map((entry) =>
      entry.type === "directory"
        ? `  ${entry.name.endsWith("/") ? entry.name : `${entry.name}/`}`
        : entry.type === "link"
          ? `  ${entry.name} → ${entry.linkTarget ?? "?"}`
          : `  ${entry.name}  ${formatBytes(entry.size)}`,
    );
  const head =
    format === "gz"
      ? `${archive} is one gzip-compressed file:`
      : `${archive} (${format}) holds ${formatCount(files.length, "file")}, ${formatBytes(bytes)} in all:`;
  return {
    success: true,
    message: [
      entries.length === 0 ? `${archive} (${format}) is empty.` : head,
      ...lines,
      ...(entries.length > shownEntries ? [`  … and ${entries.length - shownEntries} more`] : []),
    ].join("\n"),
    data: {
      archive,
      format,
      files: files.length,
      bytes,
      entries: entries.map(({ name, type, size }) => ({ name, type, size })),
    },
  };
}
