import { defineHandler, type HandlerContext, type HandlerResult, ProcessingError, z } from "../../sdk.js";
import { openFile } from "./open-file.js";
import { firstLines, lastLines, type TakenLines } from "./read-lines.js";

/** Most lines shown at once: beyond this an answer is not read by anyone, and the person is told it was cut. */
const maximumLines = 10_000;

const lineArguments = z.object({
  path: z.string().describe("The file"),
  lines: z.number().int().positive().default(10).describe("How many lines (default 10)"),
  from: z.number().int().positive().optional().describe("For the first lines: start at this line (1 is the first)"),
  bare: z.boolean().optional().describe("Print only the lines, as the command does (no heading)"),
});

type LineArguments = z.infer<typeof lineArguments>;

async function showLines(args: LineArguments, context: HandlerContext, side: "head" | "tail"): Promise<HandlerResult> {
  const count = Math.min(args.lines, maximumLines);
  const from = side === "head" ? (args.from ?? 1) : 1;
  const file = await openFile(context, args.path);
  let taken: TakenLines;
  try {
    taken = side === "head" ? await firstLines(file.handle, from - 1 + count) : await lastLines(file.handle, file.size, count);
  } finally {
    await file.handle.close();
  }
  if (from > 1) return showRange(file.shown, file.realPath, taken, from, count, args.bare === true);
  if (taken.binary) {
    throw new ProcessingError(`${file.shown} is a binary file, not text: it has no lines to show`, {
      code: "REQUEST_INVALID",
      details: { path: file.realPath },
      recovery: "Ask for its size, its checksum or its details instead.",
    });
  }
  const which = side === "head" ? "first" : "last";
  const notes: string[] = [];
  if (count < args.lines) notes.push(`(only the ${which} ${count.toLocaleString("en-US")} lines are shown)`);
  if (taken.cut) notes.push("(the lines are longer than 10 MB; the rest is left out)");
  const heading =
    taken.lines.length === 0
      ? `${file.shown} is empty.`
      : taken.wholeFile
        ? `${file.shown} has only ${taken.lines.length === 1 ? "1 line" : `${taken.lines.length} lines`}:`
        : `The ${which} ${count === 1 ? "line" : `${count} lines`} of ${file.shown}:`;
  const body = taken.lines.join("\n");
  const message =
    args.bare === true
      ? [body, ...notes].filter((part) => part !== "").join("\n")
      : [heading, ...(body === "" ? [] : [body]), ...notes].join("\n");
  return {
    success: true,
    message,
    data: { path: file.realPath, lines: taken.lines, wholeFile: taken.wholeFile },
  };
}

/** Lines `from`..`from + count - 1` of a file: "Lines 10–20 of notes.txt:", or where the file ended before them. */
function showRange(shown: string, realPath: string, taken: TakenLines, from: number, count: number, bare: boolean) {
  if (taken.binary) {
    throw new ProcessingError(`${shown} is a binary file, not text: it has no lines to show`, {
      code: "REQUEST_INVALID",
      details: { path: realPath },
    });
  }
  const lines = taken.lines.slice(from - 1);
  const last = from + lines.length - 1;
  const which = count === 1 ? `Line ${from}` : `Lines ${from}–${from + count - 1}`;
  const message =
    lines.length === 0
      ? `${shown} has only ${taken.lines.length === 1 ? "1 line" : `${taken.lines.length} lines`}; there is no line ${from}.`
      : bare
        ? lines.join("\n")
        : [lines.length < count ? `Lines ${from}–${last} of ${shown} (it ends there):` : `${which} of ${shown}:`, ...lines].join(
            "\n",
          );
  return { success: lines.length > 0, message, data: { path: realPath, from, lines } };
}

/** files.head: the first N lines of a file, read from its start (a file of any size costs only those lines). */
export const headHandler = defineHandler({
  intent: "files.head",
  readOnly: true,
  pathArgs: ["path"],
  description: "Show the first lines of a text file (head)",
  examples: ["first {lines:number} lines of {path:path}", "head -n {lines:number} {path:path}"],
  args: lineArguments,
  run: (args, context) => showLines(args, context, "head"),
});

/** files.tail: the last N lines of a file, read backwards from its end (a huge log costs only its last lines). */
export const tailHandler = defineHandler({
  intent: "files.tail",
  readOnly: true,
  pathArgs: ["path"],
  description: "Show the last lines of a text file (tail)",
  examples: ["last {lines:number} lines of {path:path}", "tail -n {lines:number} {path:path}"],
  args: lineArguments,
  run: (args, context) => showLines(args, context, "tail"),
});
