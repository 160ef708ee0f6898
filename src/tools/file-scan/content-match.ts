import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

export type ContentVerdict = "match" | "no-match" | "binary";

const chunkBytes = 256 * 1024;
/** As git and ripgrep decide: a NUL byte in the first 8 KB makes a file binary. */
const binaryProbeBytes = 8 * 1024;

/**
 * Whether a text file contains `needle` (already lower-cased), case aside. Reads in chunks, so a large log costs
 * memory for one chunk only, and stops at the first match; the chunks overlap so a match across a boundary counts.
 * The file itself is never a link (one swapped in after the walk saw a file is refused), never a file with other
 * names (a hard link may name a file outside the roots), and a pipe never blocks: those throw, and are skipped.
 */
export async function fileContains(filePath: string, needle: string, signal?: AbortSignal): Promise<ContentVerdict> {
  const handle = await open(filePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.nlink > 1) {
      throw Object.assign(new Error(`${filePath} is not a regular file with one name`), { code: "EPERM", path: filePath });
    }
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const decoder = new StringDecoder("utf8");
    let carry = "";
    let first = true;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) return "no-match";
      const chunk = buffer.subarray(0, bytesRead);
      if (first) {
        if (chunk.subarray(0, binaryProbeBytes).includes(0)) return "binary";
        first = false;
      }
      const text = carry + decoder.write(chunk).toLowerCase();
      if (text.includes(needle)) return "match";
      carry = needle.length > 1 ? text.slice(-(needle.length - 1)) : "";
    }
  } finally {
    await handle.close();
  }
}
