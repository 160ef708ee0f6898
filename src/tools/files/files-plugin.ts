import path from "node:path";
import { AstrOSError, defineHandler, definePlugin, type FileEntry, type HandlerContext, ProcessingError, z } from "../../sdk.js";
import { formatCount } from "../file-scan/format-count.js";
import { formatBytes } from "../shared/format-bytes.js";
import { copyFolder, type FolderCopyPlan, planFolderCopy } from "./copy-folder.js";
import {
  clearFolderNames,
  folderFor,
  type OrganizeMethod,
  organizeMethods,
  type PlannedMove,
  summarizePlan,
} from "./organize-plan.js";
import { photoDate } from "./photo-date.js";
import { hasFilters, requestFolder, type Selection, selectFiles, selectionArgs } from "./select-files.js";

const pathArgs = ["path", "source", "destination", "files", "paths"];

/**
 * What taking a selection away does to the folder it is taken from: everything in it (`contents`) empties it, some
 * of its files (filters, or exactly the files an earlier step found) changes it, and the path alone is taken away
 * whole (`taken`: delete or move).
 */
function selectionEffect(args: Record<string, unknown>, taken: "delete" | "move"): "empty" | "modify" | "delete" | "move" {
  // A name pattern that matches every name ("*", "*.*") takes everything, as "everything in" does.
  const matchesAll = typeof args.name === "string" && /^\*+(?:\.\*)?$/.test(args.name.trim());
  const others = ["ext", "kind", "minSize", "maxSize", "modifiedAfter", "modifiedBefore"].some((key) => args[key] !== undefined);
  if (args.contents === true || (matchesAll && !others && !Array.isArray(args.files))) return "empty";
  if (Array.isArray(args.files) || hasFilters(args as Selection)) return "modify";
  return taken;
}
/** Files moved per journal batch: one disk sync before each batch of changes. */
const batchSize = 500;

/** Report progress every so many files on long runs. */
function ticker(context: HandlerContext, total: number, verb: string) {
  let last = 0;
  return (done: number) => {
    const now = Date.now();
    if (total > 50 && (now - last > 250 || done === total)) {
      last = now;
      context.progress((done / total) * 100, `${verb} ${done} of ${total} files`);
    }
  };
}

/**
 * Copies one after another (each free name must be known before the next is chosen); a folder with everything in
 * it, as planned.
 */
async function copyEach(
  context: HandlerContext,
  files: ReadonlyArray<{ path: string }>,
  destination: string,
  folders: ReadonlyMap<string, FolderCopyPlan>,
  onFile: () => void,
) {
  const changes: Array<{ path: string; collision: boolean; files?: number; leftOut?: string[] }> = [];
  for (const file of files) {
    const folder = folders.get(file.path);
    if (folder === undefined) {
      changes.push(await context.files.copyFile(file.path, destination));
      onFile();
    } else {
      changes.push(await copyFolder(context, folder, destination, onFile));
    }
  }
  return changes;
}

/** A dry run: what would be moved, copied or trashed, each named, and nothing changed. */
function preview(mode: "move" | "copy" | "delete", files: readonly FileEntry[], from: string, destination?: string) {
  const shown = (file: FileEntry) => {
    const relative = path.relative(from, file.path);
    const name = relative === "" || relative.startsWith("..") ? file.path : relative;
    return `  ${name}${file.type === "directory" ? "/ (and everything in it)" : ""}`;
  };
  const where = mode === "delete" ? "to the trash" : `to ${destination}`;
  return {
    success: true,
    message: [
      `Dry run, nothing changed: would ${mode === "delete" ? "move" : mode} ${formatCount(files.length, files.some((file) => file.type === "directory") ? "item" : "file")} ${where}:`,
      ...files.slice(0, 50).map(shown),
      ...(files.length > 50 ? [`  … and ${files.length - 50} more`] : []),
    ].join("\n"),
    data: { dryRun: true, files: files.map((file) => file.path) },
  };
}

