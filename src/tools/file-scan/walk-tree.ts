import { type Dirent, readdir } from "node:fs";
import path from "node:path";
import { type PinnedFolder, pinFolder } from "../../sdk.js";
import { IgnoreRules, ignoreFileNames } from "./ignore-rules.js";

/** A folder the walk has read. */
export interface WalkFolder {
  readonly path: string;
  /** 0 for the root. */
  readonly depth: number;
  readonly parent: WalkFolder | undefined;
  /** The ignore rules in force here (only when the walk honours ignore files). */
  readonly rules: IgnoreRules | undefined;
  /**
   * A path that reaches the entry `name` of this very folder (the one the walk opened and listed), not by its real
   * path: `/proc/self/fd/<fd>/<name>`. Valid while the walk lists this folder (during `visit`) or while a `hold()`
   * is kept. Stat and read entries through it: a folder on the way swapped for a link since then changes nothing.
   */
  access(name: string): string;
  /** Keep this folder open past `visit` (for stats or reads done later); call the returned function when done. */
  hold(): () => void;
}

export interface WalkOptions {
  /**
   * An existing folder (a real path, as the path guard resolved it). The walk opens it from `/` without following a
   * link, lists each folder through its own open handle and opens each subfolder from its parent's handle with
   * O_NOFOLLOW: no symlink is ever followed, even one swapped in for a folder mid-walk, so it never leaves the root.
   */
  root: string;
  /** Include names that start with a dot (default false). */
  hidden?: boolean;
  /** Honour .gitignore and .ignore files, and skip .git folders (default false). */
  ignoreFiles?: boolean;
  signal?: AbortSignal;
  /** Folders read at once (default 128: measured fastest here; libuv's threads never wait for work). */
  concurrency?: number;
  /**
   * Called once per folder with the entries the walk kept (hidden and ignored ones left out). The walk goes on into
   * every kept directory entry; symlinks are reported, never followed. Throwing ends the walk with that error.
   */
  visit(folder: WalkFolder, entries: readonly Dirent[]): void;
}

export interface WalkSummary {
  folders: number;
  entries: number;
  /** Folders below the root that could not be read (no permission, or gone while walking). */
  unreadableFolders: string[];
}

/** The path of an entry of a folder. */
export function entryPath(folder: Pick<WalkFolder, "path">, name: string): string {
  return folder.path.endsWith(path.sep) ? folder.path + name : folder.path + path.sep + name;
}

/** A folder the walk opened: closed when the walk and every hold on it are done. */
class OpenWalkFolder implements WalkFolder {
  #holds = 1;
  constructor(
    readonly handle: PinnedFolder,
    readonly depth: number,
    readonly parent: WalkFolder | undefined,
    public rules: IgnoreRules | undefined,
  ) {}

  get path(): string {
    return this.handle.path;
  }

  access(name: string): string {
    return this.handle.entry(name);
  }

