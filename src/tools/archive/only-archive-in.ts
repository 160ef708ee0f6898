import { type HandlerContext, ProcessingError } from "../../sdk.js";
import { formatFromName } from "./archive-format.js";

/**
 * "unzip the zip file on my desktop": the one archive of that kind in a folder. None there, or several, is said
 * plainly with their names, and nothing is extracted.
 */
export async function onlyArchiveIn(context: HandlerContext, folder: string, format: string): Promise<string> {
  const entries = await context.files.listDirectory(folder);
  const found = entries.filter(
    (entry) => entry.type === "file" && (format === "any" ? formatFromName(entry.name) : formatFromName(entry.name) === format),
  );
  const kind = format === "any" ? "archive" : `${format} file`;
  if (found.length === 0)
    throw new ProcessingError(`Nothing extracted: there is no ${kind} in ${folder}.`, {
      code: "REQUEST_INVALID",
      recovery: "Name the archive to extract.",
    });
  if (found.length > 1)
    throw new ProcessingError(
      `Nothing extracted: ${folder} holds ${found.length} ${kind}s: ${found
        .map((entry) => entry.name)
        .sort()
        .join(", ")}. Say which one.`,
      {
        code: "REQUEST_INVALID",
        details: { archives: found.map((entry) => entry.path) },
        recovery: "Name the archive to extract.",
      },
    );
  return found[0]?.path ?? folder;
}
