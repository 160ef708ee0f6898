import { lstatSync } from "node:fs";
import path from "node:path";
import type { FileEntry, HandlerContext } from "../../sdk.js";
import { ProcessingError, z } from "../../sdk.js";
import { compileFilter } from "../file-scan/file-filter.js";
import { fileKinds } from "../file-scan/file-kinds.js";
import { normalizeExtensions } from "../file-scan/search-filters.js";

/** The filters that pick files out of a folder for a bulk operation ("all PDFs over 5 MB from last week"). */
export const selectionArgs = {
  ext: z.union([z.string(), z.array(z.string())]).optional(),
  kind: z.enum(fileKinds).optional(),
  name: z.string().optional(),
  minSize: z.number().nonnegative().optional(),
  maxSize: z.number().nonnegative().optional(),
  modifiedAfter: z.string().optional(),
  modifiedBefore: z.string().optional(),
  hidden: z.boolean().optional(),
  /** Exactly these files (what an earlier step found: "find pdfs … and move them …"). */
  files: z.array(z.string()).max(10_000).optional(),
  /** What is inside the folder (its files and folders), not the folder itself: "everything in Downloads". */
  contents: z.boolean().optional(),
  /** Its subfolders too ("all the .tmp files in Downloads"); hidden folders only when hidden files are asked for. */
  recursive: z.boolean().optional(),
  /** Folders with exactly these names, anywhere under the folder, taken whole ("node_modules", "__pycache__"). */
  folderNames: z.array(z.string().min(1)).max(20).optional(),
  /** Folders with no file anywhere inside them (the outermost such folder is taken whole). */
  emptyFolders: z.boolean().optional(),
};

export interface Selection {
  ext?: string | string[] | undefined;
  kind?: (typeof fileKinds)[number] | undefined;
  name?: string | undefined;
  minSize?: number | undefined;
  maxSize?: number | undefined;
  modifiedAfter?: string | undefined;
  modifiedBefore?: string | undefined;
  hidden?: boolean | undefined;
  files?: string[] | undefined;
  contents?: boolean | undefined;
  recursive?: boolean | undefined;
  folderNames?: string[] | undefined;
  emptyFolders?: boolean | undefined;
}

export function hasFilters(selection: Selection): boolean {
  return hasFileFilters(selection) || selection.folderNames !== undefined || selection.emptyFolders !== undefined;
}

/** Whether any filter picks files (not folders) out. */
function hasFileFilters(selection: Selection): boolean {
  return [
    selection.ext,
    selection.kind,
    selection.name,
    selection.minSize,
    selection.maxSize,
    selection.modifiedAfter,
    selection.modifiedBefore,
  ].some((value) => value !== undefined);
}

/** How many entries a walk of subfolders looks at before it stops and says so. */
const walkLimit = 200_000;

/** The folder a request means when it names none: the one it was made from. */
export function requestFolder(context: HandlerContext, given: string | undefined): string {
  if (given !== undefined && given !== "") return given;
  const cwd = context.intent.context.cwd;
  if (typeof cwd === "string" && cwd !== "") return cwd;
  return "~";
}

/**
 * The files an operation acts on: the ones listed in `files`, else the one named, or, when it names a folder and filters, the files
 * in that folder that match them all (in its subfolders too with `recursive`), the folders it names or the empty ones, or with
 * `contents` everything directly in it, folders included (hidden ones only when asked).
 */
export async function selectFiles(context: HandlerContext, source: string, selection: Selection): Promise<FileEntry[]> {
  if (selection.files !== undefined) {
    const entries: FileEntry[] = [];
    for (const file of selection.files) {
      // A file that is gone since it was found (moved, deleted) is left out, not an error.
      const entry = await context.files.stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error?.code === "ENOENT") return undefined;
        throw error;
      });
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }
  // A symbolic link named on its own is the link itself: moving, renaming or deleting it leaves its target alone.
  const link = hasFilters(selection) || selection.contents === true ? undefined : await linkNamed(context, source);
  if (link !== undefined) return [link];
  const named = await context.files.stat(source);
  if (named.type === "directory" && selection.contents === true && !hasFilters(selection)) {
    const entries = await context.files.listDirectory(named.path);
    return entries.filter((entry) => selection.hidden === true || !entry.name.startsWith("."));
  }
  if (named.type !== "directory" || !hasFilters(selection)) return [named];
  return walkSelection(context, named.path, selection);
}

