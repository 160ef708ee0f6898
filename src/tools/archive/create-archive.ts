import path from "node:path";
import { type HandlerContext, ProcessingError } from "../../sdk.js";
import { formatCount } from "../file-scan/format-count.js";
import { type Selection, selectFiles } from "../files/select-files.js";
import { formatBytes } from "../shared/format-bytes.js";
import { type ArchiveFormat, extensionOf, formatFromName, isOwnFormat } from "./archive-format.js";
import { collectItems } from "./collect-items.js";
import { freeName, isTaken } from "./free-name.js";
import { buildArchive } from "./write-archive.js";

export interface CreateArchiveArgs {
  /** What goes in: files and folders. */
  paths?: string[] | undefined;
  /** Or: the files of this folder that match the filters ("all the pdfs in Documents"). */
  source?: string | undefined;
  ext?: Selection["ext"];
  kind?: Selection["kind"];
  recursive?: boolean | undefined;
  /** The archive to make, or the folder to make it in; default: beside the first thing packed. */
  destination?: string | undefined;
  format?: ArchiveFormat | undefined;
}

/**
 * The archive's path and format: a destination with an archive ending is the archive itself; a folder (or a name
 * without an ending) is where it goes, named after what is packed; nothing said, it goes beside the first source.
 */
async function targetOf(
  context: HandlerContext,
  args: CreateArchiveArgs,
  first: { path: string; type: string },
  count: number,
  inside = false,
): Promise<{ path: string; format: ArchiveFormat }> {
  const named = args.destination === undefined ? undefined : formatFromName(args.destination);
  if (named !== undefined && !isOwnFormat(named)) {
    throw new ProcessingError(`AstrOS makes zip, tar, tar.gz and gz archives, not ${named}`, {
      code: "REQUEST_INVALID",
      recovery: "Ask for a .zip or a .tar.gz.",
    });
  }
  let format: ArchiveFormat = named ?? args.format ?? "zip";
  // gzip packs one file; a folder or several things asked "as gz" become a .tar.gz.
  if (format === "gz" && (count > 1 || first.type === "directory" || inside)) format = "tar.gz";
  if (args.destination !== undefined && named !== undefined) {
    return { path: await context.files.resolve(args.destination), format };
  }
  const folder =
    args.destination !== undefined
      ? await context.files.resolve(args.destination)
      : inside
        ? first.path
        : path.dirname(first.path);
  if (args.destination !== undefined && (await isTaken(context, folder))) {
    const info = await context.files.stat(folder);
    if (info.type !== "directory") {
      throw new ProcessingError(`${args.destination} is a file, not a folder or an archive name`, { code: "REQUEST_INVALID" });
    }
  }
  const base = count === 1 ? path.basename(first.path) : "Archive";
  return { path: path.join(folder, `${base}${extensionOf(format)}`), format };
}

/** Make a zip, tar, tar.gz or gz of files and folders, written whole through the boundary and the journal. */
export async function createArchive(context: HandlerContext, args: CreateArchiveArgs) {
  const selected =
    args.source !== undefined && (args.ext !== undefined || args.kind !== undefined)
      ? await selectFiles(context, args.source, { ext: args.ext, kind: args.kind, recursive: args.recursive })
      : undefined;
  const paths = selected?.filter((entry) => entry.type === "file").map((entry) => entry.path) ?? args.paths ?? [];
  if (paths.length === 0) {
    return {
      success: selected !== undefined,
      message:
        selected !== undefined ? `Nothing to pack: no file in ${args.source} matches.` : "Say which files or folders to pack.",
    };
  }
  const first = await context.files.stat(paths[0] as string);
  // Files picked out of a folder go in an archive in that folder, named after it ("Documents.zip").
  const named = selected === undefined ? first : await context.files.stat(args.source as string);
  const wanted = await targetOf(context, args, named, selected === undefined ? paths.length : 1, selected !== undefined);
  const { items, leftOut, bytes } = await collectItems(context, paths);
  const files = items.filter((item) => item.type === "file").length;
  if (items.length === 0) {
    return { success: false, message: `Nothing to pack: ${paths.join(", ")} holds no files AstrOS can read.` };
  }
  // The archive never goes inside itself: it is not there yet when the sources are listed.
  context.progress(undefined, `packing ${formatCount(files, "file")}`);
  const bytesOut = await buildArchive(wanted.format, items, context.signal);
  const target = await freeName(context, wanted.path);
  const change = await context.files.writeFile(target.path, bytesOut);
  const lines = [
    `Packed ${formatCount(files, "file")} (${formatBytes(bytes)}) into ${change.path} (${formatBytes(bytesOut.length)})${
      target.collision ? `; ${path.basename(wanted.path)} was taken, so it got a new name` : ""
    }.`,
    ...(leftOut.length > 0
      ? [
          `Left out ${formatCount(leftOut.length, "link or special file", "links and special files")}: ${leftOut.slice(0, 5).join(", ")}${leftOut.length > 5 ? ", …" : ""}`,
        ]
      : []),
    `Say "undo" to remove the archive.`,
  ];
  return {
    success: true,
    message: lines.join("\n"),
    data: {
      archive: change.path,
      paths: [change.path],
      format: wanted.format,
      files,
      bytes,
      archiveBytes: bytesOut.length,
      entries: items.map((item) => item.name),
      ...(leftOut.length > 0 ? { leftOut } : {}),
    },
  };
}
