import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { type HandlerContext, openForReading, ProcessingError } from "../../sdk.js";

/** A file opened to read: its handle, its size, and how to name it in an answer. */
export interface OpenedFile {
  handle: FileHandle;
  size: number;
  /** The real path the path guard judged. */
  realPath: string;
  /** The name to put in an answer ("Documents/essay draft.txt"). */
  shown: string;
}

/**
 * Open the file a request names, through the path guard and the file boundary: the real path the guard judged is
 * opened without following a link and never by name again (what is read is what was judged). A folder, a device or
 * a missing file is said plainly. The caller closes the handle.
 */
export async function openFile(context: HandlerContext, input: string): Promise<OpenedFile> {
  const realPath = await context.files.resolve(input);
  const shown = await shownPath(context, realPath);
  let opened: Awaited<ReturnType<typeof openForReading>>;
  try {
    opened = await openForReading(realPath);
  } catch (error) {
    throw notThere(error, shown, realPath);
  }
  const { handle, info } = opened;
  if (!info.isFile()) {
    await handle.close();
    throw new ProcessingError(
      `${shown} is ${info.isDirectory() ? "a folder" : "not a regular file (a device, pipe or socket)"}, not a file`,
      {
        code: "REQUEST_INVALID",
        details: { path: realPath },
        recovery: info.isDirectory() ? "Name a file inside it." : "Name a regular file.",
      },
    );
  }
  return { handle, size: info.size, realPath, shown };
}

/** A missing name said as a person would ("There is no file Documents/x.txt"), other errors as they are. */
export function notThere(error: unknown, shown: string, realPath: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code !== "ENOENT" && code !== "ENOTDIR") return error;
  return new ProcessingError(`There is no file or folder ${shown}`, {
    code: "REQUEST_INVALID",
    details: { path: realPath },
    recovery: "Check the name (names with spaces can be put in quotes), or list the folder to see what is there.",
    cause: error,
  });
}

/**
 * How an answer names a path: relative to the request's folder when it is inside it, `~/…` inside the home folder,
 * else the real path.
 */
export async function shownPath(context: HandlerContext, realPath: string): Promise<string> {
  const cwd = context.intent.context.cwd;
  if (typeof cwd === "string" && cwd !== "") {
    const base = await context.files.resolve(cwd).catch(() => cwd);
    const inside = path.relative(base, realPath);
    if (inside !== "" && !inside.startsWith("..") && !path.isAbsolute(inside)) return inside;
  }
  const home = process.env.HOME;
  if (home !== undefined && home !== "" && (realPath === home || realPath.startsWith(`${home}/`))) {
    return `~${realPath.slice(home.length)}`;
  }
  return realPath;
}
