import { defineHandler, type HandlerContext, type HandlerResult, z } from "../../sdk.js";
import { formatBytes } from "../shared/format-bytes.js";
import { fileKinds } from "./file-kinds.js";
import type { DuplicateGroup, DuplicateResult } from "./find-duplicates.js";
import { formatCount } from "./format-count.js";
import { keepRules } from "./keeper-rule.js";
import { resolveFolder } from "./resolve-folder.js";
import { normalizeExtensions } from "./search-filters.js";

export const duplicatesArguments = z.object({
  path: z.string().optional().describe("Folder to search (default: the current folder)"),
  minSize: z.number().nonnegative().default(1).describe("Smallest file compared, in bytes (empty files never count)"),
  ext: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe("Only files with these extensions"),
  kind: z.enum(fileKinds).optional(),
  hidden: z.boolean().default(false).describe("Include hidden files and folders"),
  ignore: z.boolean().default(false).describe("Honour .gitignore and .ignore files"),
  keep: z.enum(keepRules).default("oldest").describe("Which copy of each group to suggest keeping"),
  action: z
    .enum(["report", "trash"])
    .default("report")
    .describe("report only (default), or keep one per group and move the other copies to the trash (undoable)"),
});

type DuplicatesArguments = z.infer<typeof duplicatesArguments>;

/** Groups the message lists; the data has them all. */
const groupsShown = 10;

/**
 * files.duplicates: groups of files with the same content, and what removing the copies would free.
 * With `action: "trash"`, keeps one per group (by the keep rule) and moves the rest to the trash after
 * the user confirms, each copy byte-compared with the kept file first; one undoable operation.
 */
export const duplicatesHandler = defineHandler({
  intent: "files.duplicates",
  description: "Find files with the same content under a folder, and how much space removing the copies would free",
  examples: ["find duplicate photos", "find duplicate files in Downloads", "which files are duplicated here"],
  args: duplicatesArguments,
  pathArgs: ["path"],
  // Trashing copies changes what the folder holds; each copy trashed is judged again as it goes.
  pathEffects: { path: "modify" },
  run: runDuplicates,
});

async function runDuplicates(args: DuplicatesArguments, context: HandlerContext): Promise<HandlerResult> {
  const root = await resolveFolder(context, args.path);
  const ext = normalizeExtensions(args.ext);
  const { findDuplicates } = await import("./find-duplicates.js");
  const result = await findDuplicates({
    root,
    minSize: args.minSize,
    ...(ext === undefined ? {} : { ext }),
    ...(args.kind === undefined ? {} : { kind: args.kind }),
    hidden: args.hidden,
    ignoreFiles: args.ignore,
    keep: args.keep,
    signal: context.signal,
    onProgress: (message) => context.progress(undefined, message),
  });
  const message = describeDuplicates(result);
  if (args.action === "report" || result.groups.length === 0) return { success: true, message, data: { ...result } };
  return trashCopies(result, context, message);
}

/** Keep one file per group, move the other copies to the trash: asked first, each copy byte-checked. */
async function trashCopies(result: DuplicateResult, context: HandlerContext, report: string): Promise<HandlerResult> {
  const copies = result.groups.reduce((count, group) => count + group.remove.length, 0);
  const headline = `move ${formatCount(copies, "duplicate copy", "duplicate copies")} under ${result.root} to the trash, keeping one of each (frees ${formatBytes(result.reclaimable)})`;
  // The person sees which copies go and which stay before saying yes.
  const summary = [`${headline}:`, ...describeKeeping(result.groups, () => true, { keep: "keep", remove: "trash" })].join("\n");
  if (
    !(await context.confirm(summary, [
      "each copy is compared byte for byte with the one kept first",
      "`astros undo` brings them back",
    ]))
  ) {
    return { success: false, message: `${report}\nNot done: ${headline} was not confirmed.`, data: { ...result, trashed: [] } };
  }
  const { sameBytes } = await import("./same-bytes.js");
  const trashed: string[] = [];
  const changed: string[] = [];
  for (const group of result.groups) {
    for (const copy of group.remove) {
      context.signal.throwIfAborted();
      if (!(await sameBytes(group.keep, copy))) {
        changed.push(copy);
        continue;
      }
      await context.files.deleteFile(copy);
      trashed.push(copy);
      if (trashed.length % 100 === 0)
        context.progress((trashed.length / copies) * 100, `trashed ${trashed.length} of ${copies} copies`);
    }
  }
  const gone = new Set(trashed);
  const lines = [
    `Moved ${formatCount(trashed.length, "duplicate copy", "duplicate copies")} to the trash, keeping one of each. Say "undo" to bring them back.`,
    ...describeKeeping(result.groups, (copy) => gone.has(copy), { keep: "kept", remove: "trashed" }),
    ...(changed.length > 0
      ? [`Left ${formatCount(changed.length, "file")} that no longer match the kept copy: ${changed.slice(0, 5).join(", ")}`]
      : []),
  ];
  return { success: true, message: lines.join("\n"), data: { ...result, trashed, changed } };
}

/** Per group, the copy kept and the copies `chosen` (up to `groupsShown` groups): "  keep a.jpg\n    trash b.jpg". */
function describeKeeping(
  groups: readonly DuplicateGroup[],
  chosen: (copy: string) => boolean,
  words: { keep: string; remove: string },
): string[] {
  const shown = groups.filter((group) => group.remove.some(chosen));
  const lines = shown
    .slice(0, groupsShown)
    .flatMap((group) => [
      `  ${words.keep} ${group.keep}`,
      ...group.remove.filter(chosen).map((copy) => `    ${words.remove} ${copy}`),
    ]);
  if (shown.length > groupsShown) lines.push(`  …and ${formatCount(shown.length - groupsShown, "more group")}.`);
  return lines;
}

function describeDuplicates(result: DuplicateResult): string {
  if (result.groups.length === 0) {
    return `No duplicate files in ${result.root} (${formatCount(result.scanned.files, "file")}, ${formatCount(result.scanned.compared, "file")} compared by content).`;
  }
  const keeping = { oldest: "the oldest", newest: "the newest", shortestPath: "the one with the shortest path" }[result.keepRule];
  const lines = [
    `Found ${formatCount(result.groups.length, "group")} of duplicate files in ${result.root}: ${formatCount(result.duplicateFiles, "copy", "copies")} that would free ${formatBytes(result.reclaimable)} (keeping ${keeping} of each).`,
    ...result.groups.slice(0, groupsShown).map(describeGroup),
  ];
  if (result.groups.length > groupsShown) lines.push(`…and ${formatCount(result.groups.length - groupsShown, "more group")}.`);
  return lines.join("\n");
}

function describeGroup(group: DuplicateGroup): string {
  const copies = group.files.slice(1).map((file) => `    copy ${file.path}`);
  return [`  ${formatBytes(group.size)} × ${group.files.length}, keep ${group.keep}`, ...copies].join("\n");
}
