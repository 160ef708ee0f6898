import { createHash } from "node:crypto";
import { chmodSync, closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from "node:fs";
import { copyFile, type FileHandle, mkdir, open, readdir, readlink, rename, rm, rmdir, symlink, unlink } from "node:fs/promises";
import path from "node:path";
import { boundaryRefusal, withRealPath } from "./boundary-error.js";
import { activeFolderCache } from "./folder-cache.js";
import { isPlainName, O_PATH, openNext, type PinnedFolder, pinFolder, withFolder, withParent } from "./pinned-folder.js";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

/**
 * The file boundary: every file operation AstrOS makes on a person's files, on a real path the path guard
 * judged, done relative to a folder opened from `/` without following any symbolic link (PinnedFolder), never by
 * name. Nothing is checked and then used: if a name on the way became a link after the check, the operation is
 * refused (PATH_DENIED) and nothing happens; a link as the last name of a move, rename or delete is the link itself.
 */

/** Open the entry at `realPath` with `flags` (O_NOFOLLOW added: a link there is refused, never followed). */
export function openEntry(realPath: string, flags: number, mode = 0o666): Promise<FileHandle> {
  return withParent(realPath, async (folder, name) => {
    try {
      return await open(folder.entry(name), flags | O_NOFOLLOW, mode);
    } catch (error) {
      throw refusalOf(error, folder, name);
    }
  });
}

/**
 * Open a file to read its bytes: non-blocking (a named pipe must not wait for a writer), never through a link,
 * and refused when it is a regular file with more than one name (a hard link may be the name of a file outside
 * the roots, and its bytes are not the root's to give). What it is (`info`, from the open file) is for the caller
 * to judge: only the caller knows whether a folder or a device is an error.
 */
export async function openForReading(realPath: string): Promise<{ handle: FileHandle; info: Stats }> {
  const handle = await openEntry(realPath, O_RDONLY | O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isFile() && info.nlink > 1) throw boundaryRefusal({ rule: "hard-link", path: realPath, links: info.nlink });
    return { handle, info };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** What is at `realPath` itself (a link is a link), or undefined when nothing is (or its folder is missing). */
export function lstatEntry(realPath: string): Promise<Stats | undefined> {
  // `/` is in no folder, and no link: a root of its own.
  if (realPath === "/") return Promise.resolve(lstatSync("/"));
  return withParent(realPath, (folder, name) => lstatSync(folder.entry(name), { throwIfNoEntry: false })).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
      throw error;
    },
  );
}

/** Whether anything (even a dangling link) is at `realPath`. A link on the way there is refused. */
export async function entryExists(realPath: string): Promise<boolean> {
  return (await lstatEntry(realPath)) !== undefined;
}

/** The names in the folder at `realPath`, with what each is (links as links). */
export function listFolder(realPath: string): Promise<Array<{ name: string; info: Stats | undefined }>> {
  return withFolder(realPath, async (folder) => {
    const names = await readdir(folder.self);
    return names.map((name) => ({ name, info: lstatSync(folder.entry(name), { throwIfNoEntry: false }) }));
  });
}

/** Rename the entry at `from` to `to` (both real paths; a link moves as the link). Replaces what is at `to`, as rename(2). */
export async function renameEntry(from: string, to: string): Promise<void> {
  await withParent(from, (source, fromName) =>
    withParent(to, async (target, toName) => {
      try {
        await rename(source.entry(fromName), target.entry(toName));
        // A folder renamed is no longer where an open folder of this operation says it is.
        activeFolderCache()?.forget(from);
        activeFolderCache()?.forget(to);
      } catch (error) {
        throw withRealPath(error, (error as NodeJS.ErrnoException).code === "ENOENT" ? from : to);
      }
    }),
  );
}

/** Make one folder (its parent must exist). A link in its place is EEXIST, never followed. */
export function makeFolder(realPath: string, mode = 0o777): Promise<void> {
  return withParent(realPath, async (folder, name) => {
    try {
      await mkdir(folder.entry(name), { mode });
      activeFolderCache()?.forget(realPath);
    } catch (error) {
      throw withRealPath(error, realPath);
    }
  });
}

/** Make the folder at `realPath` and any missing folders above it, never through a link; returns those it made. */
export async function makeFolders(realPath: string, mode = 0o777): Promise<string[]> {
  const names = realPath.split("/").filter((name) => name !== "");
  if (!path.isAbsolute(realPath) || !names.every(isPlainName)) throw new Error(`not a resolved path: ${realPath}`);
  const made: string[] = [];
  let folder = pinFolder("/");
  try {
    for (const name of names) {
      let next: PinnedFolder;
      try {
        next = openNext(folder, name);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        await mkdir(folder.entry(name), { mode }).catch((made: NodeJS.ErrnoException) => {
          if (made.code !== "EEXIST") throw withRealPath(made, folder.pathOf(name));
        });
        made.push(folder.pathOf(name));
        activeFolderCache()?.forget(folder.pathOf(name));
        next = openNext(folder, name);
      }
      folder.close();
      folder = next;
    }
    return made;
  } finally {
    folder.close();
  }
}

/** Remove the empty folder at `realPath` (never a link's target). */
export function removeFolder(realPath: string): Promise<void> {
  return withParent(realPath, async (folder, name) => {
    try {
      await rmdir(folder.entry(name));
      activeFolderCache()?.forget(realPath);
    } catch (error) {
      throw withRealPath(error, realPath);
    }
  });
}

