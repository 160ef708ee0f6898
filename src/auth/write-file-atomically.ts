import { randomBytes } from "node:crypto";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import path from "node:path";

/**
 * Replace `file` with `contents` so that a reader, or the file after a crash, sees either the old contents or
 * the new, never a mix: written to a private temporary file in the same folder, flushed to disk, renamed over
 * the target, then the folder flushed so the rename itself survives a power cut. The folder is created 0700
 * when missing and the file is 0600 from its first byte.
 */
export async function writeFileAtomically(options: { file: string; contents: string }): Promise<void> {
  const folder = path.dirname(options.file);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = path.join(folder, `.${path.basename(options.file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    try {
      await handle.chmod(0o600);
      await handle.writeFile(options.contents, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, options.file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** Make a rename or link inside `folder` durable; best effort where the file system cannot fsync a folder. */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic there.
  }
}
