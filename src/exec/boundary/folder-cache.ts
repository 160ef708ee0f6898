import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import { openNext, type PinnedFolder, pinFolderFromRoot } from "./pinned-folder.js";

/** Folders one cache keeps open at most; past it, folders are opened and closed per use as without a cache. */
const maximumOpen = 512;

/**
 * Folders opened once for a bulk operation (a move of thousands of files, an undo): each reached from `/` without
 * following a link, like any PinnedFolder, and a subfolder opened from its cached parent (one open, not one per
 * component). Only for the length of one operation (withFolderCache): an open folder stays the folder it was when
 * opened, so a long-lived cache would act on a folder somebody has since moved away. A folder the operation itself
 * renames or removes is forgotten with everything under it.
 */
export class FolderCache {
  readonly #open = new Map<string, PinnedFolder>();
  /** Forgotten folders, closed only at the end: a step still running in one must never see its number reused. */
  readonly #retired: PinnedFolder[] = [];
  /** Folders found missing, and the error that said so: a bulk move asks about a folder it has not made yet once per file. */
  readonly #missing = new Map<string, Error>();

  /** The folder at `realPath`, open; `owned` when the caller must close it (the cache is full). */
  pin(realPath: string): { folder: PinnedFolder; owned: boolean } {
    const known = this.#open.get(realPath);
    if (known !== undefined) return { folder: known, owned: false };
    const missing = this.#missing.get(realPath);
    if (missing !== undefined) throw missing;
    if (realPath === "/" || this.#open.size + this.#retired.length >= maximumOpen)
      return { folder: pinFolderFromRoot(realPath), owned: true };
    const parent = this.pin(path.dirname(realPath));
    let folder: PinnedFolder;
    try {
      folder = openNext(parent.folder, path.basename(realPath));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") this.#missing.set(realPath, error as Error);
      throw error;
    } finally {
      if (parent.owned) parent.folder.close();
    }
    if (this.#open.size + this.#retired.length >= maximumOpen) return { folder, owned: true };
    this.#open.set(realPath, folder);
    return { folder, owned: false };
  }

  /** Forget what is known of `realPath` and everything under it: it was renamed, removed or made. */
  forget(realPath: string): void {
    const prefix = realPath.endsWith("/") ? realPath : `${realPath}/`;
    for (const known of this.#missing.keys()) {
      if (known === realPath || known.startsWith(prefix)) this.#missing.delete(known);
    }
    for (const [known, folder] of this.#open) {
      if (known === realPath || known.startsWith(prefix)) {
        this.#open.delete(known);
        this.#retired.push(folder);
      }
    }
  }

  close(): void {
    for (const folder of [...this.#open.values(), ...this.#retired.splice(0)]) folder.close();
    this.#open.clear();
  }
}

const current = new AsyncLocalStorage<FolderCache>();

/** The cache of the operation running now, if it has one. */
export function activeFolderCache(): FolderCache | undefined {
  return current.getStore();
}

/** Run `work` (a bulk operation) with one folder cache, closed when it ends; inside another, the outer one is used. */
export async function withFolderCache<T>(work: () => Promise<T>): Promise<T> {
  if (current.getStore() !== undefined) return work();
  const cache = new FolderCache();
  try {
    return await current.run(cache, work);
  } finally {
    cache.close();
  }
}
