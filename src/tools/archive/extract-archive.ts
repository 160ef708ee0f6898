import { statfs } from "node:fs/promises";
import path from "node:path";
import { type HandlerContext, openForReading, ProcessingError } from "../../sdk.js";
import { formatCount } from "../file-scan/format-count.js";
import { formatBytes } from "../shared/format-bytes.js";
import { stemOf } from "./archive-format.js";
import { entryPath, linkStaysInside } from "./entry-path.js";
import { freeName, isTaken } from "./free-name.js";
import { type ArchiveEntry, detectFormat, eachEntry } from "./read-archive.js";

export interface ExtractArgs {
  /** The archive. */
  path: string;
  /** The folder to extract into (made if missing); default: a new folder beside the archive, named after it. */
  destination?: string | undefined;
}

interface PlannedEntry {
  entry: ArchiveEntry;
  parts: string[];
  /** Its place in the archive (a name given twice: the later one is what `tar x` leaves, so it is the one planned). */
  index: number;
}

/** Read the archive's table once: every name judged (an escape refuses the whole archive), links set aside. */
async function planEntries(context: HandlerContext, realPath: string, shown: string) {
  const { handle, info } = await openForReading(realPath);
  try {
    if (!info.isFile()) throw new ProcessingError(`${shown} is not a file`, { code: "REQUEST_INVALID" });
    const format = await detectFormat(handle, path.basename(realPath));
    const planned = new Map<string, PlannedEntry>();
    const links: string[] = [];
    const escapes: string[] = [];
    let index = 0;
    await eachEntry(
      handle,
      format,
      realPath,
      async (entry) => {
        index += 1;
        const where = entryPath(entry.name);
        if ("escape" in where) {
          escapes.push(`${entry.name} (${where.escape})`);
          return;
        }
        if (where.parts.length === 0) return;
        if (entry.type === "link" || entry.type === "other") {
          const outside = entry.linkTarget !== undefined && !linkStaysInside(where.parts, entry.linkTarget);
          links.push(`${entry.name}${outside ? ` (points outside, to ${entry.linkTarget})` : ""}`);
          return;
        }
        planned.set(where.parts.join("/"), { entry, parts: where.parts, index });
      },
      context.signal,
    );
    if (escapes.length > 0) {
      throw new ProcessingError(
        `Nothing extracted: ${shown} holds ${formatCount(escapes.length, "entry", "entries")} that would land outside the folder it is extracted into: ${escapes.slice(0, 3).join("; ")}`,
        { code: "REQUEST_INVALID", details: { path: shown, escapes: escapes.slice(0, 20) } },
      );
    }
    return { format, entries: [...planned.values()], links };
  } finally {
    await handle.close();
  }
}

/**
 * Where the entries go. Into a folder that was named: as they are, after checking none would replace a file there.
 * Else beside the archive: into its one top folder when it has one and that name is free, otherwise into a new
 * folder named after the archive (a free name, so nothing is mixed into a folder that is there).
 */
async function rootOf(
  context: HandlerContext,
  archive: string,
  entries: readonly PlannedEntry[],
  destination: string | undefined,
  single: boolean,
): Promise<{ root: string; made: boolean }> {
  if (destination !== undefined) return { root: await context.files.resolve(destination), made: false };
  const beside = path.dirname(archive);
  if (single) return { root: beside, made: false };
  const tops = new Set(entries.map((planned) => planned.parts[0]));
  const [top] = tops;
  const onlyFolder =
    tops.size === 1 &&
    top !== undefined &&
    entries.every((planned) => planned.parts.length > 1 || planned.entry.type === "directory");
  if (onlyFolder && !(await isTaken(context, path.join(beside, top)))) return { root: beside, made: false };
  return { root: (await freeName(context, path.join(beside, stemOf(path.basename(archive))))).path, made: true };
}

