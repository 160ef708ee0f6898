import path from "node:path";
import { type HandlerContext, openForReading, ProcessingError } from "../../sdk.js";
import type { PackedItem } from "./write-archive.js";

/** Everything that goes into a new archive, and what was left out (links, devices, files with other names). */
export interface Collected {
  items: PackedItem[];
  leftOut: string[];
  /** The bytes of every file, added up. */
  bytes: number;
}

/** How much AstrOS packs in one archive: it is built in memory before it is written whole. */
export const packLimit = 2 * 1024 ** 3;

/**
 * The files and folders to pack: each source through the path guard; a folder with everything in it, under its own
 * name (`taxes/w2.pdf`), as `zip -r` and `tar` name them. Links and special files are left out (a link may point
 * anywhere), and named in the answer.
 */
export async function collectItems(context: HandlerContext, sources: readonly string[]): Promise<Collected> {
  const items: PackedItem[] = [];
  const leftOut: string[] = [];
  const taken = new Set<string>();
  let bytes = 0;
  const add = async (realPath: string, name: string, type: "file" | "directory") => {
    let opened: Awaited<ReturnType<typeof openForReading>>;
    try {
      opened = await openForReading(realPath);
    } catch {
      leftOut.push(realPath);
      return false;
    }
    const { handle, info } = opened;
    await handle.close();
    if ((type === "file" && !info.isFile()) || (type === "directory" && !info.isDirectory())) {
      leftOut.push(realPath);
      return false;
    }
    items.push({ name, type, realPath, size: info.size, mode: info.mode & 0o7777, modified: info.mtime });
    if (type === "file") bytes += info.size;
    if (bytes > packLimit) {
      throw new ProcessingError(`That is more than ${packLimit / 1024 ** 3} GB to pack; AstrOS packs up to that in one archive`, {
        code: "REQUEST_INVALID",
        recovery: "Pack fewer files, or use the zip or tar command.",
      });
    }
    return true;
  };
  const walk = async (folder: string, prefix: string) => {
    context.signal.throwIfAborted();
    for (const entry of await context.files.listDirectory(folder)) {
      const name = `${prefix}/${entry.name}`;
      if (entry.type === "directory") {
        if (await add(entry.path, `${name}/`, "directory")) await walk(entry.path, name);
      } else if (entry.type === "file") await add(entry.path, name, "file");
      else leftOut.push(entry.path);
    }
  };
  for (const source of sources) {
    const info = await context.files.stat(source);
    // Two sources with one name (a/notes.txt, b/notes.txt) get names that differ, as a copy into one folder would.
    const name = uniqueName(path.basename(info.path), taken);
    if (info.type === "directory") {
      if (await add(info.path, `${name}/`, "directory")) await walk(info.path, name);
    } else if (info.type === "file") await add(info.path, name, "file");
    else leftOut.push(info.path);
  }
  return { items, leftOut, bytes };
}

function uniqueName(name: string, taken: Set<string>): string {
  const extension = path.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = name;
  for (let index = 1; taken.has(candidate); index += 1) candidate = `${stem} (${index})${extension}`;
  taken.add(candidate);
  return candidate;
}
