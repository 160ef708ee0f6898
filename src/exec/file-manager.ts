import { existsSync, constants as fsConstants, lstatSync, type Stats, statSync } from "node:fs";
import { mkdir, realpath } from "node:fs/promises";
import path from "node:path";
import { ProcessingError } from "../core/errors/processing-error.js";
import type { FileChange, FileEntry } from "../plugins/handler-context.js";
import {
  changeModeEntry,
  listFolder,
  lstatEntry,
  makeFolder,
  makeFolders,
  openEntry,
  openForReading,
  removeEntry,
  removeFolder,
} from "./boundary/file-boundary.js";
import { withFolderCache } from "./boundary/folder-cache.js";
import type { FileJournal, JournalOperation, OperationInfo } from "./journal/file-journal.js";
import { writeWhole } from "./journal/file-journal.js";
import { copyWhole, exists, freeName, moveNoOverwrite } from "./journal/file-steps.js";

export interface FileManagerOptions {
  journal: FileJournal;
  /** Who and what, for the journal; the operation starts at the first change. */
  operation: OperationInfo;
  /** The path guard: the real path if allowed, else throws PATH_DENIED. */
  resolve: (input: string) => Promise<string>;
  /** The freedesktop trash folder (`$XDG_DATA_HOME/Trash`). */
  trashDirectory: string;
}

/** Where a change put a file: `collision` when the wanted name was taken and another was used. */
export type ChangeResult = FileChange;

const textReadLimit = 10 * 1024 * 1024;

/**
 * The seed's FileManager: every path through the path guard, every change journaled before it
 * happens (so `astros undo` can put it back byte for byte and a crash is rolled back), nothing
 * overwritten (a taken name becomes `name (1).ext`), deletes go to the trash. Every file operation
 * acts through the file boundary (./boundary): on the real path the guard judged, relative to folders
 * opened without following a link, so a link swapped in after the check is refused, never followed.
 */
export class FileManager {
  #operation: Promise<JournalOperation> | undefined;
  readonly #planned = new Set<string>();
  readonly #folders = new Map<string, Promise<string | undefined>>();
  #finished = false;
  #trashReal: Promise<string> | undefined;
  constructor(private readonly options: FileManagerOptions) {}

  /** The journal operation of this tool call, if anything changed. */
  get operation(): Promise<JournalOperation> | undefined {
    return this.#operation;
  }

  async readFile(input: string, { maxBytes = textReadLimit }: { maxBytes?: number } = {}): Promise<string> {
    const realPath = await this.options.resolve(input);
    // Non-blocking (a named pipe must not hold a file-I/O thread for good), never through a link, never a file with
    // other names (a hard link to a file outside the roots): the boundary opens it so, and it is judged as opened.
    const { handle, info } = await openForReading(realPath);
    try {
      if (!info.isFile()) {
        throw new ProcessingError(
          `${input} is not a regular file (a ${info.isDirectory() ? "folder" : "device, pipe or socket"}); only files can be read`,
          {
            code: "REQUEST_INVALID",
            details: { path: input },
          },
        );
      }
      const { size } = info;
      if (size > maxBytes) {
        throw new ProcessingError(`${input} is ${size} bytes; the limit for reading it is ${maxBytes}`, {
          code: "REQUEST_INVALID",
          details: { path: input, size, maxBytes },
        });
      }
      const bytes = await handle.readFile();
      if (bytes.subarray(0, 8192).includes(0)) {
        throw new ProcessingError(`${input} is a binary file; only text files can be read`, {
          code: "REQUEST_INVALID",
          details: { path: input },
        });
      }
      return bytes.toString("utf8");
    } finally {
      await handle.close();
    }
  }

  /** The real path if the path guard allows it. */
  resolve(input: string): Promise<string> {
    return this.options.resolve(input);
  }

