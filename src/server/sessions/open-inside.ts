import { constants, openSync } from "node:fs";
import { type FileHandle, mkdir, open } from "node:fs/promises";
import { isPlainName, openNext, PinnedFolder } from "../../exec/boundary/pinned-folder.js";

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;

/**
 * Open `root/parts...` without following a symbolic link anywhere below `root`: each folder is opened
 * with O_NOFOLLOW and the next name is looked up in that open folder (the file boundary's PinnedFolder,
 * through /proc/self/fd, so a folder swapped for a link after the check is never followed). For files the
 * server itself keeps inside a user's workspace (process logs), which that user's commands can replace with
 * links. `root` must be a folder the user cannot replace. Linux only (as the sandbox is).
 */
export async function openInside(
  root: string,
  parts: readonly string[],
  flags: number,
  options: { mode?: number; createFolders?: boolean } = {},
): Promise<FileHandle> {
  const name = parts.at(-1);
  if (name === undefined || !parts.every(isPlainName)) {
    throw new Error(`Not a plain name inside the workspace: ${parts.join("/")}`);
  }
  let folder = new PinnedFolder(openSync(root, O_RDONLY | O_DIRECTORY), root);
  try {
    for (const part of parts.slice(0, -1)) {
      if (options.createFolders === true) {
        // mkdir never follows a link in the last place: a link there is EEXIST, and the open below refuses it.
        await mkdir(folder.entry(part), { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "EEXIST") throw error;
        });
      }
      const next = openNext(folder, part);
      folder.close();
      folder = next;
    }
    return await open(folder.entry(name), flags | O_NOFOLLOW, options.mode ?? 0o600);
  } finally {
    folder.close();
  }
}
