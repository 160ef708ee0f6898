import path from "node:path";
import { type FileEntry, type HandlerContext, ProcessingError } from "../../sdk.js";

/** What copying a folder takes, found before anything is copied. */
export interface FolderCopyPlan {
  source: string;
  /** Folders inside it, parents before their children. */
  folders: string[];
  /** Regular files inside it, every one allowed by the path guard. */
  files: string[];
  /** Symbolic links and special files inside it: not copied (a link could lead out of the allowed places). */
  leftOut: string[];
}

export interface FolderCopy {
  /** Where the copy is. */
  path: string;
  /** True when the wanted name was taken and a free one was used. */
  collision: boolean;
  files: number;
  folders: number;
  leftOut: string[];
}

/**
 * Walk a folder to copy it: every folder and file inside, each path checked by the path guard, so a refusal comes
 * before the first change rather than halfway through.
 */
export async function planFolderCopy(context: HandlerContext, folder: FileEntry): Promise<FolderCopyPlan> {
  const plan: FolderCopyPlan = { source: folder.path, folders: [], files: [], leftOut: [] };
  const walk = async (current: string) => {
    for (const entry of await context.files.listDirectory(current)) {
      context.signal.throwIfAborted();
      if (entry.type === "directory") {
        plan.folders.push(entry.path);
        await walk(entry.path);
      } else if (entry.type === "file") {
        plan.files.push(await context.files.resolve(entry.path));
      } else {
        plan.leftOut.push(entry.path);
      }
    }
  };
  await walk(folder.path);
  return plan;
}

/**
 * Copy a planned folder into `destination` (a folder) or to it (a new name), through the journaled file manager:
 * each folder made and each file copied (bytes, mode, timestamps) as a step of its own, so `astros undo` takes the
 * copy away again and a crash rolls it back. Where the folder's name is taken it gets a free one ("photos (1)").
 */
export async function copyFolder(
  context: HandlerContext,
  plan: FolderCopyPlan,
  destination: string,
  onFile: () => void = () => {},
): Promise<FolderCopy> {
  // The name the folder would get if it were moved there is the name its copy gets: the wanted one, else a free one.
  const [target] = await context.files.planMoves([{ source: plan.source, destination }]);
  if (target === undefined || target.path === plan.source || target.path.startsWith(`${plan.source}${path.sep}`)) {
    throw new ProcessingError(`Cannot copy ${plan.source} into itself`, {
      code: "REQUEST_INVALID",
      details: { source: plan.source, destination },
      recovery: "Copy it to a folder outside it.",
    });
  }
  const inCopy = (inside: string) => path.join(target.path, path.relative(plan.source, inside));
  await context.files.createDirectory(target.path);
  for (const folder of plan.folders) await context.files.createDirectory(inCopy(folder));
  for (const file of plan.files) {
    context.signal.throwIfAborted();
    await context.files.copyFile(file, inCopy(file));
    onFile();
  }
  return { ...target, files: plan.files.length, folders: plan.folders.length, leftOut: plan.leftOut };
}