  hold(): () => void {
    this.#holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  release(): void {
    this.#holds -= 1;
    if (this.#holds === 0) this.handle.close();
  }

  withRules(rules: IgnoreRules | undefined): OpenWalkFolder {
    this.rules = rules;
    return this;
  }
}

/** A subfolder found, not opened yet: its parent stays open (held) until it is. */
interface QueuedFolder {
  parent: OpenWalkFolder;
  name: string;
}

/**
 * Walk a tree, many folders at once, with callback `readdir` and the file types the listing gives, so no file is
 * stat'ed. Measured on two cores: 200,000 files in about 130 ms, where `find -name` took 150 to 230 ms and fdir
 * about 110 to 160 ms; unlike fdir, it can read each folder's ignore files before judging its entries. Each folder
 * is a handle opened without following links (see `root`), listed through `/proc/self/fd/<fd>`.
 */
export function walkTree(options: WalkOptions): Promise<WalkSummary> {
  const { root, signal, visit } = options;
  const hidden = options.hidden ?? false;
  const ignoreFiles = options.ignoreFiles ?? false;
  const concurrency = options.concurrency ?? 128;
  const summary: WalkSummary = { folders: 0, entries: 0, unreadableFolders: [] };

  return new Promise<WalkSummary>((resolve, reject) => {
    const queue: QueuedFolder[] = [];
    let active = 0;
    let settled = false;

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      // Subfolders never opened: their parents need not stay open for them.
      for (const queued of queue.splice(0)) queued.parent.release();
      if (error === undefined) resolve(summary);
      else reject(error);
    };
    const onAbort = () => finish(signal?.reason);

    const keep = (folder: WalkFolder, entries: Dirent[]) => {
      const kept: Dirent[] = [];
      for (const entry of entries) {
        const name = entry.name;
        if (!hidden && name.charCodeAt(0) === 46 /* . */) continue;
        if (folder.rules !== undefined || ignoreFiles) {
          const isDirectory = entry.isDirectory();
          if (isDirectory && name === ".git") continue;
          if (folder.rules?.ignores(entryPath(folder, name), isDirectory) === true) continue;
        }
        kept.push(entry);
      }
      return kept;
    };

    const take = (folder: OpenWalkFolder, entries: Dirent[]) => {
      const kept = keep(folder, entries);
      summary.folders += 1;
      summary.entries += kept.length;
      visit(folder, kept);
      for (const entry of kept) {
        if (entry.isDirectory()) {
          folder.hold();
          queue.push({ parent: folder, name: entry.name });
        }
      }
    };

    // A folder is done: its entries judged and passed on, its subfolders queued; the walk's own hold let go.
    const settle = (folder: OpenWalkFolder, entries: Dirent[]) => {
      active -= 1;
      if (settled) return folder.release();
      try {
        take(folder, entries);
      } catch (visitError) {
        folder.release();
        return finish(visitError);
      }
      folder.release();
      pump();
    };

    const listed = (folder: OpenWalkFolder, error: NodeJS.ErrnoException | null, entries: Dirent[]) => {
      if (error !== null) {
        if (folder.depth === 0 && !settled) {
          active -= 1;
          folder.release();
          return finish(Object.assign(error, { path: folder.path }));
        }
        summary.unreadableFolders.push(folder.path);
        return settle(folder, []);
      }
      if (settled) return settle(folder, []);
      const ignoreNames = ignoreFiles
        ? entries.filter((entry) => entry.isFile() && (ignoreFileNames as readonly string[]).includes(entry.name))
        : [];
      if (ignoreNames.length === 0) return settle(folder, entries);
      IgnoreRules.load(
        { path: folder.path, access: (name) => folder.access(name) },
        ignoreNames.map((entry) => entry.name),
        folder.rules,
      ).then(
        (rules) => settle(folder.withRules(rules), entries),
        (loadError) => {
          settle(folder, []);
          finish(loadError);
        },
      );
    };

    const list = (folder: OpenWalkFolder) => {
      readdir(folder.handle.self, { withFileTypes: true }, (error, entries) => listed(folder, error, entries));
    };

    const open = ({ parent, name }: QueuedFolder) => {
      let handle: PinnedFolder;
      try {
        handle = parent.handle.openFolder(name);
      } catch {
        // Gone, unreadable, or a link swapped in for the folder: not entered, counted as unreadable.
        parent.release();
        active -= 1;
        summary.unreadableFolders.push(entryPath(parent, name));
        return;
      }
      parent.release();
      list(new OpenWalkFolder(handle, parent.depth + 1, parent, parent.rules));
    };

    const pump = () => {
      if (settled) return;
      if (signal?.aborted) return finish(signal.reason);
      while (active < concurrency && queue.length > 0) {
        active += 1;
        open(queue.pop() as QueuedFolder);
      }
      if (active === 0 && queue.length === 0) finish();
    };

    if (signal?.aborted) return finish(signal.reason);
    let top: PinnedFolder;
    try {
      top = pinFolder(root);
    } catch (error) {
      return finish(error);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    active += 1;
    list(new OpenWalkFolder(top, 0, undefined, undefined));
  });
}
