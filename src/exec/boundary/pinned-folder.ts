import { closeSync, constants, lstatSync, openSync } from "node:fs";
import path from "node:path";
import { boundaryRefusal, withRealPath } from "./boundary-error.js";
import { activeFolderCache } from "./folder-cache.js";

// libuv opens every file with O_CLOEXEC: no descriptor leaks into a command AstrOS runs.
const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;
/**
 * O_PATH (Linux; Node does not export it; this is its value on x86-64, arm64 and the other common ports): a handle
 * that names the folder without reading it, so a folder one may pass through but not list (mode --x) opens as the
 * kernel's own walk would pass it. Elsewhere, a plain read-only open.
 */
export const O_PATH = ["x64", "arm64", "arm", "ia32", "riscv64", "s390x", "ppc64", "loong64"].includes(process.arch)
  ? 0o10000000
  : O_RDONLY;
const folderFlags = O_PATH | O_DIRECTORY | O_NOFOLLOW;

/**
 * An open folder: a handle on the folder itself, not on its name. Every name inside it is looked up in this very
 * folder through `/proc/self/fd/<fd>/<name>` (the kernel resolves the fd's magic link to the pinned folder, never
 * re-walking the path), so renaming or replacing any folder on the way after it was opened changes nothing. Linux
 * only, as AstrOS's sandbox is. This is Node's missing openat(2): every file operation of the boundary goes through it.
 */
export class PinnedFolder {
  #closed = false;
  constructor(
    /** The open folder's descriptor. */
    readonly fd: number,
    /** The real path it was reached by (for messages and the journal; never used to reach it again). */
    readonly path: string,
  ) {}

  /** `name` (one plain name, no `/`, `.` or `..`) inside this folder, as a path any fs call takes. */
  entry(name: string): string {
    if (!isPlainName(name)) throw new Error(`not a plain name inside ${this.path}: ${JSON.stringify(name)}`);
    return `/proc/self/fd/${this.fd}/${name}`;
  }

  /** This folder itself, as a path (for readdir). */
  get self(): string {
    return `/proc/self/fd/${this.fd}`;
  }

  /** The real path of `name` inside this folder. */
  pathOf(name: string): string {
    return path.join(this.path, name);
  }

  /**
   * The folder `name` inside this one, opened as every pinned folder is: O_NOFOLLOW, so a link there is refused
   * (PATH_DENIED), never followed. For walks of whole trees: each folder is listed through its own handle (`self`)
   * and its subfolders opened from it, so a folder swapped for a link mid-walk is never entered. Synchronous: one
   * openat, far cheaper than a round trip through libuv's threads.
   */
  openFolder(name: string): PinnedFolder {
    return openNext(this, name);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.fd);
  }
}

/** A single path component: not empty, no `/`, not `.` or `..`, no NUL. */
export function isPlainName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0");
}

/**
 * Open the folder at `realPath` (absolute, as the path guard resolved it: no `..`) from `/`, one name at a time,
 * each opened with O_NOFOLLOW inside the folder opened before it: no symbolic link is followed anywhere on the way,
 * so what is opened is the folder the guard judged, or nothing. A name that became a link is refused
 * (PATH_DENIED); a missing one is ENOENT with the real path. The caller closes the folder.
 */
export function pinFolder(realPath: string): PinnedFolder {
  return pinFolderFromRoot(realPath);
}

/** pinFolder, always walking from `/` (the folder cache's own way in). */
export function pinFolderFromRoot(realPath: string): PinnedFolder {
  if (!path.isAbsolute(realPath)) throw new Error(`not an absolute path: ${realPath}`);
  const names = realPath.split("/").filter((name) => name !== "");
  if (!names.every(isPlainName)) throw new Error(`not a resolved path: ${realPath}`);
  let folder = new PinnedFolder(openSync("/", folderFlags), "/");
  try {
    for (const name of names) {
      const next = openNext(folder, name);
      folder.close();
      folder = next;
    }
    return folder;
  } catch (error) {
    folder.close();
    throw error;
  }
}

/** The folder `name` inside `folder`, opened without following a link. */
export function openNext(folder: PinnedFolder, name: string): PinnedFolder {
  const inside = folder.entry(name);
  try {
    return new PinnedFolder(openSync(inside, folderFlags), folder.pathOf(name));
  } catch (error) {
    // O_NOFOLLOW with O_DIRECTORY on a link fails with ENOTDIR or ELOOP: say which it was.
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === "ENOTDIR" || code === "ELOOP") && lstatSync(inside, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
      throw boundaryRefusal({ rule: "link", path: folder.pathOf(name) });
    }
    throw withRealPath(error, folder.pathOf(name));
  }
}

/**
 * Run `work` with the folder at `realPath` pinned, then close it; inside a bulk operation (withFolderCache), the
 * operation's open folder is used and stays open for the next step.
 */
export async function withFolder<T>(realPath: string, work: (folder: PinnedFolder) => T | Promise<T>): Promise<T> {
  const cached = activeFolderCache()?.pin(realPath);
  const folder = cached?.folder ?? pinFolderFromRoot(realPath);
  try {
    return await work(folder);
  } finally {
    if (cached === undefined || cached.owned) folder.close();
  }
}

/** Run `work` with the folder holding `realPath` pinned and the entry's own name. */
export function withParent<T>(realPath: string, work: (folder: PinnedFolder, name: string) => T | Promise<T>): Promise<T> {
  const name = path.basename(realPath);
  if (!isPlainName(name)) return Promise.reject(new Error(`not an entry inside a folder: ${realPath}`));
  return withFolder(path.dirname(realPath), (folder) => work(folder, name));
}
