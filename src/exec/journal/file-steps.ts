import path from "node:path";
import {
  copyWholeFile,
  entryExists,
  hashOf,
  lstatEntry,
  makeFolders,
  makeLink,
  readLinkEntry,
  removeEntry,
  removeFolder,
  renameEntry,
} from "../boundary/file-boundary.js";

/** One change to the file system, as the journal records it before it happens. */
export type FileStep =
  | { action: "move"; from: string; to: string }
  | { action: "copy"; from: string; to: string }
  | { action: "mkdir"; path: string }
  /** An emptied folder removed (a folder moved to another file system leaves its own folders empty behind). */
  | { action: "rmdir"; path: string }
  | { action: "write"; path: string; backup?: string; sha256: string }
  | { action: "trash"; path: string; trashPath: string; infoPath: string }
  /** Permission bits changed from `previousMode` to `mode` (numbers, as chmod takes them). */
  | { action: "chmod"; path: string; previousMode: number; mode: number };

/** The temp name a file is built under before it appears at `to` in one rename: the operation's own (its id's random end). */
export function partialName(to: string, operationId: string): string {
  return path.join(path.dirname(to), `.${path.basename(to)}.astros-partial-${operationId.slice(-8)}`);
}

/**
 * Whether anything (even a dangling link) is at the path, looked up in its folder opened without following a
 * link (the file boundary): a name on the way that became a link is refused, never followed.
 */
export function exists(filePath: string): Promise<boolean> {
  return entryExists(filePath);
}

/**
 * A name that is free next to `wanted`: `name.ext`, else `name (1).ext`, `name (2).ext`, ...
 * Never overwrites; `taken` also counts names planned but not made yet.
 */
export async function freeName(wanted: string, taken: ReadonlySet<string> = new Set()): Promise<string> {
  const directory = path.dirname(wanted);
  const extension = path.extname(wanted);
  const stem = path.basename(wanted, extension);
  for (let index = 0; ; index += 1) {
    const candidate = index === 0 ? wanted : path.join(directory, `${stem} (${index})${extension}`);
    if (!taken.has(candidate) && !(await exists(candidate))) return candidate;
  }
}

/**
 * Copy bytes, mode and timestamps to a temp name, sync, then rename into place: `to` is whole or absent. Through
 * the file boundary: the source is opened without following a link and refused if it has other names (hard links).
 */
export function copyWhole(from: string, to: string, operationId: string): Promise<void> {
  return copyWholeFile(from, to, path.basename(partialName(to, operationId)));
}

/** Move without ever overwriting: a rename, or across devices a whole copy then removal of the source. */
export async function moveNoOverwrite(from: string, to: string, operationId: string): Promise<void> {
  if (await exists(to)) throw Object.assign(new Error(`${to} already exists; not overwritten`), { code: "EEXIST", path: to });
  try {
    await renameEntry(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && (await exists(from)) && !(await exists(path.dirname(to)))) {
      // The folder it goes back into is gone (an undo after the folder was removed): make it again.
      await makeFolders(path.dirname(to));
      return moveNoOverwrite(from, to, operationId);
    }
    if (code !== "EXDEV") throw error;
    const info = await lstatEntry(from);
    if (info === undefined) throw error;
    if (info.isDirectory())
      throw Object.assign(new Error(`moving folders across devices is not supported: ${from}`), { code: "EXDEV" });
    // A symbolic link moves as a link (never as a copy of what it points to, which may be anywhere).
    if (info.isSymbolicLink()) await makeLink(await readLinkEntry(from), to);
    else await copyWhole(from, to, operationId);
    try {
      await removeEntry(from);
    } catch (removeError) {
      // The original stays (a folder it cannot leave, say): so the move did not happen, and the copy goes.
      await removeEntry(to, { force: true });
      throw removeError;
    }
  }
}

/** The sha256 of a regular file (never through a link), or undefined when it cannot be read. */
export function sha256Of(filePath: string): Promise<string | undefined> {
  return hashOf(filePath);
}

/** Remove a folder only if it is empty (undoing a mkdir must never remove content). */
export async function removeEmptyDirectory(directory: string): Promise<boolean> {
  try {
    await removeFolder(directory);
    return true;
  } catch {
    return false;
  }
}