/** Remove the file or link at `realPath` (a link goes, never its target); `force`: nothing there is fine. */
export function removeEntry(realPath: string, { force = false }: { force?: boolean } = {}): Promise<void> {
  return withParent(realPath, async (folder, name) => {
    try {
      // rm, not unlink, only so fault injection sees one kind of call for every removal; on one name it unlinks.
      await rm(folder.entry(name));
    } catch (error) {
      if (force && (error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw withRealPath(error, realPath);
    }
  }).catch((error: NodeJS.ErrnoException) => {
    if (force && (error.code === "ENOENT" || error.code === "ENOTDIR")) return;
    throw error;
  });
}

/**
 * Set the permission bits of the file or folder at `realPath` (never a link's target: a link there is refused) and
 * return the bits it had. The entry is opened by handle (O_PATH, no read access needed) and changed through that
 * handle, so what is changed is what was opened.
 */
export function changeModeEntry(realPath: string, mode: number): Promise<number> {
  return withParent(realPath, (folder, name) => {
    let fd: number;
    try {
      fd = openSync(folder.entry(name), O_PATH | constants.O_NOFOLLOW);
    } catch (error) {
      throw refusalOf(error, folder, name);
    }
    try {
      const info = fstatSync(fd);
      if (info.isSymbolicLink()) throw boundaryRefusal({ rule: "link", path: folder.pathOf(name) });
      chmodSync(`/proc/self/fd/${fd}`, mode & 0o7777);
      return info.mode & 0o7777;
    } finally {
      closeSync(fd);
    }
  });
}

/** Where the link at `realPath` points (as written in it). */
export function readLinkEntry(realPath: string): Promise<string> {
  return withParent(realPath, (folder, name) => readlink(folder.entry(name)));
}

/** Make a symbolic link at `realPath` (never over anything) holding `target`. */
export function makeLink(target: string, realPath: string): Promise<void> {
  return withParent(realPath, async (folder, name) => {
    try {
      await symlink(target, folder.entry(name));
    } catch (error) {
      throw withRealPath(error, realPath);
    }
  });
}

/**
 * Write a file whole: a temporary `partialName` created (O_CREAT | O_EXCL | O_NOFOLLOW) in the very folder the
 * file goes in, written, synced, then renamed to the file's name in that same open folder. The file is whole or
 * absent; what was at its name is replaced (the journal moved it away first).
 */
export function writeWholeFile(realPath: string, content: Uint8Array, partialName: string): Promise<void> {
  return withParent(realPath, async (folder, name) => {
    const partial = folder.entry(partialName);
    const handle = await open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666).catch((error) => {
      throw withRealPath(error, folder.pathOf(partialName));
    });
    try {
      await handle.writeFile(content);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(partial).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await rename(partial, folder.entry(name));
  });
}

/**
 * Copy a file whole: its bytes, mode and timestamps to a temporary `partialName` beside `to`, synced, then renamed
 * to `to` in the same open folder, never over anything. The source is opened as for reading (no link, one name),
 * and copied from that open file (through its /proc/self/fd link), so what is copied is what was opened.
 */
export async function copyWholeFile(from: string, to: string, partialName: string): Promise<void> {
  const { handle: source, info } = await openForReading(from);
  try {
    if (!info.isFile()) throw Object.assign(new Error(`${from} is not a regular file`), { code: "EINVAL", path: from });
    await withParent(to, async (folder, name) => {
      const partial = folder.entry(partialName);
      await copyFile(`/proc/self/fd/${source.fd}`, partial, constants.COPYFILE_EXCL).catch((error) => {
        throw withRealPath(error, folder.pathOf(partialName));
      });
      const copy = await open(partial, O_RDONLY | O_NOFOLLOW);
      try {
        const exact = await source.stat({ bigint: true });
        await copy.utimes(utimesSeconds(exact.atimeNs), utimesSeconds(exact.mtimeNs));
        await copy.sync();
      } finally {
        await copy.close();
      }
      if (lstatSync(folder.entry(name), { throwIfNoEntry: false }) !== undefined) {
        await unlink(partial).catch(() => undefined);
        throw Object.assign(new Error(`${to} appeared while copying; not overwritten`), { code: "EEXIST", path: to });
      }
      await rename(partial, folder.entry(name));
    });
  } finally {
    await source.close();
  }
}

/** The sha256 of the regular file at `realPath` (never through a link), or undefined when it cannot be read. */
export async function hashOf(realPath: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await openEntry(realPath, O_RDONLY | O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const hash = createHash("sha256");
    const buffer = Buffer.allocUnsafe(256 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest("hex");
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * A time in nanoseconds as utimes takes it: seconds in a double, which libuv cuts to the microsecond. Half a
 * microsecond more, so the double's rounding error never cuts it to the microsecond before.
 */
function utimesSeconds(nanoseconds: bigint): number {
  return Number(nanoseconds / 1000n) / 1e6 + 5e-7;
}

/** An open's failure as a person should read it: a link where the name was is a refusal, anything else its real path. */
function refusalOf(error: unknown, folder: PinnedFolder, name: string): unknown {
  if ((error as NodeJS.ErrnoException).code === "ELOOP") return boundaryRefusal({ rule: "link", path: folder.pathOf(name) });
  return withRealPath(error, folder.pathOf(name));
}