/**
 * The entries under `root` a filtered selection picks: files matching every file filter (directly in `root`, or in
 * its subfolders too when `recursive`), folders named in `folderNames` (taken whole, never looked into), and with
 * `emptyFolders` the outermost folders with no file anywhere inside. Hidden names only when asked, or when the name
 * asked for is itself hidden (".DS_Store"). Links are never followed.
 */
async function walkSelection(context: HandlerContext, root: string, selection: Selection): Promise<FileEntry[]> {
  const ext = normalizeExtensions(selection.ext);
  // A hidden name said whole (".DS_Store", ".env") is that name exactly, not a part of others ("DS_Store-notes.txt").
  const hiddenName = /^\.[^*?[\]{}]+$/.test(selection.name?.trim() ?? "") ? selection.name?.trim().toLowerCase() : undefined;
  const filter = hasFileFilters(selection)
    ? compileFilter({
        ...(selection.name === undefined || hiddenName !== undefined ? {} : { name: selection.name }),
        ...(ext === undefined ? {} : { ext }),
        ...(selection.kind === undefined ? {} : { kind: selection.kind }),
        ...(selection.minSize === undefined ? {} : { minSize: selection.minSize }),
        ...(selection.maxSize === undefined ? {} : { maxSize: selection.maxSize }),
        ...(selection.modifiedAfter === undefined ? {} : { modifiedAfter: selection.modifiedAfter }),
        ...(selection.modifiedBefore === undefined ? {} : { modifiedBefore: selection.modifiedBefore }),
      })
    : undefined;
  const folderNames = new Set(selection.folderNames ?? []);
  const showHidden = selection.hidden === true || selection.name?.trim().startsWith(".") === true;
  const deep = selection.recursive === true || folderNames.size > 0 || selection.emptyFolders === true;
  const chosen: FileEntry[] = [];
  const emptyOnes: FileEntry[] = [];
  let seen = 0;
  /** Walks one folder; whether it holds nothing but (empty) folders. */
  const walk = async (folder: string, depth: number): Promise<boolean> => {
    let empty = true;
    const emptyHere: FileEntry[] = [];
    for (const entry of await context.files.listDirectory(folder)) {
      if (++seen > walkLimit) {
        throw new ProcessingError(`${root} holds more than ${walkLimit} entries; nothing was changed`, {
          code: "REQUEST_INVALID",
          recovery: "Name a smaller folder.",
        });
      }
      const hidden = entry.name.startsWith(".");
      if (entry.type === "directory") {
        if (folderNames.has(entry.name)) {
          chosen.push(entry);
          empty = false;
        } else if (hidden && !showHidden) {
          empty = false;
        } else if (deep && depth < 64) {
          context.signal.throwIfAborted();
          if (await walk(entry.path, depth + 1)) emptyHere.push(entry);
          else empty = false;
        } else {
          empty = false;
        }
        continue;
      }
      empty = false;
      if (filter === undefined || entry.type !== "file" || (hidden && !showHidden) || !filter.matchesName(entry.name)) continue;
      if (hiddenName !== undefined && entry.name.toLowerCase() !== hiddenName) continue;
      if (filter.needsStat && !filter.matchesStat(entry.size, entry.modified.getTime())) continue;
      chosen.push(entry);
    }
    // A folder holding only empty folders is taken whole, not folder by folder.
    if (!empty || depth === 0) emptyOnes.push(...emptyHere);
    return empty;
  };
  await walk(root, 0);
  return selection.emptyFolders === true ? [...chosen, ...emptyOnes] : chosen;
}

/** The entry a path names when it is a symbolic link (its folder through the path guard), else undefined. */
async function linkNamed(context: HandlerContext, source: string): Promise<FileEntry | undefined> {
  const name = path.basename(source);
  if (name === "" || name === "." || name === ".." || name === "~" || source.endsWith(path.sep)) return undefined;
  // An allowed root has no allowed folder around it, and is no link.
  const folder = await context.files.resolve(path.dirname(source)).catch(() => undefined);
  if (folder === undefined) return undefined;
  const entry = path.join(folder, name);
  const info = lstatSync(entry, { throwIfNoEntry: false });
  if (info?.isSymbolicLink() !== true) return undefined;
  return { name, path: entry, type: "symlink", size: info.size, modified: info.mtime };
}
