import { defineHandler, type HandlerContext, type HandlerResult, ProcessingError, z } from "../../sdk.js";
import { formatCount } from "../file-scan/format-count.js";
import { countEntries, type FolderCounts } from "./count-entries.js";
import { countFolderText } from "./count-folder-text.js";
import { countText, type TextCounts } from "./count-text.js";
import { statEntry } from "./file-facts.js";
import { notThere, openFile, shownPath } from "./open-file.js";

const textUnits = ["lines", "words", "characters", "bytes"] as const;
const folderUnits = ["files", "folders", "entries"] as const;
type TextUnit = (typeof textUnits)[number];

const countArguments = z.object({
  path: z.string().optional().describe("The file (or, to count what it holds, the folder)"),
  paths: z.array(z.string()).max(1000).optional().describe("Several files: each one's counts and the total"),
  what: z
    .array(z.enum([...textUnits, ...folderUnits]))
    .optional()
    .describe(
      "What to count: lines, words, characters, bytes (default: lines, words and characters); files, folders or entries of a folder",
    ),
  ext: z.array(z.string()).optional().describe("For a folder's lines, words or characters: only files with these extensions"),
  bare: z.boolean().optional().describe("Print the counts as wc does"),
});

type CountArguments = z.infer<typeof countArguments>;

/** One file's counts, or why it could not be counted. */
type Counted = { shown: string; realPath: string; counts: TextCounts } | { shown: string; error: string };

async function countFile(context: HandlerContext, input: string): Promise<Counted> {
  let file: Awaited<ReturnType<typeof openFile>>;
  try {
    file = await openFile(context, input);
  } catch (error) {
    if (error instanceof Error) return { shown: input, error: error.message };
    throw error;
  }
  try {
    return { shown: file.shown, realPath: file.realPath, counts: await countText(file.handle, context.signal) };
  } finally {
    await file.handle.close();
  }
}

function sizeOf(bytes: number): string {
  return formatCount(bytes, "byte");
}

const summed = ["lines", "newlines", "words", "characters", "bytes"] as const;

const singular: Record<TextUnit, string> = { lines: "line", words: "word", characters: "character", bytes: "byte" };