/** Move or copy a selection into a destination, asking first when it is many files. */
async function transfer(
  context: HandlerContext,
  mode: "move" | "copy",
  args: Selection & { source: string; destination: string; dryRun?: boolean | undefined },
) {
  const destination = path.resolve(args.destination);
  // Gathered from subfolders: what is already in the destination stays where it is.
  const files = (await selectFiles(context, args.source, args)).filter(
    (file) => args.recursive !== true || path.dirname(file.path) !== destination,
  );
  const verb = mode === "move" ? "Moved" : "Copied";
  if (files.length === 0) {
    const why = args.contents === true ? `${args.source} is empty` : `no file in ${args.source} matches`;
    return { success: true, message: `Nothing to ${mode}: ${why}.`, data: { moved: [] } };
  }
  // A folder is copied with everything in it: walked (and checked by the path guard) before anything is copied.
  const folders = new Map<string, FolderCopyPlan>();
  if (mode === "copy") {
    for (const file of files) if (file.type === "directory") folders.set(file.path, await planFolderCopy(context, file));
  }
  if (args.dryRun === true) return preview(mode, files, args.source, args.destination);
  const inFolders = [...folders.values()].reduce((sum, plan) => sum + plan.files.length, 0);
  const count = files.length - folders.size + inFolders;
  const what =
    files.length === 1 && folders.size === 1
      ? `the folder ${files[0]?.path} (${formatCount(inFolders, "file")})`
      : formatCount(count, "file");
  if (count > 1 && !(await context.confirmBulk(count, `${mode} ${what} to ${args.destination}`))) {
    return { success: false, message: `Not done: ${mode} of ${what} was not confirmed.` };
  }
  if (files.length > 1) await context.files.createDirectory(args.destination);
  const results: Array<{ from: string; to: string; collision: boolean; files?: number; leftOut?: string[] }> = [];
  const tick = ticker(context, count, mode === "move" ? "moved" : "copied");
  let copied = 0;
  for (let start = 0; start < files.length; start += batchSize) {
    context.signal.throwIfAborted();
    const batch = files.slice(start, start + batchSize);
    const changes =
      mode === "move"
        ? await context.files.moveFiles(batch.map((file) => ({ source: file.path, destination: args.destination })))
        : await copyEach(context, batch, args.destination, folders, () => tick(++copied));
    for (const [index, { path: to, ...change }] of changes.entries()) {
      results.push({ ...change, from: batch[index]?.path ?? "", to });
    }
    if (mode === "move") tick(results.length);
  }
  const renamed = results.filter((result) => result.collision);
  const leftOut = results.flatMap((result) => result.leftOut ?? []);
  const first = results[0];
  const inside = first?.files === undefined ? "" : ` (${formatCount(first.files, "file")})`;
  const message = [
    results.length === 1 && first !== undefined
      ? `${verb} ${first.from}${inside} to ${first.to}${first.collision ? " (the name was taken, so it got a new one)" : ""}.`
      : `${verb} ${formatCount(results.length, files.some((file) => file.type === "directory") ? "item" : "file")} to ${args.destination}${renamed.length > 0 ? `; ${renamed.length} got new names because theirs were taken` : ""}.`,
    ...(leftOut.length > 0
      ? [
          `Left out ${formatCount(leftOut.length, "symbolic link or special file", "symbolic links and special files")}: ${leftOut.slice(0, 5).join(", ")}${leftOut.length > 5 ? ", …" : ""}`,
        ]
      : []),
  ].join("\n");
  return {
    success: true,
    message,
    data: {
      [mode === "move" ? "moved" : "copied"]: results,
      renamed: renamed.length,
      ...(leftOut.length > 0 ? { leftOut } : {}),
    },
  };
}

/**
 * What a file holds before text is appended to it: nothing when it does not exist yet. A file that cannot be read as
 * text (binary, too big, a folder) is refused, never replaced by the appended text alone.
 */
