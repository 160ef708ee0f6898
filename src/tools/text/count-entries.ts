import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { type PinnedFolder, pinFolder } from "../../sdk.js";

/** What a folder holds: everything under it, and what is directly in it. */
export interface FolderCounts {
  files: number;
  folders: number;
  /** Links, pipes, sockets and devices. */
  others: number;
  direct: { files: number; folders: number; others: number };
  /** Folders that could not be read (no permission): what they hold is not counted. */
  unreadable: number;
}

/**
 * Count the files and folders under a folder (as `find -type f` and `find -type d` count them, hidden ones included,
 * links never followed): each folder opened through the file boundary from the one that holds it, never by name.
 */
export async function countEntries(realPath: string, signal?: AbortSignal): Promise<FolderCounts> {
  const counts: FolderCounts = { files: 0, folders: 0, others: 0, direct: { files: 0, folders: 0, others: 0 }, unreadable: 0 };
  const pending: Array<{ folder: PinnedFolder; top: boolean }> = [{ folder: pinFolder(realPath), top: true }];
  try {
    while (pending.length > 0) {
      signal?.throwIfAborted();
      const { folder, top } = pending.pop() as { folder: PinnedFolder; top: boolean };
      try {
        let entries: Dirent[];
        try {
          entries = await readdir(folder.self, { withFileTypes: true });
        } catch {
          counts.unreadable++;
          continue;
        }
        for (const entry of entries) {
          const kind = entry.isFile() ? "files" : entry.isDirectory() ? "folders" : "others";
          counts[kind]++;
          if (top) counts.direct[kind]++;
          if (kind === "folders") {
            try {
              pending.push({ folder: folder.openFolder(entry.name), top: false });
            } catch {
              counts.unreadable++;
            }
          }
        }
      } finally {
        folder.close();
      }
    }
  } finally {
    for (const { folder } of pending) folder.close();
  }
  return counts;
}