  async listDirectory(input: string): Promise<FileEntry[]> {
    const directory = await this.options.resolve(input);
    const entries = (await listFolder(directory)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return entries.flatMap(({ name, info }) => (info === undefined ? [] : [describeEntry(path.join(directory, name), info)]));
  }

  async stat(input: string): Promise<FileEntry> {
    const realPath = await this.options.resolve(input);
    const info = await lstatEntry(realPath);
    if (info === undefined) {
      throw Object.assign(new Error(`ENOENT: no such file or directory, lstat '${realPath}'`), {
        code: "ENOENT",
        syscall: "lstat",
        path: realPath,
      });
    }
    return describeEntry(realPath, info);
  }

  /** Create a folder (and its parents); journaled so undo removes what it made if still empty. */
  async createDirectory(input: string): Promise<string> {
    const target = await this.options.resolve(input);
    const missing: string[] = [];
    for (let current = target; !(await exists(current)); current = path.dirname(current)) missing.unshift(current);
    const operation = await this.#begin();
    for (const folder of missing) {
      await operation.run({ action: "mkdir", path: folder }, () => makeFolder(folder));
    }
    return target;
  }

  /** Write a text or binary file; what it replaces is kept in the journal's backups for undo. */
  async writeFile(input: string, content: string | Uint8Array): Promise<ChangeResult> {
    const target = await this.options.resolve(input);
    await this.createDirectory(path.dirname(target));
    const operation = await this.#begin();
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    let backup: string | undefined;
    const existing = await lstatEntry(target);
    if (existing !== undefined) {
      // A link is not a file: one swapped in after the check is neither followed nor replaced.
      if (!existing.isFile()) throw new ProcessingError(`${input} is not a file`, { code: "REQUEST_INVALID" });
      backup = path.join(this.options.journal.backupDirectory(operation.id), String(operation.changes), path.basename(target));
      const saved = backup;
      await makeFolders(path.dirname(saved), 0o700);
      // Moved, not copied: the original keeps its exact bytes and timestamps for undo.
      await operation.run({ action: "move", from: target, to: saved }, () => moveNoOverwrite(target, saved, operation.id));
    }
    await operation.run({ action: "write", path: target, sha256, ...(backup === undefined ? {} : { backup }) }, () =>
      writeWhole(target, bytes, operation.id),
    );
    return { path: target, collision: false };
  }

  /** Set a file's or folder's permission bits; journaled, so undo puts the old bits back. */
  async setMode(input: string, mode: number): Promise<{ path: string; previousMode: number; mode: number }> {
    const target = await this.options.resolve(input);
    const info = await lstatEntry(target);
    if (info === undefined) {
      throw new ProcessingError(`${input} does not exist`, { code: "REQUEST_INVALID", details: { path: input } });
    }
    const previousMode = info.mode & 0o7777;
    const wanted = mode & 0o7777;
    if (previousMode === wanted) return { path: target, previousMode, mode: wanted };
    const operation = await this.#begin();
    await operation.run({ action: "chmod", path: target, previousMode, mode: wanted }, () => changeModeEntry(target, wanted));
    return { path: target, previousMode, mode: wanted };
  }

  /** Move a file or folder into `destination` (a folder) or to `destination` (a new name). Never overwrites. */
  async moveFile(source: string, destination: string): Promise<ChangeResult> {
    const from = await this.#entry(source);
    const to = await this.#freeTarget(from, destination);
    await this.createDirectory(path.dirname(to.path));
    if (folderAcrossDevices(from, to.path, new Map())) {
      await this.#moveFolderAcross(from, to.path);
    } else {
      const operation = await this.#begin();
      await operation.run({ action: "move", from, to: to.path }, () => moveNoOverwrite(from, to.path, operation.id));
    }
    this.#planned.delete(to.path);
    return to;
  }

  /**
   * Move many files at once (organizing, bulk moves): each checked and given a free name like
   * moveFile, the journal written for the whole batch with one disk sync before any of them moves.
   */
  moveFiles(moves: ReadonlyArray<{ source: string; destination: string }>): Promise<ChangeResult[]> {
    // One set of open folders for the whole batch: each folder opened (never through a link) once, not once per file.
    return withFolderCache(() => this.#moveFiles(moves));
  }

  async #moveFiles(moves: ReadonlyArray<{ source: string; destination: string }>): Promise<ChangeResult[]> {
    const planned = await this.#planTargets(moves, this.#planned);
    const folders = new Set(planned.map(({ to }) => path.dirname(to.path)));
    for (const folder of folders) await this.createDirectory(folder);
    const devices = new Map<string, number>();
    const across = planned.filter(({ from, to }) => folderAcrossDevices(from, to.path, devices));
    const renames = planned.filter((move) => !across.includes(move));
    const operation = await this.#begin();
    if (renames.length > 0) {
      await operation.runBatch(
        renames.map(({ from, to }) => ({ action: "move" as const, from, to: to.path })),
        (step) => (step.action === "move" ? moveNoOverwrite(step.from, step.to, operation.id) : Promise.resolve()),
        { concurrency: 16 },
      );
    }
    for (const { from, to } of across) await this.#moveFolderAcross(from, to.path);
    for (const { to } of planned) this.#planned.delete(to.path);
    return planned.map(({ to }) => to);
  }

  /** Where moveFiles would put each file, changing nothing: a dry run's exact plan, collisions and new names included. */
  async planMoves(moves: ReadonlyArray<{ source: string; destination: string }>): Promise<ChangeResult[]> {
    const planned = await withFolderCache(() => this.#planTargets(moves, new Set(this.#planned)));
    return planned.map(({ to }) => to);
  }

  /** Each move checked by the guard and given its target: the wanted name, else a free one; claimed in `taken`. */
  async #planTargets(
    moves: ReadonlyArray<{ source: string; destination: string }>,
    taken: Set<string>,
  ): Promise<Array<{ from: string; to: ChangeResult }>> {
    // Checking is read-only, so it runs many at a time; names are then claimed in order, so two files
    // wanting the same name never both get it.
    const checked = await mapConcurrently(moves, 32, async (move) => {
      const from = await this.#entry(move.source);
      const { path: wanted, taken } = await this.#wanted(from, move.destination);
      return { from, wanted, free: wanted === from || !(taken ?? (await exists(wanted))) };
    });
    const planned: Array<{ from: string; to: ChangeResult }> = [];
    for (const { from, wanted, free } of checked) {
      let target = wanted;
      if (wanted !== from && (!free || taken.has(wanted))) target = await freeName(wanted, taken);
      taken.add(target);
      planned.push({ from, to: { path: target, collision: target !== wanted } });
    }
    return planned;
  }

  /** Copy a file (bytes, mode and timestamps). Never overwrites. */
  async copyFile(source: string, destination: string): Promise<ChangeResult> {
    const from = await this.#existing(source);
    if ((await lstatEntry(from))?.isFile() !== true)
      throw new ProcessingError(`${source} is not a file; only files can be copied`, { code: "REQUEST_INVALID" });
    const to = await this.#freeTarget(from, destination, true);
    await this.createDirectory(path.dirname(to.path));
    const operation = await this.#begin();
    await operation.run({ action: "copy", from, to: to.path }, () => copyWhole(from, to.path, operation.id));
    this.#planned.delete(to.path);
    return to;
  }

  /** Rename in place (same folder). */
  async renameFile(source: string, newName: string): Promise<ChangeResult> {
    if (newName.includes("/") || newName === "." || newName === ".." || newName === "") {
      throw new ProcessingError(`"${newName}" is not a file name`, { code: "REQUEST_INVALID" });
    }
    const from = await this.#entry(source);
    return this.moveFile(from, path.join(path.dirname(from), newName));
  }

  /** Move to the freedesktop trash (with its .trashinfo), never unlink. Undo puts it back. */
  async deleteFile(input: string): Promise<{ path: string; trashPath: string }> {
    const from = await this.#entry(input);
    const trash = await this.#trash();
    const files = path.join(trash, "files");
    const info = path.join(trash, "info");
    await makeFolders(files, 0o700);
    await makeFolders(info, 0o700);
    const operation = await this.#begin();
    // A name free in both halves of the trash: no file of that name, and no .trashinfo (even one left without its file).
    const tried = new Set<string>();
    let trashPath = await freeName(path.join(files, path.basename(from)));
    while (await exists(infoPathOf(info, trashPath))) {
      tried.add(trashPath);
      trashPath = await freeName(path.join(files, path.basename(from)), tried);
    }
    const target = trashPath;
    const infoPath = infoPathOf(info, target);
    // Journaled before anything is written, so a crash at any point is rolled back, the .trashinfo included.
    await operation.run({ action: "trash", path: from, trashPath: target, infoPath }, async () => {
      // The .trashinfo first, created exclusively: it reserves the name (freedesktop trash spec).
      const created = await openEntry(infoPath, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
      try {
        await created.writeFile(trashInfo(from, new Date()));
      } finally {
        await created.close();
      }
      try {
        await moveNoOverwrite(from, target, operation.id);
      } catch (error) {
        await removeEntry(infoPath, { force: true });
        throw error;
      }
    });
    return { path: from, trashPath: target };
  }

  /**
   * Move a folder to another file system, where it cannot be renamed: its folders made there, each file (and
   * symbolic link) moved into them as a step of its own (copied whole, then removed), then its emptied folders
   * removed, deepest first. Every step is journaled, so undo and crash recovery put it all back.
   */
  #moveFolderAcross(from: string, to: string): Promise<void> {
    return withFolderCache(() => this.#moveFolderAcrossNow(from, to));
  }

  async #moveFolderAcrossNow(from: string, to: string): Promise<void> {
    const folders = [from];
    const entries: string[] = [];
    const walk = async (folder: string) => {
      for (const { name, info } of await listFolder(folder)) {
        const full = path.join(folder, name);
        if (info?.isDirectory() === true) {
          folders.push(full);
          await walk(full);
        } else if (info === undefined || info.isFile() || info.isSymbolicLink()) {
          entries.push(full);
        } else {
          throw new ProcessingError(
            `${full} is a device, pipe or socket, so ${from} cannot be moved to another file system; nothing was moved`,
            { code: "REQUEST_INVALID", details: { path: full } },
          );
        }
      }
    };
    await walk(from);
    const moved = (inside: string) => path.join(to, path.relative(from, inside));
    const operation = await this.#begin();
    await operation.runBatch(
      folders.map((folder) => ({ action: "mkdir" as const, path: moved(folder) })),
      (step) => (step.action === "mkdir" ? makeFolder(step.path) : Promise.resolve()),
    );
    for (let start = 0; start < entries.length; start += 500) {
      await operation.runBatch(
        entries.slice(start, start + 500).map((entry) => ({ action: "move" as const, from: entry, to: moved(entry) })),
        (step) => (step.action === "move" ? moveNoOverwrite(step.from, step.to, operation.id) : Promise.resolve()),
        { concurrency: 4 },
      );
    }
    await operation.runBatch(
      folders.reverse().map((folder) => ({ action: "rmdir" as const, path: folder })),
      (step) => (step.action === "rmdir" ? removeFolder(step.path) : Promise.resolve()),
    );
  }

  /** Finish: commit the journal operation if anything changed. */
  async finish(): Promise<string | undefined> {
    this.#finished = true;
    const operation = await this.#operation;
    if (operation === undefined) return undefined;
    await operation.commit();
    return operation.id;
  }

  /**
   * The entry a move, rename or delete acts on: what the path names, and when that is a symbolic link, the link
   * itself, never what it points to (deleting a link must not trash its target), even a link to nothing. The path
   * guard checks the path whole, as for any change, and the folder the entry is in.
   */
  async #entry(input: string): Promise<string> {
    const name = path.basename(input);
    if (name === "" || name === "." || name === ".." || name === "~" || input.endsWith(path.sep)) return this.#existing(input);
    const resolved = await this.options.resolve(input);
    const folder = await this.#folderOf(path.dirname(input));
    const candidate = folder === undefined ? undefined : path.join(folder, name);
    const there = candidate === undefined ? undefined : await lstatEntry(candidate);
    if (candidate !== undefined && there?.isSymbolicLink() === true) return candidate;
    // The common case, the entry is the real path itself: what is there is already known.
    if (candidate === resolved && there !== undefined) return resolved;
    if (!(await exists(resolved))) {
      throw new ProcessingError(`${input} does not exist`, { code: "REQUEST_INVALID", details: { path: input } });
    }
    return resolved;
  }

