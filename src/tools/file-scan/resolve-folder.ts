import { stat } from "node:fs/promises";
import { type HandlerContext, ProcessingError } from "../../sdk.js";

/** The real path of the folder a request names (default: its working folder), through the path guard. */
export async function resolveFolder(context: HandlerContext, input: string | undefined): Promise<string> {
  const folder = await context.files.resolve(input ?? ".");
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(folder)).isDirectory();
  } catch (error) {
    throw new ProcessingError(`There is no folder at ${input ?? folder}`, {
      code: "REQUEST_INVALID",
      details: { path: folder },
      recovery: "Check the folder's name, or name a folder that exists.",
      cause: error,
    });
  }
  if (!isDirectory) {
    throw new ProcessingError(`${input ?? folder} is a file, not a folder`, {
      code: "REQUEST_INVALID",
      details: { path: folder },
      recovery: "Name the folder that holds it.",
    });
  }
  return folder;
}