async function existingText(context: HandlerContext, filePath: string): Promise<string> {
  try {
    return await context.files.readFile(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    // Binary, too big, not a regular file: said plainly. Anything else (the path guard's refusal) goes on as it is.
    if (!AstrOSError.isInstance(error) || error.code !== "REQUEST_INVALID") throw error;
    throw new ProcessingError(`Nothing appended: ${error.message}`, {
      code: error.code,
      details: error.details,
      recovery: "Append only to a text file, or write to a new file.",
      cause: error,
    });
  }
}

/** AstrOS's file tools: everything through the path guard and the journal, so every change can be undone. */
export function createFileTools() {
  return definePlugin({
    name: "files",
    version: "1.0.0",
    description: "Files and folders: list, read, write, move, copy, rename, delete (to the trash), organize",
    author: "AstrOS",
    requiresPermissions: ["file_system"],
    handlers: {
      list: defineHandler({
        intent: "files.list",
        readOnly: true,
        pathArgs,
        description: "List what is in a folder",
        examples: ["list files here", "what's in my downloads", "show my documents folder"],
        args: z.object({ path: z.string().optional(), ...selectionArgs }),
        run: async (args, context) => {
          const folder = requestFolder(context, args.path);
          const info = await context.files.stat(folder);
          const entries =
            info.type === "directory"
              ? (await context.files.listDirectory(folder)).filter((entry) => args.hidden === true || !entry.name.startsWith("."))
              : [info];
          const chosen = info.type === "directory" && hasFilters(args) ? await selectFiles(context, folder, args) : entries;
          const lines = chosen.map((entry) =>
            entry.type === "directory" ? `  ${entry.name}/` : `  ${entry.name}  ${formatBytes(entry.size)}`,
          );
          return {
            success: true,
            message:
              chosen.length === 0 ? `Nothing in ${info.path}.` : [`${info.path}: ${chosen.length} entries`, ...lines].join("\n"),
            data: { path: info.path, entries: chosen },
          };
        },
      }),
      read: defineHandler({
        intent: "files.read",
        readOnly: true,
        pathArgs,
        description: "Show a text file",
        examples: ["read notes.txt", "show me the readme"],
        args: z.object({ path: z.string(), maxBytes: z.number().int().positive().optional() }),
        run: async (args, context) => {
          const text = await context.files.readFile(args.path, args.maxBytes === undefined ? {} : { maxBytes: args.maxBytes });
          return {
            success: true,
            message: text,
            data: { path: await context.files.resolve(args.path), bytes: Buffer.byteLength(text) },
          };
        },
      }),
      write: defineHandler({
        intent: "files.write",
        pathArgs,
        pathEffects: (args) => ({ path: args.append === true ? "modify" : "overwrite" }),
        description: "Write text to a file (what it replaces is kept, so it can be undone)",
        examples: ["write hello to notes.txt"],
        args: z.object({ path: z.string(), content: z.string(), append: z.boolean().optional(), line: z.boolean().optional() }),
        run: async (args, context) => {
          let content = args.content;
          if (args.append === true) {
            const before = await existingText(context, args.path);
            // A line added at the end: on a line of its own, ending the file with a newline.
            const line = args.line === true && !args.content.endsWith("\n") ? `${args.content}\n` : args.content;
            content = args.line === true && before !== "" && !before.endsWith("\n") ? `${before}\n${line}` : before + line;
          }
          const change = await context.files.writeFile(args.path, content);
          return {
            success: true,
            message:
              args.append === true
                ? `Appended ${formatBytes(Buffer.byteLength(args.content))} to ${change.path}.`
                : `Wrote ${formatBytes(Buffer.byteLength(content))} to ${change.path}.`,
            data: { path: change.path, bytes: Buffer.byteLength(content) },
          };
        },
      }),
      mkdir: defineHandler({
        intent: "files.mkdir",
        pathArgs,
        pathEffects: { path: "create", paths: "create" },
        description: "Create a folder (or several: `paths` names more)",
        examples: ["create a folder called projects", "make a new directory", "create the folders src, tests and docs"],
        args: z.object({ path: z.string(), paths: z.array(z.string()).max(100).optional() }),
        run: async (args, context) => {
          const created = await context.files.createDirectory(args.path);
          if (args.paths === undefined || args.paths.length === 0)
            return { success: true, message: `Created ${created}.`, data: { path: created } };
          const all = [created];
          for (const more of args.paths) all.push(await context.files.createDirectory(more));
          return { success: true, message: `Created ${all.join(", ")}.`, data: { path: created, paths: all } };
        },
      }),
      move: defineHandler({
        intent: "files.move",
        pathArgs,
        pathEffects: (args) =>
          args.dryRun === true
            ? { source: "read", files: "read", destination: "read" }
            : { source: selectionEffect(args, "move"), files: "move", destination: "create" },
        description: "Move files or folders (never overwriting; a taken name gets a new one)",
        examples: ["move report.pdf to documents"],
        args: z.object({ source: z.string(), destination: z.string(), dryRun: z.boolean().optional(), ...selectionArgs }),
        run: (args, context) => transfer(context, "move", args),
      }),
      copy: defineHandler({
        intent: "files.copy",
        pathArgs,
        pathEffects: { source: "read", files: "read", destination: "create" },
        description: "Copy files (never overwriting; a taken name gets a new one)",
        examples: ["copy report.pdf to the desktop"],
        args: z.object({ source: z.string(), destination: z.string(), ...selectionArgs }),
        run: (args, context) => transfer(context, "copy", args),
      }),
      rename: defineHandler({
        intent: "files.rename",
        pathArgs,
        pathEffects: { path: "move", source: "move" },
        description: "Rename a file or folder",
        examples: ["rename draft.txt to final.txt"],
        args: z.object({ path: z.string().optional(), source: z.string().optional(), newName: z.string().min(1) }),
        run: async (args, context) => {
          const target = args.path ?? args.source;
          if (target === undefined) return { success: false, message: "Say which file to rename." };
          const change = await context.files.renameFile(target, args.newName);
          return {
            success: true,
            message: `Renamed to ${change.path}${change.collision ? ` (${args.newName} was taken)` : ""}.`,
            data: { path: change.path, collision: change.collision },
          };
        },
      }),
      delete: defineHandler({
        intent: "files.delete",
        pathArgs,
        pathEffects: (args) =>
          args.dryRun === true ? { path: "read", files: "read" } : { path: selectionEffect(args, "delete"), files: "delete" },
        description: "Move files to the trash (never deleted outright; undo brings them back)",
        examples: ["delete old.log", "trash the temp files"],
        args: z.object({ path: z.string(), dryRun: z.boolean().optional(), ...selectionArgs }),
        run: async (args, context) => {
          const files = await selectFiles(context, args.path, args);
          if (args.dryRun === true && files.length > 0) return preview("delete", files, args.path);
          if (files.length === 0)
            return {
              success: true,
              message: `Nothing to delete: ${args.contents === true ? `${args.path} is empty` : `no file in ${args.path} matches`}.`,
            };
          const folders = files.filter((file) => file.type === "directory");
          const needsYes = files.length > 1 || folders.length > 0;
          const noun = folders.length > 0 ? "item" : "file";
          const summary =
            folders.length > 0 && files.length === 1
              ? `move the folder ${folders[0]?.path} and everything in it to the trash`
              : `move ${formatCount(files.length, noun)}${args.contents === true ? ` from ${args.path}` : ""} to the trash`;
          // The person sees which files go before saying yes.
          const listed = [
            ...files.slice(0, 10).map((file) => `  ${file.path}${file.type === "directory" ? "/ (and everything in it)" : ""}`),
            ...(files.length > 10 ? [`  … and ${files.length - 10} more`] : []),
          ];
          const question = files.length > 1 ? [`${summary}:`, ...listed].join("\n") : summary;
          if (needsYes && !(await context.confirm(question, ["it can be undone with `astros undo`"]))) {
            return { success: false, message: `Not done: ${summary} was not confirmed.` };
          }
          const trashed = [];
          const tick = ticker(context, files.length, "trashed");
          for (const file of files) {
            context.signal.throwIfAborted();
            trashed.push(await context.files.deleteFile(file.path));
            tick(trashed.length);
          }
          // Emptying a folder keeps its dot files unless asked: say so, so nobody thinks it is empty.
          const kept =
            args.contents === true && args.hidden !== true
              ? (await context.files.listDirectory(args.path))
                  .filter((entry) => entry.name.startsWith("."))
                  .map((entry) => entry.name)
              : [];
          const done =
            trashed.length === 1
              ? `Moved ${trashed[0]?.path} to the trash.`
              : `Moved ${formatCount(trashed.length, noun)} to the trash.`;
          return {
            success: true,
            message:
              kept.length === 0
                ? done
                : `${done} Kept ${formatCount(kept.length, "hidden item")} (${kept.slice(0, 5).join(", ")}${kept.length > 5 ? ", …" : ""}).`,
            data: { trashed, ...(kept.length === 0 ? {} : { keptHidden: kept }) },
          };
        },
      }),
      organize: defineHandler({
        intent: "files.organize",
        pathArgs,
        pathEffects: { path: "modify" },
        description: "Sort a folder's files into folders by type, date, size or extension (one undoable step)",
        examples: ["organize this folder", "tidy up this folder", "sort the files here into folders"],
        args: z.object({
          path: z.string().optional(),
          method: z.enum(organizeMethods).default("type"),
          dryRun: z.boolean().optional(),
          hidden: z.boolean().optional(),
          dateFormat: z.enum(["YYYY/MM", "YYYY-MM"]).default("YYYY/MM"),
        }),
        run: async (args, context) => {
          const folder = await context.files.resolve(requestFolder(context, args.path));
          const entries = await context.files.listDirectory(folder);
          const wanted: PlannedMove[] = [];
          for (const [index, entry] of entries.entries()) {
            if (index % 1000 === 999) context.progress(undefined, `planned ${index + 1} of ${entries.length} entries`);
            // Only loose files: folders (the organizer's own among them) stay as they are; hidden files unless asked.
            if (entry.type !== "file" || (args.hidden !== true && entry.name.startsWith("."))) continue;
            if (entry.name.includes(".astros-partial-")) continue;
            const taken = args.method === "date" ? ((await photoDate(entry.path)) ?? entry.modified) : entry.modified;
            wanted.push({ from: entry.path, folder: folderFor(entry, args.method as OrganizeMethod, taken, args.dateFormat) });
          }
          const plan = clearFolderNames(wanted, entries);
          const groups = summarizePlan(plan);
          const described = groups.map((group) => `${group.folder} (${group.count})`).join(", ");
          if (plan.length === 0) {
            return { success: true, message: `${folder} has no loose files to organize.`, data: { folder, plan: [] } };
          }
          const moves = plan.map((move) => ({
            source: move.from,
            destination: path.join(folder, move.folder, path.basename(move.from)),
          }));
          if (args.dryRun === true) {
            // The exact plan: the names the files will have, new ones where theirs are taken, as the real run picks them.
            const targets = await context.files.planMoves(moves);
            const exact = plan.map((move, index) => ({
              ...move,
              to: targets[index]?.path ?? "",
              collision: targets[index]?.collision === true,
            }));
            const renamed = exact.filter((move) => move.collision).length;
            return {
              success: true,
              message: [
                `Plan for ${folder} (nothing moved yet): ${plan.length} files into ${described}.${renamed > 0 ? ` ${renamed} would get new names because theirs are taken.` : ""}`,
                ...exact
                  .slice(0, 20)
                  .map(
                    (move) =>
                      `  ${path.basename(move.from)} → ${path.relative(folder, move.to)}${move.collision ? " (name taken)" : ""}`,
                  ),
                ...(plan.length > 20 ? [`  … and ${plan.length - 20} more`] : []),
              ].join("\n"),
              data: { folder, plan: exact, groups, renamed },
            };
          }
          if (
            !(await context.confirmBulk(
              plan.length,
              `organize ${folder} by ${args.method}: ${plan.length} files into ${described}`,
            ))
          ) {
            return {
              success: false,
              message: `Not done: organizing ${plan.length} files was not confirmed.`,
              data: { folder, plan, groups },
            };
          }
          const tick = ticker(context, plan.length, "organized");
          const moved: Array<{ from: string; to: string; collision: boolean }> = [];
          for (let start = 0; start < plan.length; start += batchSize) {
            context.signal.throwIfAborted();
            const batch = plan.slice(start, start + batchSize);
            const changes = await context.files.moveFiles(moves.slice(start, start + batchSize));
            for (const [index, change] of changes.entries()) {
              moved.push({ from: batch[index]?.from ?? "", to: change.path, collision: change.collision });
            }
            tick(moved.length);
          }
          const renamed = moved.filter((entry) => entry.collision).length;
          return {
            success: true,
            message: `Organized ${moved.length} files in ${folder} by ${args.method}: ${described}.${renamed > 0 ? ` ${renamed} got new names because theirs were taken.` : ""} Say "undo" to put everything back.`,
            data: { folder, moved, groups, renamed },
          };
        },
      }),
    },
  });
}