  /**
   * The real path of the folder an entry is in, through the path guard (once per folder in a tool call: a bulk
   * move asks about one folder for thousands of files); undefined for an allowed root's folder, which is not allowed.
   */
  #folderOf(folder: string): Promise<string | undefined> {
    let known = this.#folders.get(folder);
    if (known === undefined) {
      known = this.options.resolve(folder).catch(() => undefined);
      this.#folders.set(folder, known);
    }
    return known;
  }

  async #existing(input: string): Promise<string> {
    const resolved = await this.options.resolve(input);
    if (!(await exists(resolved))) {
      throw new ProcessingError(`${input} does not exist`, { code: "REQUEST_INVALID", details: { path: input } });
    }
    return resolved;
  }

  /** Where a move or copy wants to put a file: into a folder (keeping the name) or at the path given. Checked by the guard. */
  async #wantedTarget(from: string, destination: string): Promise<string> {
    return (await this.#wanted(from, destination)).path;
  }

  /** #wantedTarget, and whether something is at that path already (known when the destination is not a folder). */
  async #wanted(from: string, destination: string): Promise<{ path: string; taken?: boolean }> {
    const resolved = await this.options.resolve(destination);
    const info = await lstatEntry(resolved);
    if (info?.isDirectory() !== true) return { path: resolved, taken: info !== undefined };
    return { path: await this.options.resolve(path.join(resolved, path.basename(from))) };
  }

  /** The target for a move or copy: into a folder keeps the name; a free name is found on collision. */
  async #freeTarget(from: string, destination: string, copy = false): Promise<ChangeResult> {
    const wanted = await this.#wantedTarget(from, destination);
    // A move onto itself is nothing to do; a copy into its own folder ("duplicate report.docx") goes beside it.
    if (wanted === from && !copy) return { path: from, collision: false };
    const free = await freeName(wanted, this.#planned);
    this.#planned.add(free);
    return { path: free, collision: free !== wanted };
  }

  /** The trash folder as a real path (made if missing), so everything in it goes through the boundary. */
  #trash(): Promise<string> {
    this.#trashReal ??= mkdir(this.options.trashDirectory, { recursive: true, mode: 0o700 }).then(() =>
      realpath(this.options.trashDirectory),
    );
    return this.#trashReal;
  }

  #begin(): Promise<JournalOperation> {
    if (this.#finished) {
      throw new ProcessingError("This tool call is over; its file changes were already recorded", { code: "PLUGIN_INVALID" });
    }
    this.#operation ??= this.options.journal.begin(this.options.operation);
    return this.#operation;
  }
}

