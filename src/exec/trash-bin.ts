import { realpath } from "node:fs/promises";
import path from "node:path";
import { listFolder, lstatEntry, openForReading, removeEntry, removeFolder } from "./boundary/file-boundary.js";
import type { JournalOperation } from "./journal/file-journal.js";
import { exists, freeName, moveNoOverwrite } from "./journal/file-steps.js";

/**
 * The freedesktop trash (`$XDG_DATA_HOME/Trash`: `files/` holds what was trashed, `info/NAME.trashinfo` where it came
 * from and when), read and changed as any program that follows the spec does, so what AstrOS, a file manager or
 * `gio trash` put there can be listed, restored and emptied alike. Everything goes through the file boundary.
 */

/** One thing in the trash. */
export interface TrashItem {
  /** Its name in `files/`. */
  name: string;
  /** Where it was before it was trashed (absolute), when its .trashinfo says. */
  original: string | undefined;
  deletedAt: Date | undefined;
  filePath: string;
  infoPath: string;
  kind: "file" | "folder" | "other";
  /** Bytes it holds (a folder: everything in it). */
  bytes: number;
}

/** The trash's real path, or undefined when there is none yet. */
async function trashRoot(trashDirectory: string): Promise<string | undefined> {
  try {
    return await realpath(trashDirectory);
  } catch {
    return undefined;
  }
}

/** Bytes under a path, never following a link; stops counting past `limit` entries. */
async function bytesUnder(target: string, limit = { left: 200_000 }): Promise<number> {
  const info = await lstatEntry(target);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const { name, info: child } of await listFolder(target)) {
    if (--limit.left < 0) break;
    total += child?.isDirectory() === true ? await bytesUnder(path.join(target, name), limit) : (child?.size ?? 0);
  }
  return total;
}

/** A .trashinfo's Path and DeletionDate. */
async function readInfo(infoPath: string, trash: string): Promise<{ original?: string; deletedAt?: Date }> {
  let text = "";
  try {
    const { handle, info } = await openForReading(infoPath);
    try {
      if (!info.isFile() || info.size > 64 * 1024) return {};
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return {};
  }
  const found: { original?: string; deletedAt?: Date } = {};
  const where = /^Path=(.+)$/m.exec(text)?.[1]?.trim();
  if (where !== undefined) {
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(where);
    } catch {
      decoded = undefined;
    }
    // The home trash's relative paths are relative to the folder that holds the trash's own folder (the spec).
    if (decoded !== undefined && !decoded.includes("\0"))
      found.original = path.resolve(path.dirname(path.dirname(trash)), decoded);
  }
  const when = /^DeletionDate=(.+)$/m.exec(text)?.[1]?.trim();
  if (when !== undefined && !Number.isNaN(Date.parse(when))) found.deletedAt = new Date(when);
  return found;
}

/** Everything in the trash, newest first. */
export async function listTrash(trashDirectory: string): Promise<TrashItem[]> {
  const trash = await trashRoot(trashDirectory);
  if (trash === undefined) return [];
  const files = path.join(trash, "files");
  const info = path.join(trash, "info");
  const items: TrashItem[] = [];
  const entries = await listFolder(files).catch(() => []);
  for (const { name, info: stats } of entries) {
    const filePath = path.join(files, name);
    const infoPath = path.join(info, `${name}.trashinfo`);
    const recorded = await readInfo(infoPath, trash);
    items.push({
      name,
      original: recorded.original,
      deletedAt: recorded.deletedAt,
      filePath,
      infoPath,
      kind: stats?.isDirectory() === true ? "folder" : stats?.isFile() === true ? "file" : "other",
      bytes: await bytesUnder(filePath),
    });
  }
  return items.sort((a, b) => (b.deletedAt?.getTime() ?? 0) - (a.deletedAt?.getTime() ?? 0));
}

/** Remove a path for good, never following a link: a folder's contents deepest first, then the folder. */
async function removeForGood(target: string, signal?: AbortSignal): Promise<void> {
  const info = await lstatEntry(target);
  if (info === undefined) return;
  if (!info.isDirectory()) return removeEntry(target, { force: true });
  for (const { name } of await listFolder(target)) {
    signal?.throwIfAborted();
    await removeForGood(path.join(target, name), signal);
  }
  await removeFolder(target);
}

/**
 * Empty the trash for good (it cannot be undone): every item in `files/`, every .trashinfo in `info/` (those left
 * without their file too), and the spec's `directorysizes` cache. Returns how many items went and their bytes.
 */
export async function emptyTrash(
  trashDirectory: string,
  signal?: AbortSignal,
  onItem?: (done: number, total: number) => void,
): Promise<{ items: number; bytes: number }> {
  const trash = await trashRoot(trashDirectory);
  if (trash === undefined) return { items: 0, bytes: 0 };
  const items = await listTrash(trashDirectory);
  let done = 0;
  for (const item of items) {
    signal?.throwIfAborted();
    await removeForGood(item.filePath, signal);
    await removeEntry(item.infoPath, { force: true });
    onItem?.(++done, items.length);
  }
  const info = path.join(trash, "info");
  for (const { name } of await listFolder(info).catch(() => [])) {
    if (name.endsWith(".trashinfo")) await removeEntry(path.join(info, name), { force: true });
  }
  await removeEntry(path.join(trash, "directorysizes"), { force: true });
  return { items: items.length, bytes: items.reduce((sum, item) => sum + item.bytes, 0) };
}

/**
 * Put a trashed item back where it was, as steps of `operation` (so undo trashes it again): its .trashinfo is kept in
 * the operation's backup folder, then the item moves back, under a new name when its old one is taken again.
 */
export async function restoreItem(item: TrashItem, operation: JournalOperation): Promise<{ path: string; collision: boolean }> {
  if (item.original === undefined) throw new Error(`${item.name} has no record of where it came from`);
  const wanted = item.original;
  const target = (await exists(wanted)) ? await freeName(wanted) : wanted;
  const kept = path.join(operation.journal.backupDirectory(operation.id), "trashinfo", path.basename(item.infoPath));
  if (await exists(item.infoPath)) {
    await operation.run({ action: "move", from: item.infoPath, to: kept }, () =>
      moveNoOverwrite(item.infoPath, kept, operation.id),
    );
  }
  await operation.run({ action: "move", from: item.filePath, to: target }, () =>
    moveNoOverwrite(item.filePath, target, operation.id),
  );
  return { path: target, collision: target !== wanted };
}
