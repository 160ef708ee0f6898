import { lstat } from "node:fs/promises";
import { type HandlerContext, ProcessingError } from "../../sdk.js";

/** The size of one named file or folder (a folder with all it holds, as `du` counts it). */
export interface PathSize {
  path: string;
  type: "file" | "folder";
  /** Bytes of disk the blocks take. */
  allocated: number;
  /** Bytes of content. */
  apparent: number;
  /** Files inside (1 for a file). */
  files: number;
}

/**
 * The sizes of the files and folders a request names ("the Music and Videos folders", "the pdfs you found"), each
 * through the path guard. A name that is not there fails the whole answer, naming it, rather than leaving it out.
 */
export async function measurePaths(
  context: HandlerContext,
  inputs: readonly string[],
  onProgress: (scanned: number, allocated: number) => void,
): Promise<PathSize[]> {
  const sizes: PathSize[] = [];
  for (const input of inputs) {
    context.signal?.throwIfAborted();
    const resolved = await context.files.resolve(input);
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(resolved);
    } catch (error) {
      throw new ProcessingError(`There is nothing at ${input}`, {
        code: "REQUEST_INVALID",
        details: { path: resolved },
        recovery: "Check the name, or name a file or folder that exists.",
        cause: error,
      });
    }
    if (!stats.isDirectory()) {
      sizes.push({ path: resolved, type: "file", allocated: stats.blocks * 512, apparent: stats.size, files: 1 });
      continue;
    }
    const { diskUsage } = await import("./disk-usage.js");
    const usage = await diskUsage({
      root: resolved,
      limit: 1,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
      onProgress,
    });
    sizes.push({ path: resolved, type: "folder", allocated: usage.allocated, apparent: usage.apparent, files: usage.files });
  }
  return sizes;
}
