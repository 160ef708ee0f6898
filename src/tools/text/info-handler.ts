import os from "node:os";
import { defineHandler, type HandlerContext, type HandlerResult, z } from "../../sdk.js";
import { kindOf, momentInWords, permissionsInWords, sizeInWords, statEntry } from "./file-facts.js";
import { notThere, shownPath } from "./open-file.js";

const facts = ["size", "modified", "created", "accessed", "dates", "all"] as const;

const infoArguments = z.object({
  path: z.string().describe("The file or folder"),
  fact: z
    .enum(facts)
    .default("all")
    .describe("size, modified (last modified time), created, accessed, dates (all of them), or all (as stat shows)"),
});

type InfoArguments = z.infer<typeof infoArguments>;

/** The user name of a uid: the person's own, else the number. */
function ownerOf(uid: number): string {
  try {
    const me = os.userInfo();
    if (me.uid === uid) return `${me.username} (uid ${uid})`;
  } catch {
    // No passwd entry for this process: the number says it.
  }
  return `uid ${uid}`;
}

async function runInfo(args: InfoArguments, context: HandlerContext): Promise<HandlerResult> {
  const realPath = await context.files.resolve(args.path);
  const shown = await shownPath(context, realPath);
  let info: ReturnType<typeof statEntry>;
  try {
    info = statEntry(realPath);
  } catch (error) {
    throw notThere(error, shown, realPath);
  }
  if (info === undefined) throw notThere({ code: "ENOENT" }, shown, realPath);
  // A folder's size is what it holds: disk usage measures it (with its biggest parts).
  if (args.fact === "size" && info.isDirectory()) {
    return context.callPlugin("file-scan", "diskUsage", { path: realPath });
  }
  const now = new Date();
  const created = info.birthtimeMs > 0 ? info.birthtime : undefined;
  const createdWords = created === undefined ? "not recorded by this file system" : momentInWords(created, now);
  const data = {
    path: realPath,
    type: kindOf(info),
    size: info.size,
    mode: info.mode & 0o7777,
    modified: info.mtime.toISOString(),
    accessed: info.atime.toISOString(),
    created: created?.toISOString(),
  };
  const kind = kindOf(info);
  let message: string;
  switch (args.fact) {
    case "size":
      message = `${shown} is ${sizeInWords(info.size)}.`;
      break;
    case "modified":
      message = `${shown} was last modified ${momentInWords(info.mtime, now)}.`;
      break;
    case "created":
      message =
        created === undefined
          ? `This file system does not record when ${shown} was created; it was last modified ${momentInWords(info.mtime, now)}.`
          : `${shown} was created ${createdWords}.`;
      break;
    case "accessed":
      message = `${shown} was last read ${momentInWords(info.atime, now)} (as the file system records it).`;
      break;
    case "dates":
      message = [`${shown}:`, `  Modified: ${momentInWords(info.mtime, now)}`, `  Created:  ${createdWords}`].join("\n");
      break;
    default:
      message = [
        `${shown}`,
        `  Type:        ${kind}`,
        ...(info.isDirectory() ? [] : [`  Size:        ${sizeInWords(info.size)}`]),
        `  Permissions: ${permissionsInWords(info.mode)}`,
        `  Owner:       ${ownerOf(info.uid)}`,
        `  Modified:    ${momentInWords(info.mtime, now)}`,
        `  Accessed:    ${momentInWords(info.atime, now)}`,
        `  Changed:     ${momentInWords(info.ctime, now)} (its details, such as permissions)`,
        `  Created:     ${createdWords}`,
      ].join("\n");
  }
  return { success: true, message, data };
}

/** files.info: a file's (or folder's) size, dates, permissions and owner, as stat tells them, in words. */
export const infoHandler = defineHandler({
  intent: "files.info",
  readOnly: true,
  pathArgs: ["path"],
  description: "Facts about one file or folder: its size, when it was modified or created, permissions and owner (stat)",
  examples: ["details about {path:path}"],
  args: infoArguments,
  run: runInfo,
});