/** Extract an archive through the boundary and the journal: never outside its folder, never over a file. */
export async function extractArchive(context: HandlerContext, args: ExtractArgs) {
  const archive = await context.files.resolve(args.path);
  const { format, entries, links } = await planEntries(context, archive, args.path);
  const single = format === "gz";
  const { root, made } = await rootOf(context, archive, entries, args.destination, single);
  // One gzip file lands beside the archive under its own name, or a free one.
  let singleTarget: { path: string; collision: boolean } | undefined;
  if (single) singleTarget = await freeName(context, path.join(root, stemOf(path.basename(archive))));
  const targetOf = (planned: PlannedEntry) => singleTarget?.path ?? path.join(root, ...planned.parts);
  const files = entries.filter((planned) => planned.entry.type === "file");
  // Nothing is written over: a file (or a file where a folder must go) already there refuses the whole archive.
  const clashes: string[] = [];
  if (!made && !single) {
    for (const planned of entries) {
      const target = targetOf(planned);
      if (!(await isTaken(context, target))) continue;
      const info = await context.files.stat(target);
      if (planned.entry.type === "directory" && info.type === "directory") continue;
      clashes.push(target);
    }
  }
  if (clashes.length > 0) {
    throw new ProcessingError(
      `Nothing extracted: ${formatCount(clashes.length, "file")} from ${args.path} would replace what is already in ${root}: ${clashes
        .slice(0, 5)
        .map((clash) => path.relative(root, clash))
        .join(", ")}${clashes.length > 5 ? ", …" : ""}`,
      {
        code: "REQUEST_INVALID",
        details: { archive: args.path, destination: root, clashes: clashes.slice(0, 50) },
        recovery: `Extract it into a new folder ("extract ${path.basename(archive)} into ${stemOf(path.basename(archive))}").`,
      },
    );
  }
  const bytes = files.reduce((sum, planned) => sum + planned.entry.size, 0);
  await checkSpace(root, bytes);
  const executable = files.filter((planned) => ((planned.entry.mode ?? 0) & 0o100) !== 0);
  const changes = files.length + executable.length;
  const summary = `extract ${formatCount(files.length, "file")} (${formatBytes(bytes)}) from ${args.path} into ${root}`;
  if (!(await context.confirmBulk(changes, summary))) {
    return { success: false, message: `Not done: ${summary} was not confirmed.` };
  }
  const handle = (await openForReading(archive)).handle;
  const written: string[] = [];
  try {
    await context.files.createDirectory(root);
    const wanted = new Map(entries.map((planned) => [planned.index, planned]));
    let index = 0;
    await eachEntry(
      handle,
      format,
      archive,
      async (entry, content) => {
        index += 1;
        const planned = wanted.get(index);
        // The archive read again must be the archive planned: any other entry is not written.
        if (planned === undefined || entry.name !== planned.entry.name || entry.type !== planned.entry.type) return;
        const target = targetOf(planned);
        if (entry.type === "directory") {
          await context.files.createDirectory(target);
          return;
        }
        if (entry.type !== "file") return;
        await context.files.writeFile(target, await content());
        if (((entry.mode ?? 0) & 0o100) !== 0) await context.files.setMode(target, 0o755);
        written.push(target);
        if (written.length % 50 === 0)
          context.progress((written.length / Math.max(1, files.length)) * 100, `extracted ${written.length}`);
      },
      context.signal,
    );
  } finally {
    await handle.close();
  }
  const shownRoot = singleTarget?.path ?? root;
  const lines = [
    single
      ? `Extracted ${args.path} to ${shownRoot}${singleTarget?.collision === true ? " (its name was taken, so it got a new one)" : ""}.`
      : `Extracted ${formatCount(written.length, "file")} (${formatBytes(bytes)}) from ${args.path} into ${root}${made ? " (a new folder)" : ""}.`,
    ...(links.length > 0
      ? [
          `Left out ${formatCount(links.length, "link or special file", "links and special files")}: ${links.slice(0, 5).join(", ")}`,
        ]
      : []),
    `Say "undo" to remove what was extracted.`,
  ];
  return {
    success: true,
    message: lines.join("\n"),
    data: {
      archive,
      destination: shownRoot,
      format,
      extracted: written,
      paths: written,
      ...(links.length > 0 ? { leftOut: links } : {}),
    },
  };
}

/** Refuse an archive that would not fit, before anything is written. */
async function checkSpace(root: string, bytes: number): Promise<void> {
  let folder = root;
  for (;;) {
    try {
      const info = await statfs(folder);
      const free = info.bavail * info.bsize;
      if (bytes > free) {
        throw new ProcessingError(`Nothing extracted: it needs ${formatBytes(bytes)} and ${formatBytes(free)} is free there`, {
          code: "REQUEST_INVALID",
        });
      }
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || path.dirname(folder) === folder) {
        if (error instanceof ProcessingError) throw error;
        return;
      }
      folder = path.dirname(folder);
    }
  }
}
