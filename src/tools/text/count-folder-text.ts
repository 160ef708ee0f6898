import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { openForReading, type PinnedFolder, pinFolder } from "../../sdk.js";
import { countText, type TextCounts } from "./count-text.js";

/** The text of a folder's files counted together: their sum, how many files, and what was left out. */
export interface FolderTextCounts {
  total: TextCounts;
  files: number;
  /** Files holding a NUL byte in their first 8 KB: not text, not counted. */
  binary: number;
  /** Files or folders that could not be read (no permission, other names, gone). */
  unreadable: number;
}

const mostFiles = 200_000;

/**
 * Count the lines, words and characters of every text file under a folder (those whose extension is in `extensions`,
 * when given), as `find DIR -type f | xargs wc` would, binary files left out. Folders are opened through the file
 * boundary from the one holding them; each file is opened as for reading (no link, one name), so what is counted is
 * what the path guard judged.
 */
export async function countFolderText(
  realPath: string,
  extensions: readonly string[] | undefined,
  signal?: AbortSignal,
): Promise<FolderTextCounts> {
  const result: FolderTextCounts = {
    total: { lines: 0, newlines: 0, words: 0, characters: 0, bytes: 0, binary: false },
    files: 0,
    binary: 0,
    unreadable: 0,
  };
  const wanted = extensions?.map((extension) => `.${extension.toLowerCase().replace(/^\./, "")}`);
  const pending: PinnedFolder[] = [pinFolder(realPath)];
  let seen = 0;
  try {
    while (pending.length > 0) {
      const folder = pending.pop() as PinnedFolder;
      try {
        let entries: Dirent[];
        try {
          entries = await readdir(folder.self, { withFileTypes: true });
        } catch {
          result.unreadable++;
          continue;
        }
        for (const entry of entries) {
          signal?.throwIfAborted();
          if (entry.isDirectory()) {
            try {
              pending.push(folder.openFolder(entry.name));
            } catch {
              result.unreadable++;
            }
            continue;
          }
          if (!entry.isFile()) continue;
          if (wanted !== undefined && !wanted.includes(path.extname(entry.name).toLowerCase())) continue;
          if (++seen > mostFiles) throw new Error(`more than ${mostFiles.toLocaleString("en-US")} files under ${realPath}`);
          await countOne(folder.pathOf(entry.name), result, signal);
        }
      } finally {
        folder.close();
      }
    }
  } finally {
    for (const folder of pending) folder.close();
  }
  return result;
}

async function countOne(filePath: string, result: FolderTextCounts, signal?: AbortSignal): Promise<void> {
  let opened: Awaited<ReturnType<typeof openForReading>>;
  try {
    opened = await openForReading(filePath);
  } catch {
    result.unreadable++;
    return;
  }
  try {
    const start = Buffer.alloc(8192);
    const { bytesRead } = await opened.handle.read(start, 0, start.length, 0);
    if (start.subarray(0, bytesRead).includes(0)) {
      result.binary++;
      return;
    }
    const counts = await countText(opened.handle, signal);
    for (const key of ["lines", "newlines", "words", "characters", "bytes"] as const) result.total[key] += counts[key];
    result.files++;
  } finally {
    await opened.handle.close();
  }
}
