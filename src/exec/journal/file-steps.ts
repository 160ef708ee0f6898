import { createHash } from "node:crypto";
import { constants, createReadStream, lstatSync } from "node:fs";
import { copyFile, lstat, mkdir, open, readlink, rename, rm, rmdir, stat, symlink, utimes } from "node:fs/promises";
import path from "node:path";

/** One change to the file system, as the journal records it before it happens. */
export type FileStep =
  | { action: "move"; from: string; to: string }
  | { action: "copy"; from: string; to: string }
  | { action: "mkdir"; path: string }
  /** An emptied folder removed (a folder moved to another file system leaves its own folders empty behind). */
  | { action: "rmdir"; path: string }
  | { action: "write"; path: string; backup?: string; sha256: string }
  | { action: "trash"; path: string; trashPath: string; infoPath: string };

/** The temp name a file is built under before it appears at `to` in one rename: the operation's own (its id's random end). */
export function partialName(to: string, operationId: string): string {
  return path.join(path.dirname(to), `.${path.basename(to)}.astros-partial-${operationId.slice(-8)}`);
}

/**
 * Whether anything (even a dangling link) is at the path. Synchronous and exception-free on purpose:
 * it runs several times per file in bulk moves, where a promise call that misses (building an Error)
 * measured about 20 times slower.
 */
export async function exists(filePath: string): Promise<boolean> {
  return lstatSync(filePath, { throwIfNoEntry: false }) !== undefined;
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

/** Copy bytes, mode and timestamps to a temp name, sync, then rename into place: `to` is whole or absent. */
export async function copyWhole(from: string, to: string, operationId: string): Promise<void> {
  const partial = partialName(to, operationId);
  await copyFile(from, partial, constants.COPYFILE_EXCL);
  const source = await stat(from, { bigint: true });
  await utimes(partial, utimesSeconds(source.atimeNs), utimesSeconds(source.mtimeNs));
  const handle = await open(partial, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (await exists(to)) {
    await rm(partial, { force: true });
    throw Object.assign(new Error(`${to} appeared while copying; not overwritten`), { code: "EEXIST" });
  }
  await rename(partial, to);
}

/**
 * A time in nanoseconds as utimes takes it: seconds in a double, which libuv cuts to the microsecond. Half a
 * microsecond more, so the double's rounding error never cuts it to the microsecond before (12:00:00.057 must not
 * come out as 12:00:00.056999).
 */
function utimesSeconds(nanoseconds: bigint): number {
  return Number(nanoseconds / 1000n) / 1e6 + 5e-7;
}

/** Move without ever overwriting: a rename, or across devices a whole copy then removal of the source. */
export async function moveNoOverwrite(from: string, to: string, operationId: string): Promise<void> {
  if (await exists(to)) throw Object.assign(new Error(`${to} already exists; not overwritten`), { code: "EEXIST" });
  try {
    await rename(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && (await exists(from)) && !(await exists(path.dirname(to)))) {
      // The folder it goes back into is gone (an undo after the folder was removed): make it again.
      await mkdir(path.dirname(to), { recursive: true });
      return moveNoOverwrite(from, to, operationId);
    }
    if (code !== "EXDEV") throw error;
    const info = await lstat(from);
    if (info.isDirectory())
      throw Object.assign(new Error(`moving folders across devices is not supported: ${from}`), { code: "EXDEV" });
    // A symbolic link moves as a link (never as a copy of what it points to, which may be anywhere).
    if (info.isSymbolicLink()) await symlink(await readlink(from), to);
    else await copyWhole(from, to, operationId);
    try {
      await rm(from);
    } catch (removeError) {
      // The original stays (a folder it cannot leave, say): so the move did not happen, and the copy goes.
      await rm(to, { force: true });
      throw removeError;
    }
  }
}

export async function sha256Of(filePath: string): Promise<string | undefined> {
  try {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}

/** Remove a folder only if it is empty (undoing a mkdir must never remove content). */
export async function removeEmptyDirectory(directory: string): Promise<boolean> {
  try {
    await rmdir(directory);
    return true;
  } catch {
    return false;
  }
}
