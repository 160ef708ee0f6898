import { lstatEntry, openForReading, readLinkEntry, removeEntry } from "../boundary/file-boundary.js";
import { exists, type FileStep, sha256Of } from "./file-steps.js";

/**
 * Clear what a step that did not happen may have left behind, when a crash cut it short (recovery only):
 * - a move (or a trash) across file systems copies the file whole (a symbolic link: makes the same link), then
 *   removes the original; killed between the two, the original and a complete copy both exist. The step did not
 *   happen, so the copy goes, but only when it is byte for byte the original (then removing it loses nothing);
 * - a trash step writes its `.trashinfo` before moving the file; without the file, the info goes too, when it
 *   names this file or names none (cut short while being written), so another program's entry is never touched.
 */
export async function clearHalfDoneStep(step: FileStep): Promise<void> {
  if (step.action === "move") await removeCopyOf(step.from, step.to);
  if (step.action === "trash") {
    await removeCopyOf(step.path, step.trashPath);
    if (!(await exists(step.trashPath)) && (await infoNames(step.infoPath, step.path)))
      await removeEntry(step.infoPath, { force: true });
  }
}

/**
 * Remove `copy` if it is what copying `original` makes: another regular file with the same size, modification
 * time (the copy is given the original's) and bytes.
 */
async function removeCopyOf(original: string, copy: string): Promise<void> {
  const [first, second] = await Promise.all([
    lstatEntry(original).catch(() => undefined),
    lstatEntry(copy).catch(() => undefined),
  ]);
  if (first === undefined || second === undefined) return;
  // A link is moved across file systems as a new link to the same place.
  if (first.isSymbolicLink() && second.isSymbolicLink()) {
    const sameLink = first.dev === second.dev && first.ino === second.ino;
    if (!sameLink && (await readLinkEntry(original)) === (await readLinkEntry(copy))) await removeEntry(copy);
    return;
  }
  if (!first.isFile() || !second.isFile()) return;
  // The copy's time is set to the millisecond (what utimes is given), so finer digits may differ.
  if (first.size !== second.size || Math.abs(first.mtimeMs - second.mtimeMs) >= 1) return;
  if (first.dev === second.dev && first.ino === second.ino) return;
  const [originalHash, copyHash] = await Promise.all([sha256Of(original), sha256Of(copy)]);
  if (originalHash !== undefined && originalHash === copyHash) await removeEntry(copy);
}

/** Whether a .trashinfo file records `original` as the trashed file's path, or no path at all (written only in part). */
async function infoNames(infoPath: string, original: string): Promise<boolean> {
  const text = await readSmallText(infoPath);
  if (text === undefined) return false;
  const recorded = /^Path=(.*)\n/m.exec(text)?.[1];
  if (recorded === undefined) return true;
  try {
    return decodeURIComponent(recorded) === original;
  } catch {
    return false;
  }
}

/** A small text file's content (a .trashinfo), never through a link; undefined when it cannot be read. */
async function readSmallText(filePath: string): Promise<string | undefined> {
  try {
    const { handle, info } = await openForReading(filePath);
    try {
      return info.isFile() && info.size <= 64 * 1024 ? await handle.readFile("utf8") : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