/** "312 words", "26 lines, 312 words and 1,560 characters". */
function inWords(counts: TextCounts, units: readonly TextUnit[]): string {
  const parts = units.map((unit) => formatCount(counts[unit], singular[unit], unit));
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** The newline wc counts where a person counts a line: said when they differ, so both figures are there. */
function lineNote(counts: TextCounts, units: readonly TextUnit[]): string {
  if (!units.includes("lines") || counts.lines === counts.newlines) return "";
  return ` (its last line has no newline at the end, so wc -l counts ${counts.newlines.toLocaleString("en-US")})`;
}

/** What wc prints: the counts right-aligned in columns, the name, and a total line for several files. */
function wcOutput(results: Counted[], units: readonly TextUnit[]): string {
  const counted = results.filter((result) => "counts" in result);
  const figure = (counts: TextCounts, unit: TextUnit) => (unit === "lines" ? counts.newlines : counts[unit]);
  const rows: Array<[number[], string]> = counted.map((result) => [
    units.map((unit) => figure(result.counts, unit)),
    result.shown,
  ]);
  if (counted.length > 1) {
    rows.push([units.map((_unit, index) => rows.reduce((sum, [figures]) => sum + (figures[index] ?? 0), 0)), "total"]);
  }
  const width = Math.max(1, ...rows.flatMap(([figures]) => figures.map((value) => String(value).length)));
  const lines = rows.map(([figures, name]) => `${figures.map((value) => String(value).padStart(width)).join(" ")} ${name}`);
  const errors = results.flatMap((result) => ("error" in result ? [`wc: ${result.shown}: ${result.error}`] : []));
  return [...errors, ...lines].join("\n");
}

async function countFiles(args: CountArguments, context: HandlerContext, inputs: string[]): Promise<HandlerResult> {
  const asked = (args.what ?? ["lines", "words", "characters"]).filter((unit): unit is TextUnit =>
    (textUnits as readonly string[]).includes(unit),
  );
  const units = asked.length > 0 ? asked : (["lines", "words", "characters"] as TextUnit[]);
  const results: Counted[] = [];
  for (const input of inputs) {
    const result = await countFile(context, input);
    // wc counts a binary file's bytes as it counts text; in words, its "lines" and "words" mean nothing: said so.
    if (args.bare !== true && "counts" in result && result.counts.binary && units.some((unit) => unit !== "bytes")) {
      results.push({
        shown: result.shown,
        error: `${result.shown} is a binary file (${sizeOf(result.counts.bytes)}), not text: it has no lines or words to count`,
      });
    } else results.push(result);
  }
  const counted = results.filter((result) => "counts" in result);
  const failed = results.filter((result) => "error" in result);
  if (counted.length === 0) {
    throw new ProcessingError(failed.map((result) => result.error).join("\n"), {
      code: "REQUEST_INVALID",
      details: { paths: inputs },
      recovery: failed.every((result) => result.error.includes("binary file"))
        ? "Ask for its size, its checksum or its details instead."
        : "Check the file's name (names with spaces can be put in quotes).",
    });
  }
  let message: string;
  if (args.bare === true) message = wcOutput(results, units);
  else if (results.length === 1 && counted[0] !== undefined) {
    const only = counted[0];
    message = `${only.shown} has ${inWords(only.counts, units)}${lineNote(only.counts, units)}.`;
  } else {
    const total: TextCounts = { lines: 0, newlines: 0, words: 0, characters: 0, bytes: 0, binary: false };
    for (const { counts } of counted) for (const key of summed) total[key] += counts[key];
    message = [
      ...results.map((result) =>
        "counts" in result
          ? `${result.shown}: ${inWords(result.counts, units)}${lineNote(result.counts, units)}`
          : `${result.shown}: not counted (${result.error})`,
      ),
      `Total: ${inWords(total, units)} in ${formatCount(counted.length, "file")}.`,
    ].join("\n");
  }
  return {
    success: true,
    message,
    data: {
      files: counted.map((result) => ({ path: result.realPath, ...result.counts })),
      ...(failed.length > 0 ? { notCounted: failed } : {}),
    },
  };
}

/** "Pictures/trip holds 23 files." with what is directly in it when that differs. */
function describeFolder(shown: string, counts: FolderCounts, what: string): string {
  const noun = what === "folders" ? "folder" : what === "entries" ? "item" : "file";
  const total =
    what === "folders" ? counts.folders : what === "entries" ? counts.files + counts.folders + counts.others : counts.files;
  const direct =
    what === "folders"
      ? counts.direct.folders
      : what === "entries"
        ? counts.direct.files + counts.direct.folders + counts.direct.others
        : counts.direct.files;
  let message = `${shown} holds ${formatCount(total, noun)}`;
  if (direct !== total) message += ` (${direct.toLocaleString("en-US")} directly in it, the rest in its subfolders)`;
  else if (what === "files" && counts.folders > 0) message += `, and ${formatCount(counts.folders, "subfolder")}`;
  message += ".";
  if (counts.unreadable > 0) message += ` ${formatCount(counts.unreadable, "folder")} could not be read.`;
  return message;
}

async function countFolder(args: CountArguments, context: HandlerContext, input: string): Promise<HandlerResult> {
  const realPath = await context.files.resolve(input);
  const shown = await shownPath(context, realPath);
  const counts = await countEntries(realPath, context.signal);
  const what = args.what?.find((unit) => (folderUnits as readonly string[]).includes(unit)) ?? "files";
  return { success: true, message: describeFolder(shown, counts, what), data: { path: realPath, ...counts } };
}

/** The lines, words or characters of the text files in a folder, together: "src holds 1,234 lines in 17 .py files." */
async function countFolderFiles(args: CountArguments, context: HandlerContext, realPath: string): Promise<HandlerResult> {
  const units = (args.what ?? []).filter((unit): unit is TextUnit => (textUnits as readonly string[]).includes(unit));
  const shown = await shownPath(context, realPath);
  const counted = await countFolderText(realPath, args.ext, context.signal);
  const kind =
    args.ext === undefined || args.ext.length === 0 ? "text" : args.ext.map((extension) => `.${extension}`).join(" or ");
  const notes: string[] = [];
  if (counted.binary > 0) notes.push(`${formatCount(counted.binary, "binary file")} left out`);
  if (counted.unreadable > 0)
    notes.push(`${formatCount(counted.unreadable, "file or folder", "files or folders")} could not be read`);
  const message =
    counted.files === 0
      ? `There are no ${kind} files in ${shown}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}.`
      : `The ${formatCount(counted.files, `${kind} file`)} in ${shown} (its subfolders included) have ${inWords(counted.total, units)} in all${notes.length > 0 ? ` (${notes.join("; ")})` : ""}.`;
  return { success: true, message, data: { path: realPath, ...counted } };
}

async function runCount(args: CountArguments, context: HandlerContext): Promise<HandlerResult> {
  const inputs = [...(args.paths ?? []), ...(args.path === undefined ? [] : [args.path])];
  if (inputs.length === 0) {
    throw new ProcessingError("Count what? Name a file (its lines, words, characters) or a folder (the files in it).", {
      code: "REQUEST_INVALID",
    });
  }
  const first = inputs[0] as string;
  if (inputs.length === 1) {
    const realPath = await context.files.resolve(first);
    let info: ReturnType<typeof statEntry>;
    try {
      info = statEntry(realPath);
    } catch (error) {
      throw notThere(error, await shownPath(context, realPath), realPath);
    }
    if (info === undefined) throw notThere({ code: "ENOENT" }, await shownPath(context, realPath), realPath);
    if (info.isDirectory()) {
      const textAsked = args.what?.some((unit) => (textUnits as readonly string[]).includes(unit)) === true;
      return textAsked ? countFolderFiles(args, context, realPath) : countFolder(args, context, first);
    }
  }
  return countFiles(args, context, inputs);
}

/** files.count: lines, words, characters and bytes of files (as wc counts them), or the files a folder holds. */
export const countHandler = defineHandler({
  intent: "files.count",
  readOnly: true,
  pathArgs: ["path", "paths"],
  description: "Count the lines, words or characters of files (wc), or the files in a folder",
  examples: ["count the lines, words and characters of {path:path}", "how many files are in {path:path}"],
  args: countArguments,
  run: runCount,
});