/**
 * Whether moving `from` to `to` is a folder going to another file system (a rename cannot do it). Devices of
 * folders are remembered in `devices`, so a bulk move of files between two folders looks at each folder once.
 */
function folderAcrossDevices(from: string, to: string, devices: Map<string, number>): boolean {
  const deviceOf = (folder: string): number => {
    let known = devices.get(folder);
    if (known === undefined) {
      // The nearest folder that exists: the target's may not yet.
      let existing = folder;
      while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
      known = statSync(existing).dev;
      devices.set(folder, known);
    }
    return known;
  };
  if (deviceOf(path.dirname(from)) === deviceOf(path.dirname(to))) return false;
  return lstatSync(from, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Run `work` over items with at most `limit` at a time, keeping their order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function describeEntry(filePath: string, info: Stats): FileEntry {
  return {
    name: path.basename(filePath),
    path: filePath,
    type: info.isFile() ? "file" : info.isDirectory() ? "directory" : info.isSymbolicLink() ? "symlink" : "other",
    size: info.size,
    modified: info.mtime,
    mode: info.mode & 0o7777,
  };
}

/** The .trashinfo that goes with a file in the trash's `files` folder. */
function infoPathOf(infoFolder: string, trashPath: string): string {
  return path.join(infoFolder, `${path.basename(trashPath)}.trashinfo`);
}

/** The .trashinfo content: the original path, percent-encoded, and the deletion time in local time. */
function trashInfo(original: string, when: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
  const encoded = original
    .split("/")
    .map((part) => encodeURIComponent(part))
    .join("/");
  return `[Trash Info]\nPath=${encoded}\nDeletionDate=${date}\n`;
}
