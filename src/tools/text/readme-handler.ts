import path from "node:path";
import { defineHandler, type FileEntry, type HandlerContext, type HandlerResult, ProcessingError, z } from "../../sdk.js";
import { shownPath } from "./open-file.js";

const readmeArguments = z.object({
  path: z.string().optional().describe("The folder whose README to read (default: the current folder)"),
});

/** The usual README names, most usual first; any other README.* after them, by name. */
const preferred = ["readme.md", "readme", "readme.txt", "readme.markdown", "readme.rst", "readme.adoc", "readme.org"];

/** The README among a folder's entries, if it has one. */
export function pickReadme(entries: readonly FileEntry[]): FileEntry | undefined {
  const candidates = entries.filter((entry) => entry.type === "file" && /^read[-_ ]?me(?:\.[^.]+)*$/i.test(entry.name));
  const rank = (entry: FileEntry) => {
    const at = preferred.indexOf(entry.name.toLowerCase());
    return at === -1 ? preferred.length : at;
  };
  return [...candidates].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))[0];
}

async function runReadme(args: z.infer<typeof readmeArguments>, context: HandlerContext): Promise<HandlerResult> {
  const cwd = context.intent.context.cwd;
  const folderInput = args.path ?? (typeof cwd === "string" && cwd !== "" ? cwd : ".");
  const folder = await context.files.stat(folderInput);
  // A README named outright is read as it is.
  const readme = folder.type === "directory" ? pickReadme(await context.files.listDirectory(folderInput)) : folder;
  const shownFolder = await shownPath(context, folder.path);
  if (readme === undefined) {
    throw new ProcessingError(`There is no README in ${shownFolder === "" ? "this folder" : shownFolder}`, {
      code: "REQUEST_INVALID",
      details: { path: folder.path },
      recovery: "List the folder to see what it holds, or name the file to read.",
    });
  }
  const text = await context.files.readFile(readme.path);
  const shown = await shownPath(context, readme.path);
  return {
    success: true,
    message: `${shown}:\n${text}`,
    data: { path: readme.path, folder: path.dirname(readme.path), bytes: Buffer.byteLength(text) },
  };
}

/** files.readme: the README of a folder ("read me the readme in projects/api"), whatever its exact name. */
export const readmeHandler = defineHandler({
  intent: "files.readme",
  readOnly: true,
  pathArgs: ["path"],
  description: "Show the README of a folder (README.md, README, README.txt…)",
  examples: ["read the readme in {path:path}"],
  args: readmeArguments,
  run: runReadme,
});
